/**
 * ArgusRecord: what the reader yields and the writer takes — a flow
 * record, a management record, or (for a layout this codec does not model,
 * such as a supplemental MAR) the record's raw bytes, which round-trip.
 * @module
 */

import type { FlowRecord } from "./flow_record.ts";
import type { MarRecord } from "./mar.ts";

/** An undecoded record, header included. */
export interface RawRecord {
  kind: "raw";
  bytes: Uint8Array;
}

/** Any Argus 3 record. */
export type ArgusRecord = FlowRecord | MarRecord | RawRecord;
