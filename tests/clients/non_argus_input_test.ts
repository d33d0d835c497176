/**
 * A file in the input list that is no Argus record stream (text, random
 * bytes, an empty file, a directory): the real ra, racluster, rasort,
 * racount and ragrep 3.0.8 skip it without a word and read the others,
 * exiting 1 only when nothing at all was read. Ours print the same and
 * exit the same, and say one line per skipped file (empty ones aside).
 * @module
 */

import assert from "node:assert/strict";
import { runRacluster } from "../../src/programs/racluster/run.ts";
import { runRacount } from "../../src/programs/racount/run.ts";
import { runRagrep } from "../../src/programs/ragrep/run.ts";
import { runRasort } from "../../src/programs/rasort/run.ts";
import { CORPUS, haveRealArgus, run } from "../_util/oracle.ts";
import { type ClientEntry, runOurs } from "../_util/our_client.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const GOOD = `${CORPUS}expected/arp.pcap.argus`;

const PROGRAMS: [string, ClientEntry | null, string[]][] = [
  ["ra", null, []],
  ["racluster", runRacluster, []],
  ["rasort", runRasort, ["-m", "saddr"]],
  ["racount", runRacount, []],
  ["ragrep", runRagrep, ["-e", "."]],
];

Deno.test({
  name: "clients: a file that is no record stream is skipped, as ra 3.0.8 does",
  ignore: !haveRealArgus(),
  async fn(t) {
    const dir = Deno.makeTempDirSync({ prefix: "nonargus-" });
    try {
      const text = `${dir}/nonargus-text.argus`;
      Deno.writeTextFileSync(text, "not argus records at all\n".repeat(8));
      const noise = `${dir}/nonargus-noise.argus`;
      Deno.writeFileSync(
        noise,
        Uint8Array.from({ length: 300 }, (_, i) => (i * 97 + 13) & 0xff),
      );
      const empty = `${dir}/nonargus-empty.argus`;
      Deno.writeFileSync(empty, new Uint8Array(0));
      const sub = `${dir}/nonargus-dir`;
      Deno.mkdirSync(sub);
      const lists: string[][] = [
        [text],
        [noise],
        [empty],
        [sub],
        [text, noise],
        [GOOD, text],
        [text, GOOD],
        [GOOD, noise, GOOD],
        [empty, GOOD],
        [sub, GOOD],
      ];
      for (const [program, entry, own] of PROGRAMS) {
        await t.step(program, async () => {
          for (const files of lists) {
            for (const filter of [[], ["-", "arp"], ["-", "tcp"]]) {
              const args = [...own, "-r", ...files, ...filter];
              const name = `${program} ${args.join(" ")}`;
              const real = await run(program, args);
              assert.equal(real.stderr, "", `${name}: real says nothing`);
              const ours = entry === null
                ? await ourRa(args)
                : { ...await runOurs(entry, args), stderr: null };
              assert.equal(ours.out, real.stdout, name);
              assert.equal(ours.code, real.code, name);
              if (ours.stderr !== null) {
                const lines = ours.stderr.split("\n").filter((l) => l !== "");
                const skipped = files.filter((f) => f !== GOOD && f !== empty);
                assert.equal(lines.length, skipped.length, ours.stderr);
                for (const l of lines) assert.match(l, /^ra: Cannot read "/);
              }
            }
          }
        });
      }
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

/** Our ra as a process: its stderr is read too. */
async function ourRa(
  args: string[],
): Promise<{ out: string; code: number; stderr: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "ra", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { out: text(r.stdout), code: r.code, stderr: text(r.stderr) };
}
