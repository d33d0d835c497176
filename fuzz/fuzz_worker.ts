/**
 * The fuzz worker: runs one job's inputs of one target in order, timing
 * each, and reports crashes and hangs as they happen and its counts at the
 * end. It runs in a Worker so the campaign can stop it if an input never
 * returns.
 * @module
 */

/// <reference lib="deno.worker" />

import { fuzzInput } from "./fuzz_input.ts";
import { targetNamed } from "./targets/mod.ts";
import {
  type FuzzJob,
  type JobCounts,
  signatureOf,
  type WorkerMessage,
} from "./worker_protocol.ts";
import { cleanUpClients } from "./targets/clients.ts";
import { stopRemoteServer } from "./targets/remote.ts";
import { cleanUpArgus } from "./targets/argus.ts";
import type { FuzzTarget } from "./target.ts";

const seedsOf = new Map<string, Uint8Array[]>();

/** Runs one job; `report` gets findings as they happen. */
export async function runJob(
  job: FuzzJob,
  report: (m: WorkerMessage) => void,
): Promise<JobCounts> {
  const target: FuzzTarget | undefined = targetNamed(job.target);
  if (target === undefined) throw new Error(`No fuzz target "${job.target}"`);
  let seeds = seedsOf.get(target.name);
  if (seeds === undefined) {
    seeds = await target.seeds();
    seedsOf.set(target.name, seeds);
  }
  const progress = new Int32Array(job.progress);
  const counts: JobCounts = { inputs: 0, ok: 0, refused: 0, maxMs: 0 };
  for (let i = job.from; i < job.to; i++) {
    Atomics.store(progress, 0, i | 0);
    const input = fuzzInput(target, seeds, job.seed, i);
    const t0 = performance.now();
    let failure: unknown = null;
    let failed = false;
    try {
      await target.run(input);
      counts.ok++;
    } catch (e) {
      if (target.expected(e)) counts.refused++;
      else {
        failed = true;
        failure = e;
      }
    }
    const ms = performance.now() - t0;
    if (ms > counts.maxMs) counts.maxMs = ms;
    counts.inputs++;
    Atomics.add(progress, 1, 1);
    if (failed || ms > job.budgetMs) {
      const { sig, stack } = failed
        ? signatureOf(failure)
        : { sig: `hang over ${job.budgetMs} ms`, stack: "" };
      report({
        type: "finding",
        finding: {
          kind: failed ? "crash" : "hang",
          target: target.name,
          seed: job.seed,
          index: i,
          signature: sig,
          message: failed
            ? (failure instanceof Error ? failure.message : String(failure))
            : `took ${ms.toFixed(0)} ms`,
          stack,
          ms,
          input,
        },
      });
    }
  }
  return counts;
}

// As a worker: one job per message.
if (
  typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !==
    "undefined"
) {
  self.onmessage = async (ev: MessageEvent<FuzzJob>) => {
    const counts = await runJob(ev.data, (m) => self.postMessage(m));
    cleanUpClients();
    stopRemoteServer();
    cleanUpArgus();
    self.postMessage({ type: "done", counts } satisfies WorkerMessage);
  };
}
