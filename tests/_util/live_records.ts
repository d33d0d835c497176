/**
 * What a live sensor's record file says about the capture, read with our
 * record reader: its management records (opening, status, closing: packets
 * received, drops) and the packets its flow records account for.
 * @module
 */

import {
  Cause,
  type MarRecord,
  readArgusRecords,
  type RecordFormatError,
} from "../../src/record/mod.ts";

/** Summary of one record file. */
export interface RecordCensus {
  mars: MarRecord[];
  /** Flow records. */
  flows: number;
  /** Sum of spkts + dpkts over the flow records. */
  packets: number;
  /** Whether the last record is a closing MAR (cause STOP). */
  closed: boolean;
  /** The reader's complaint, when the file ends damaged. */
  damage: RecordFormatError | null;
}

/** Reads a record file through. */
export async function recordCensus(file: string): Promise<RecordCensus> {
  const c: RecordCensus = {
    mars: [],
    flows: 0,
    packets: 0,
    closed: false,
    damage: null,
  };
  let lastIsStop = false;
  try {
    for await (const rec of readArgusRecords(file)) {
      if (rec.kind === "mar") {
        c.mars.push(rec);
        lastIsStop = rec.cause === Cause.STOP;
      } else if (rec.kind === "flow") {
        c.flows++;
        c.packets += (rec.metric?.srcPkts ?? 0) + (rec.metric?.dstPkts ?? 0);
        lastIsStop = false;
      } else {
        lastIsStop = false;
      }
    }
  } catch (e) {
    c.damage = e as RecordFormatError;
  }
  c.closed = lastIsStop && c.damage === null;
  return c;
}

/** The management records of a file. */
export async function readMars(file: string): Promise<MarRecord[]> {
  return (await recordCensus(file)).mars;
}
