/**
 * The metric options (issue 8) against the real argus 3.0.8 with the same
 * option, on every corpus capture it reads: -m (MAC addresses), -A
 * (application bytes), -Z (packet sizes), -J (inter-packet times), -R
 * (accepted; argus 3.0.8 adds nothing for it) must give byte-identical flow
 * records, and the real ra must print the same new fields for both.
 * Captures the real argus mishandles or where it reads stale bytes are
 * the corpus test's exceptions, left out here for the same reasons.
 * @module
 */

import assert from "node:assert/strict";
import { CORPUS, haveRealArgus, run, runOurArgus } from "../_util/oracle.ts";
import { firstRecordDifference } from "../_util/records.ts";

/** See tests/differential/corpus_test.ts for why each is left out. */
const LEFT_OUT = new Set([
  "loop.pcap",
  "sll2.pcap",
  "netns-any-sll.pcap",
  "netns-any-sll2.pcap",
  "sll-jumbo.pcap",
  "zero-caplen.pcap",
  "truncated-headers.pcap",
  "empty-file.pcap",
  "unknown-linktype.pcap",
]);

const captures = [...Deno.readDirSync(CORPUS)]
  .map((e) => e.name)
  .filter((n) => /\.pcap(ng)?$/.test(n) && !n.startsWith("corrupt-"))
  .filter((n) => !LEFT_OUT.has(n))
  .sort();

/**
 * Option sets, and the ra fields that show what each adds. Each option was
 * also checked alone on the whole corpus; together they cost one run. The
 * real argus waits about a second before it exits, which is what makes
 * each case take ~50 s: keep the list short.
 */
const CASES: [string[], string[], Record<string, string>?][] = [
  [["-A", "-J", "-Z", "-m", "-R", "-U", "64"], [
    "sintpkt",
    "dintpkt",
    "sjit",
    "djit",
    "smac",
    "dmac",
    "sappbytes",
    "dappbytes",
    "smaxsz",
    "dminsz",
    "synack",
    "ackdat",
    "suser:64",
    "duser:64",
  ]],
  // -A alone: without -Z/-m the app-byte metric's unwritten tail bytes
  // come from other DSRs of the previous record.
  [["-A"], ["sappbytes", "dappbytes"]],
  // -C gives ARP and OpenFlow flows all their payload as user data.
  [["-C", "-U", "16"], ["suser:16", "duser:16"]],
];

const BASE_FIELDS = ["stime", "proto", "saddr", "sport", "daddr", "dport"];

async function raFields(file: string, fields: string[]): Promise<string> {
  const r = await run("ra", [
    "-X",
    "-n",
    "-r",
    file,
    "-s",
    ...BASE_FIELDS,
    ...fields,
  ]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

/** Runs `fn` on every item, `width` at a time. */
async function pool<T>(
  items: T[],
  width: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: width }, worker));
}

for (const [options, fields, skip = {}] of CASES) {
  Deno.test({
    name: `metrics: argus ${options.join(" ")} equals the real argus's`,
    ignore: !haveRealArgus(),
    async fn(t) {
      const dir = await Deno.makeTempDir({ prefix: "argus-ts-metrics-" });
      try {
        // Both sensors on every capture first, several at a time (the real
        // argus idles a second before it exits), then one step each.
        const failed = new Map<string, string>();
        await pool(captures, 6, async (name) => {
          const pcap = `${CORPUS}${name}`;
          const [r, o] = await Promise.all([
            run("argus", [
              "-X",
              ...options,
              "-r",
              pcap,
              "-w",
              `${dir}/${name}.real.argus`,
            ]),
            runOurArgus([
              "-X",
              ...options,
              "-r",
              pcap,
              "-w",
              `${dir}/${name}.ours.argus`,
            ]),
          ]);
          if (r.code !== 0) failed.set(name, `real argus: ${r.stderr}`);
          if (o.code !== 0) failed.set(name, `our argus: ${o.stderr}`);
        });
        for (const name of captures) {
          if (skip[name] !== undefined) continue;
          await t.step(name, async () => {
            assert.equal(failed.get(name), undefined);
            const real = `${dir}/${name}.real.argus`;
            const ours = `${dir}/${name}.ours.argus`;
            const diff = firstRecordDifference(
              await Deno.readFile(real),
              await Deno.readFile(ours),
            );
            assert.equal(diff, null, `${name}: ${diff}`);
            assert.equal(
              await raFields(ours, fields),
              await raFields(real, fields),
            );
          });
        }
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}
