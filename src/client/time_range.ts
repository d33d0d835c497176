/**
 * ra's -t time range: which records a client keeps by their times.
 * TODO(#3): the full ra(1) -t syntax (relative times, partial dates).
 * @module
 */

import { UsageError } from "../cli/mod.ts";

/** A time range in µs since the epoch: [start, end). */
export interface TimeRange {
  start: number;
  end: number;
}

/** Parses -t text; this first version takes "secs-secs" (epoch seconds). */
export function parseTimeRange(text: string, _nowUs: number): TimeRange {
  const m = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(text);
  if (m === null) throw new UsageError(`-t: bad time range "${text}"`);
  return {
    start: Math.round(Number(m[1]) * 1e6),
    end: Math.round(Number(m[2]) * 1e6),
  };
}

/** Whether a record spanning [startUs, lastUs] is in the range. */
export function inTimeRange(
  range: TimeRange,
  startUs: number,
  lastUs: number,
): boolean {
  return lastUs >= range.start && startUs < range.end;
}
