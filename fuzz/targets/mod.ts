/**
 * The fuzz targets, one per parser that sees outside bytes (issue 7 part
 * 1), in the order a run goes through them.
 * @module
 */

import type { FuzzTarget } from "../target.ts";
import { captureTarget } from "./capture.ts";
import { recordsTarget } from "./records.ts";
import { clientsTarget } from "./clients.ts";
import { confTarget } from "./conf.ts";
import { filterTarget } from "./filter.ts";
import { bpfTarget } from "./bpf.ts";
import { accessTarget } from "./access.ts";
import { remoteTarget } from "./remote.ts";
import { argusTarget } from "./argus.ts";

/** Every target. */
export const TARGETS: readonly FuzzTarget[] = [
  captureTarget,
  argusTarget,
  recordsTarget,
  clientsTarget,
  confTarget,
  filterTarget,
  bpfTarget,
  accessTarget,
  remoteTarget,
];

/** A target by name, or undefined. */
export function targetNamed(name: string): FuzzTarget | undefined {
  return TARGETS.find((t) => t.name === name);
}
