/**
 * A fuzz campaign: each target's inputs [from, from+n) split over worker
 * threads, a watchdog that stops a worker whose input never returns (that
 * input is a hang; the worker restarts after it), crashing inputs saved to
 * a directory, and per-target counts.
 * @module
 */

import { fuzzInput } from "./fuzz_input.ts";
import { targetNamed } from "./targets/mod.ts";
import type {
  Finding,
  FuzzJob,
  JobCounts,
  WorkerMessage,
} from "./worker_protocol.ts";

/** What to run. */
export interface CampaignOptions {
  targets: readonly string[];
  seed: number;
  /** Inputs per target. */
  inputs: number;
  /** First input number. @default 0 */
  from?: number;
  /** Worker threads per target. @default 1 */
  jobs?: number;
  /** An input slower than this is a hang. @default 2000 */
  budgetMs?: number;
  /** A worker stuck this long on one input is stopped. @default 10000 */
  killMs?: number;
  /** Where crashing inputs are written (none when absent). */
  crashDir?: string;
  /** Called when a target is done. */
  onTarget?: (r: TargetResult) => void;
}

/** One target's results. */
export interface TargetResult {
  target: string;
  counts: JobCounts;
  findings: Finding[];
  seconds: number;
}

const WORKER = new URL("./fuzz_worker.ts", import.meta.url);

/** Runs one range in a worker; resolves with its counts. */
function runWorker(
  job: FuzzJob,
  killMs: number,
  onFinding: (f: Finding) => void,
): Promise<JobCounts | { stuckAt: number; counts: JobCounts }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER, { type: "module" });
    const progress = new Int32Array(job.progress);
    let lastDone = -1, since = Date.now();
    const partial: JobCounts = { inputs: 0, ok: 0, refused: 0, maxMs: 0 };
    const timer = setInterval(() => {
      const done = Atomics.load(progress, 1);
      if (done !== lastDone) {
        lastDone = done;
        since = Date.now();
      } else if (Date.now() - since > killMs) {
        clearInterval(timer);
        w.terminate();
        partial.inputs = done;
        partial.maxMs = killMs;
        resolve({ stuckAt: Atomics.load(progress, 0), counts: partial });
      }
    }, 250);
    w.onmessage = (ev: MessageEvent<WorkerMessage>) => {
      const m = ev.data;
      if (m.type === "finding") onFinding(m.finding);
      else {
        clearInterval(timer);
        w.terminate();
        resolve(m.counts);
      }
    };
    w.onerror = (ev) => {
      ev.preventDefault();
      clearInterval(timer);
      w.terminate();
      reject(new Error(`Fuzz worker failed: ${ev.message}`));
    };
    w.postMessage(job);
  });
}

/** Runs [from, to) of one target in one thread, restarting past hangs. */
async function runRange(
  target: string,
  seed: number,
  from: number,
  to: number,
  budgetMs: number,
  killMs: number,
  onFinding: (f: Finding) => void,
): Promise<JobCounts> {
  const total: JobCounts = { inputs: 0, ok: 0, refused: 0, maxMs: 0 };
  let at = from;
  while (at < to) {
    const progress = new SharedArrayBuffer(8);
    const r = await runWorker(
      { target, seed, from: at, to, budgetMs, progress },
      killMs,
      onFinding,
    );
    const counts = "stuckAt" in r ? r.counts : r;
    total.ok += counts.ok;
    total.refused += counts.refused;
    total.maxMs = Math.max(total.maxMs, counts.maxMs);
    if (!("stuckAt" in r)) {
      total.inputs += counts.inputs;
      break;
    }
    // The stuck input is a hang; go on after it.
    const t = targetNamed(target)!;
    const input = fuzzInput(t, await t.seeds(), seed, r.stuckAt);
    onFinding({
      kind: "hang",
      target,
      seed,
      index: r.stuckAt,
      signature: `no return within ${killMs} ms`,
      message: `still running after ${killMs} ms: stopped`,
      stack: "",
      ms: killMs,
      input,
    });
    total.inputs += r.stuckAt - at + 1;
    at = r.stuckAt + 1;
  }
  return total;
}

/** Saves a finding's input and what is known of it. */
async function saveFinding(dir: string, f: Finding): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  const base = `${dir}/${f.target}-${f.seed}-${f.index}`;
  await Deno.writeFile(`${base}.bin`, f.input);
  await Deno.writeTextFile(
    `${base}.txt`,
    `${f.kind} in ${f.target} (seed ${f.seed}, input ${f.index}, ${
      f.ms.toFixed(0)
    } ms)\n${f.signature}\n${f.message}\n${f.stack}\n` +
      `again: deno task fuzz --target ${f.target} --seed ${f.seed} --from ${f.index} --inputs 1\n`,
  );
}

/** Runs the campaign; returns each target's results. */
export async function runCampaign(
  o: CampaignOptions,
): Promise<TargetResult[]> {
  const results: TargetResult[] = [];
  const from = o.from ?? 0;
  const jobs = Math.max(1, o.jobs ?? 1);
  const budgetMs = o.budgetMs ?? 2000;
  const killMs = Math.max(o.killMs ?? 10_000, budgetMs);
  for (const target of o.targets) {
    if (targetNamed(target) === undefined) {
      throw new Error(`No fuzz target "${target}"`);
    }
    const t0 = performance.now();
    const findings: Finding[] = [];
    const saved = new Map<string, number>();
    const writes: Promise<void>[] = [];
    const onFinding = (f: Finding) => {
      findings.push(f);
      // A few inputs per cause are enough to debug it.
      const n = saved.get(f.signature) ?? 0;
      saved.set(f.signature, n + 1);
      if (o.crashDir !== undefined && n < 5) {
        writes.push(saveFinding(o.crashDir, f));
      }
    };
    const per = Math.ceil(o.inputs / jobs);
    const ranges: Promise<JobCounts>[] = [];
    for (let j = 0; j < jobs; j++) {
      const a = from + j * per, b = Math.min(from + o.inputs, a + per);
      if (a < b) {
        ranges.push(
          runRange(target, o.seed, a, b, budgetMs, killMs, onFinding),
        );
      }
    }
    const parts = await Promise.all(ranges);
    await Promise.all(writes);
    const counts: JobCounts = { inputs: 0, ok: 0, refused: 0, maxMs: 0 };
    for (const p of parts) {
      counts.inputs += p.inputs;
      counts.ok += p.ok;
      counts.refused += p.refused;
      counts.maxMs = Math.max(counts.maxMs, p.maxMs);
    }
    const r = {
      target,
      counts,
      findings,
      seconds: (performance.now() - t0) / 1000,
    };
    results.push(r);
    o.onTarget?.(r);
  }
  return results;
}
