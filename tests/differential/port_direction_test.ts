/**
 * RA_PORT_DIRECTION against the real ra 3.0.8: every corpus record file,
 * and our argus's records of TCP flows without a SYN (a '?' in Dir) over
 * port pairs each rule decides (below 1024, /etc/services, 1024-49151,
 * port 0, IPv6 keys), read with an rc file (-X -F) of each setting; the
 * printed lines must be equal, with and without -n (ra's services table
 * grows by the ports it prints) and with a filter (the rule runs before
 * it). rasort, racount, ragrep and racluster (printing and -w), and the
 * default rc files, too.
 * @module
 */

import assert from "node:assert/strict";
import { runRacluster } from "../../src/programs/racluster/run.ts";
import { runRacount } from "../../src/programs/racount/run.ts";
import { runRagrep } from "../../src/programs/ragrep/run.ts";
import { runRasort } from "../../src/programs/rasort/run.ts";
import {
  argv,
  CORPUS_RECORD_FILES,
  firstDifference,
  pooled,
} from "../_util/corpus_records.ts";
import { CORPUS, run, runOurArgus } from "../_util/oracle.ts";
import { type ClientEntry, runOurs } from "../_util/our_client.ts";
import { ourRa } from "../_util/our_ra.ts";
import { ether, F, ipv4Packet, ipv6Packet, tcp } from "../_util/packets.ts";
import { pcapFile, type PcapPacket } from "../_util/pcap_writer.ts";

const FIELDS = [
  "-s",
  "stime",
  "saddr",
  "sport",
  "dir",
  "daddr",
  "dport",
  "spkts",
  "dpkts",
  "sbytes",
  "dbytes",
  "state",
  "flgs",
];

/** rc file contents by setting name. */
const SETTINGS: Record<string, string> = {
  none: "",
  wellknown: 'RA_PORT_DIRECTION="wellknown"\n',
  services: 'RA_PORT_DIRECTION="services"\n',
  "services,wellknown": 'RA_PORT_DIRECTION="services,wellknown"\n',
  registered: "RA_PORT_DIRECTION=registered\n",
  // Without RA_LOCAL's address labels it turns nothing (checked).
  local: "RA_LOCAL_DIRECTION=src\n",
};

/**
 * Port pairs of one-packet (or, `true`, two-way) TCP flows with no SYN.
 * 40000 and 45000 are no services, but once printed they count as ones.
 */
const PAIRS: [number, number, boolean][] = [
  [80, 40000, false],
  [40000, 80, false],
  [22, 80, true],
  [80, 22, false],
  [8080, 40000, false],
  [40000, 8080, true],
  [3306, 8080, false],
  [8080, 3306, true],
  [5432, 45678, false],
  [45678, 5432, false],
  [40001, 40002, true],
  [40002, 40001, false],
  [5000, 6000, false],
  [6000, 5000, true],
  [50000, 2000, false],
  [2000, 50000, false],
  [50001, 50002, false],
  [0, 80, false],
  [80, 0, true],
  [1023, 1024, false],
  [1024, 1023, false],
  [49151, 49152, false],
  [49152, 49151, false],
  [40000, 45000, false],
  [45000, 40003, false],
];

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const A = "02:00:00:00:00:01", B = "02:00:00:00:00:02";

/**
 * The flows as a capture. Each IPv6 source address carries the pair in its
 * words 5 and 6: ra reads an IPv6 key's "ports" from there.
 */
function capture(): Uint8Array {
  const packets: PcapPacket[] = [];
  let t = 1_700_000_000_000_000;
  const push = (data: Uint8Array) => packets.push({ time: t += 1000, data });
  const hex = (n: number) => n.toString(16);
  PAIRS.forEach(([sp, dp, both], i) => {
    const a = `10.9.${i}.1`, b = `10.9.${i}.2`;
    const payload = [1, 2, 3];
    push(
      ether(B, A, 0x800, ipv4Packet(a, b, 6, tcp(sp, dp, 0x18, 1, 2, payload))),
    );
    if (both) {
      push(ether(A, B, 0x800, ipv4Packet(b, a, 6, tcp(dp, sp, F.ACK, 2, 4))));
    }
    const a6 = `fd00:${hex(i)}::1:${hex(sp)}:${hex(dp)}:1`,
      b6 = `fd00:${hex(i)}::2`;
    push(
      ether(
        B,
        A,
        0x86dd,
        ipv6Packet(a6, b6, 6, tcp(sp, dp, 0x18, 1, 2, payload)),
      ),
    );
    // The same ports byte-swapped in the address: ra's reading of them.
    const swap = (n: number) => ((n & 0xff) << 8) | (n >> 8);
    const s6 = `fd01:${hex(i)}::1:${hex(swap(sp))}:${hex(swap(dp))}:1`;
    push(
      ether(
        B,
        A,
        0x86dd,
        ipv6Packet(s6, b6, 6, tcp(41000, 41001, 0x18, 1, 2, payload)),
      ),
    );
    if (both) {
      push(
        ether(
          A,
          B,
          0x86dd,
          ipv6Packet(b6, s6, 6, tcp(41001, 41000, F.ACK, 2, 4)),
        ),
      );
    }
  });
  return pcapFile(packets);
} // deno-fmt-ignore

