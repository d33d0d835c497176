/**
 * cFixed against C's printf("%.*f"): Python's %-formatting rounds the way
 * glibc does (exact binary value, ties to even), so it is the oracle for
 * single-precision values like the ones ra prints, ties included.
 * @module
 */

import assert from "node:assert/strict";
import { cFixed } from "../../src/client/print_cell.ts";
import { run } from "../_util/oracle.ts";

/** Values ra prints: float durations, rates, ties at each precision. */
function samples(): number[] {
  const out = [0, 0.5, 1.5, 2.5, 0.125, 0.375, 0.0078125, 1e-7, 123456.5];
  let seed = 12345;
  for (let i = 0; i < 400; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const x = seed / 2 ** 31;
    out.push(Math.fround(x * 10 ** (i % 9)));
    // Binary fractions land exactly halfway at some precision.
    out.push(Math.floor(x * 2 ** 10) / 2 ** (i % 12));
  }
  return out;
}

Deno.test("cFixed() prints what printf prints, ties to even", async () => {
  const values = samples();
  const script = "import sys\n" +
    "for line in sys.stdin:\n" +
    "  x = float(line)\n" +
    "  print(' '.join('%.*f' % (p, x) for p in range(7)))\n";
  const r = await run(
    "python3",
    ["-c", script],
    new TextEncoder().encode(values.map((v) => v.toString()).join("\n")),
  );
  assert.equal(r.code, 0, r.stderr);
  const expected = r.stdout.trimEnd().split("\n");
  values.forEach((v, i) => {
    const ours = [0, 1, 2, 3, 4, 5, 6].map((p) => cFixed(v, p)).join(" ");
    assert.equal(ours, expected[i], `value ${v}`);
  });
});

Deno.test("cFixed() keeps a negative zero's sign and names NaN as glibc", () => {
  assert.equal(cFixed(-0, 6), "-0.000000");
  assert.equal(cFixed(NaN, 6), "-nan");
  assert.equal(cFixed(Infinity, 2), "inf");
});
