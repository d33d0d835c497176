/**
 * racluster's aggregation in phases, in one process on records held in
 * memory (no reading, no output): CanonRecord.load alone, then with the
 * key built and looked up, then whole (AggregationTable.add), for the
 * default key and -m saddr. Each phase runs several passes; the best
 * pass is printed, in ns per record.
 *
 *   deno run -A --v8-flags=--max-semi-space-size=2,--no-use-osr bench/racluster_bench.ts [records.argus] [--passes N] [--copies N]
 * @module
 */

import { parseArgs } from "node:util";
import {
  AggregationTable,
  CanonRecord,
  defaultKeySpec,
  KEY_BYTES,
  keyBytes,
  KeyIndex,
  type KeySpec,
  maskFlow,
  parseKeySpec,
} from "../src/cluster/mod.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    passes: { type: "string", default: "5" },
    copies: { type: "string", default: "8" },
  },
});
const file = positionals[0] ?? "/tmp/big.argus";
const one = Deno.readFileSync(file);
const copies = Number(values.copies);
const buf = new Uint8Array(one.length * copies);
for (let i = 0; i < copies; i++) buf.set(one, i * one.length);

/** Record starts and lengths (each record's header holds its length). */
const starts: number[] = [], lengths: number[] = [];
for (let p = 0; p + 4 <= buf.length;) {
  const n = ((buf[p + 2]! << 8) | buf[p + 3]!) * 4;
  if (n === 0) break;
  starts.push(p);
  lengths.push(n);
  p += n;
}

function phase(name: string, run: () => void): void {
  let best = Infinity;
  for (let i = 0; i < Number(values.passes); i++) {
    const t = performance.now();
    run();
    best = Math.min(best, performance.now() - t);
  }
  const ns = (best * 1e6) / starts.length;
  console.log(`${name.padEnd(28)} ${ns.toFixed(0).padStart(6)} ns/record`);
}

const r = new CanonRecord();
const loadAll = (spec: KeySpec | null, find: KeyIndex | null) => {
  for (let i = 0; i < starts.length; i++) {
    if (!r.load(buf, starts[i]!, lengths[i]!, true)) continue;
    if (spec === null) continue;
    maskFlow(spec, r);
    const n = keyBytes(spec, r);
    const h = KeyIndex.hash(KEY_BYTES, n);
    if (find !== null && find.find(KEY_BYTES, n, h) < 0) {
      find.store(i, KEY_BYTES, n);
      find.index(i, KEY_BYTES, n, h);
    }
  }
};
console.log(`${starts.length} records`);
phase("load", () => loadAll(null, null));
for (
  const [name, spec] of [
    ["default", defaultKeySpec()],
    ["-m saddr", parseKeySpec(["saddr"])],
  ] as const
) {
  phase(`${name}: load+key+find`, () => loadAll(spec, new KeyIndex()));
  phase(`${name}: add`, () => {
    const t = new AggregationTable(spec);
    for (let i = 0; i < starts.length; i++) {
      if (r.load(buf, starts[i]!, lengths[i]!, true)) t.add(r);
    }
  });
}