/** Our argus's records of capture(), in a fresh directory. */
async function records(dir: string): Promise<string> {
  const pcap = `${dir}/pd-flows.pcap`, out = `${dir}/pd-flows.argus`;
  Deno.writeFileSync(pcap, capture());
  const r = await runOurArgus(["-r", pcap, "-w", out]);
  assert.equal(r.code, 0, r.stderr);
  return out;
}

/**
 * Two files for racluster: a SYN-seen flow 10.9.99.2:40000 -> :80 (syn),
 * and the server's half of it and of :40001 with no SYN ('?': mid), which
 * the rules turn round to merge with it, or, read first, to hold the key.
 */
async function mergedFlows(dir: string): Promise<[string, string]> {
  const a = "10.9.99.2", b = "10.9.99.1";
  let t = 1_700_000_000_000_000;
  const packet = (up: boolean, sp: number, dp: number, flags: number) => ({
    time: t += 1000,
    data: up
      ? ether(B, A, 0x800, ipv4Packet(a, b, 6, tcp(sp, dp, flags, 1, 0)))
      : ether(A, B, 0x800, ipv4Packet(b, a, 6, tcp(sp, dp, flags, 5, 2, [1]))),
  });
  const parts = {
    syn: [
      packet(true, 40000, 80, F.SYN),
      packet(false, 80, 40000, F.SYN | F.ACK),
    ],
    mid: [packet(false, 80, 40000, 0x18), packet(false, 80, 40001, 0x18)],
  };
  const out: string[] = [];
  for (const [name, packets] of Object.entries(parts)) {
    const pcap = `${dir}/pd-${name}.pcap`, records = `${dir}/pd-${name}.argus`;
    Deno.writeFileSync(pcap, pcapFile(packets));
    const r = await runOurArgus(["-r", pcap, "-w", records]);
    assert.equal(r.code, 0, r.stderr);
    out.push(records);
  }
  return [out[0]!, out[1]!];
}

/** rc files of every setting in `dir`, by setting name. */
function rcFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, text] of Object.entries(SETTINGS)) {
    files[name] = `${dir}/pd-rc.${name}`;
    Deno.writeTextFileSync(files[name], text);
  }
  return files;
}

/** The real program's and ours' outputs (and statuses) must be equal. */
async function same(
  program: string,
  entry: ClientEntry | null,
  args: string[],
): Promise<void> {
  const real = await run(program, args);
  const ours = entry === null ? await ourRa(args) : await runOurs(entry, args);
  const name = `${program} ${args.join(" ")}`;
  assert.equal(
    ours.out,
    real.stdout,
    firstDifference(name, real.stdout, ours.out),
  );
  assert.equal(ours.code, real.code, name);
}

