/**
 * Compares two live captures' record files through the real ra
 * (argus-reference --records, then flowdiff), exact to the microsecond
 * except where the kernel itself gives two capture sockets different
 * timestamps for one packet: TCP segments sent by a namespace's own TCP
 * stack and received on the captured veth.
 * @module
 */

import { flowdiff, recordsTable, run, TOOLS } from "./oracle.ts";

/**
 * Timestamp tolerance (s) for flows of the kernel's own TCP. Such segments
 * carry the sender's monotonic departure time (TCP's EDT), which survives
 * the veth into the other namespace, so the stack does not stamp them once
 * on arrival: each packet socket takes its own clock reading as it gets
 * its copy. Measured: 2 µs apart between two real argus.
 */
export const KERNEL_TCP_TOLERANCE = 0.0005;

/** The verdict on two files. */
export interface LiveDiff {
  ok: boolean;
  /** flowdiff's last line for the exact part, then for the kernel TCP part. */
  match: string;
  report: string;
  /** Rows of the reference table (both parts). */
  rows: number;
}

/**
 * Tables of `expected` and `actual` (record files) by the real ra, compared
 * exactly except for TCP flows on `kernelTcpPorts`, whose times may differ
 * by KERNEL_TCP_TOLERANCE.
 */
export async function compareLive(
  expected: string,
  actual: string,
  dir: string,
  kernelTcpPorts: number[],
): Promise<LiveDiff> {
  const parts = [];
  let rows = 0;
  for (const [name, file] of [["expected", expected], ["actual", actual]]) {
    const csv = `${dir}/${name}.csv`;
    const r = await recordsTable(file!, csv);
    if (r.code !== 0) {
      throw new Error(`The real ra cannot read "${file}": ${r.stderr.trim()}`);
    }
    const [exact, loose] = await splitTable(csv, kernelTcpPorts);
    if (name === "expected") rows = exact + loose;
    parts.push(csv);
  }
  const exact = await flowdiff(`${parts[0]}.exact`, `${parts[1]}.exact`);
  const loose = await run(`${TOOLS}flowdiff`, [
    "--examples",
    "20",
    "--tolerance",
    String(KERNEL_TCP_TOLERANCE),
    `${parts[0]}.ktcp`,
    `${parts[1]}.ktcp`,
  ]);
  const looseMatch = loose.stdout.trim().split("\n").at(-1) ?? "";
  return {
    ok: exact.ok && loose.code === 0,
    match: `${exact.match}; kernel TCP flows: ${looseMatch}`,
    report:
      `${exact.report}\n--- kernel TCP flows ---\n${loose.stdout}${loose.stderr}`,
    rows,
  };
}

/**
 * Writes `csv`.exact (all rows but kernel TCP ones) and `csv`.ktcp (those),
 * each with the header; returns their row counts.
 */
async function splitTable(
  csv: string,
  ports: number[],
): Promise<[number, number]> {
  const [header, ...rows] = (await Deno.readTextFile(csv)).split("\n").filter(
    (l) => l !== "",
  );
  const col = (header ?? "").split(",");
  const [proto, sport, dport] = ["proto", "sport", "dport"].map((c) =>
    col.indexOf(c)
  );
  const wanted = new Set(ports.map(String));
  const exact = [header];
  const ktcp = [header];
  for (const row of rows) {
    const f = row.split(",");
    const kernel = f[proto!] === "tcp" &&
      (wanted.has(f[sport!]!) || wanted.has(f[dport!]!));
    (kernel ? ktcp : exact).push(row);
  }
  await Deno.writeTextFile(`${csv}.exact`, exact.join("\n") + "\n");
  await Deno.writeTextFile(`${csv}.ktcp`, ktcp.join("\n") + "\n");
  return [exact.length - 1, ktcp.length - 1];
}
