/**
 * IP fragments (argus ArgusFrag.c): fragment flows and their accounting
 * against the flow of the first fragment.
 * TODO(#2): the full port of argus's fragment bookkeeping; for now
 * fragments after the first are their own flows.
 * @module
 */

import type { Flow } from "./flow.ts";
import type { FlowEngine } from "./flow_engine.ts";

/** Updates a fragment flow; true when it is finished and can go. */
export function updateFragState(
  _m: FlowEngine,
  _flow: Flow,
  _state: number,
): boolean {
  return false;
}

/** Registers the expected fragments of a first fragment's flow. */
export function startFragments(
  _m: FlowEngine,
  _flow: Flow,
  _state: number,
  _ip: number,
  _ipv6: boolean,
): void {}

/** Folds a fragment flow's counts into its parent. */
export function updateParentFlowImpl(_m: FlowEngine, _frag: Flow): void {}