Deno.test("RA_PORT_DIRECTION turns records round as ra 3.0.8 does", async (t) => {
  const dir = Deno.makeTempDirSync({ prefix: "pd-" });
  try {
    const flows = await records(dir);
    const rc = rcFiles(dir);
    const files = [
      flows,
      ...CORPUS_RECORD_FILES.map((f) => `${CORPUS}expected/${f}`),
    ];
    for (const [setting, path] of Object.entries(rc)) {
      await t.step(`ra with ${setting}`, async () => {
        const cases = files.flatMap((file) =>
          [[], ["-n"], ["-", "src", "port", "80"]].map((extra) =>
            argv(["-X", "-F", path, ...extra, ...FIELDS], file)
          )
        );
        await pooled(cases, (args) => same("ra", null, args));
      });
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("RA_PORT_DIRECTION: the other clients turn records round too", async (t) => {
  const dir = Deno.makeTempDirSync({ prefix: "pd-" });
  try {
    const flows = await records(dir);
    const rc = rcFiles(dir);
    for (const setting of ["wellknown", "services", "registered"]) {
      const base = ["-X", "-F", rc[setting]!, "-r", flows];
      await t.step(`rasort, racount, ragrep with ${setting}`, async () => {
        // rasort's port keys read a turned record's other port (ra's
        // REVERSE bit), and with -n nothing is printed by name.
        for (const m of ["sport", "dport"]) {
          await same("rasort", runRasort, [...base, "-m", m, ...FIELDS]);
          await same("rasort", runRasort, [...base, "-n", "-m", m, ...FIELDS]);
        }
        await same("racount", runRacount, [...base, "-", "src", "port", "80"]);
        await same("ragrep", runRagrep, [
          ...base,
          "-e",
          ".",
          ...FIELDS,
          "-",
          "src",
          "port",
          "80",
        ]);
      });
    }
    await t.step(
      "the default rc files (Debian's sets services,wellknown)",
      async () => {
        await same("ra", null, ["-r", flows, ...FIELDS]);
        await same("ra", null, [
          "-r",
          flows,
          "-n",
          ...FIELDS,
          "-",
          "dst",
          "port",
          "80",
        ]);
      },
    );
    await t.step("~/.rarc adds its rules; -X reads no rc file", async () => {
      const home = `${dir}/pd-home`;
      Deno.mkdirSync(home);
      Deno.writeTextFileSync(`${home}/.rarc`, SETTINGS["registered"]!);
      for (const x of [[], ["-X"]]) {
        const args = [...x, "-n", "-r", flows, ...FIELDS];
        const [real, ours] = await Promise.all(
          [["ra", ...args], [Deno.execPath(), "run", "-A", MAIN, "ra", ...args]]
            .map(([cmd, ...a]) =>
              new Deno.Command(cmd!, {
                args: a,
                env: { HOME: home },
                stdout: "piped",
                stderr: "piped",
              }).output()
            ),
        );
        const text = (b: Uint8Array) => new TextDecoder().decode(b);
        assert.equal(real!.code, 0, text(real!.stderr));
        assert.equal(
          text(ours!.stdout),
          text(real!.stdout),
          firstDifference(
            args.join(" "),
            text(real!.stdout),
            text(ours!.stdout),
          ),
        );
      }
    });
    await t.step(
      "-X -F rc with -X after it: the rc file still counts",
      async () => {
        await same("ra", null, [
          "-F",
          rc["wellknown"]!,
          "-X",
          "-r",
          flows,
          ...FIELDS,
        ]);
      },
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("RA_PORT_DIRECTION: racluster aggregates what the rules turned", async (t) => {
  const dir = Deno.makeTempDirSync({ prefix: "pd-" });
  try {
    const flows = await records(dir);
    const [syn, mid] = await mergedFlows(dir);
    const rc = rcFiles(dir);
    const inputs = [[flows], [syn, mid], [mid, syn]];
    // The port keys sort by the other port of a turned key, as rasort's do.
    const keys = [[], ["-m", "saddr", "daddr"], ["-m", "proto", "dport"], [
      "-m",
      "proto",
      "sport",
    ]];
    for (
      const setting of ["none", "wellknown", "services", "services,wellknown"]
    ) {
      await t.step(`racluster with ${setting}`, async () => {
        const base = ["-X", "-F", rc[setting]!];
        const cases = inputs.flatMap((files) =>
          keys.flatMap((key) =>
            [[], ["-n"]].map((n) => [
              ...base,
              ...n,
              ...key,
              "-r",
              ...files,
              ...FIELDS,
            ])
          )
        );
        await pooled(cases, (args) => same("racluster", runRacluster, args));
        // -w writes a turned key with its REVERSE bit, as the real one.
        let n = 0;
        for (const files of inputs) {
          for (const key of keys) {
            // A fresh name each: racluster -w adds to a file that is there.
            const real = `${dir}/pd-real.${setting}.${n}`;
            const ours = `${dir}/pd-ours.${setting}.${n++}`;
            const args = [...base, ...key, "-r", ...files];
            const r = await run("racluster", [...args, "-w", real]);
            assert.equal(r.code, 0, r.stderr);
            const o = await runOurs(runRacluster, [...args, "-w", ours]);
            assert.equal(o.code, 0);
            assert.deepEqual(
              Deno.readFileSync(ours),
              Deno.readFileSync(real),
              `racluster ${args.join(" ")} -w`,
            );
          }
        }
      });
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
