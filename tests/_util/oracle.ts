/**
 * The real Argus 3.0.8 as a test oracle (../shared/tools): canonical flow
 * tables from the real argus+ra on a capture, or from the real ra on a
 * record file we wrote, and flowdiff between two tables.
 * @module
 */

/** Repository-relative location of the shared oracle material. */
export const SHARED = new URL("../../../shared/", import.meta.url).pathname;
export const CORPUS = `${SHARED}corpus/`;
export const TOOLS = `${SHARED}tools/`;

/** Result of running a command. */
export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion. */
export async function run(
  cmd: string,
  args: string[],
  stdin?: Uint8Array,
): Promise<Ran> {
  const child = new Deno.Command(cmd, {
    args,
    stdin: stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Feed stdin while reading the output: a child whose output fills the
  // pipe would otherwise wait for us while we wait for it.
  const feeding = stdin
    ? (async () => {
      const w = child.stdin.getWriter();
      await w.write(stdin);
      await w.close();
    })()
    : Promise.resolve();
  const [out] = await Promise.all([child.output(), feeding]);
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** Our argus (`deno run -A main.ts argus ARGS`) to completion. */
export function runOurArgus(args: string[], stdin?: Uint8Array): Promise<Ran> {
  return run(Deno.execPath(), ["run", "-A", MAIN, "argus", ...args], stdin);
}

/** The real argus's canonical table for a capture (argus-reference). */
export async function referenceTable(
  pcap: string,
  csv: string,
  argusFlags: string[] = [],
  keepRecords?: string,
): Promise<Ran> {
  const args = keepRecords
    ? ["--keep-argus", keepRecords, pcap, csv]
    : [pcap, csv];
  if (argusFlags.length) args.push("--", ...argusFlags);
  return await run(`${TOOLS}argus-reference`, args);
}

/** The canonical table the real ra prints from a record file. */
export async function recordsTable(records: string, csv: string): Promise<Ran> {
  return await run(`${TOOLS}argus-reference`, ["--records", records, csv]);
}

/** flowdiff's verdict on two tables. */
export interface Diff {
  ok: boolean;
  match: string;
  report: string;
}

/** Compares two canonical tables with flowdiff. */
export async function flowdiff(
  expected: string,
  actual: string,
): Promise<Diff> {
  const r = await run(`${TOOLS}flowdiff`, [
    "--examples",
    "20",
    expected,
    actual,
  ]);
  const lines = r.stdout.trim().split("\n");
  return {
    ok: r.code === 0,
    match: lines.at(-1) ?? "",
    report: r.stdout + r.stderr,
  };
}

/** Whether the real argus and ra are installed. */
export function haveRealArgus(): boolean {
  for (const p of ["/usr/sbin/argus", "/usr/bin/ra"]) {
    try {
      Deno.statSync(p);
    } catch {
      return false;
    }
  }
  return true;
}
