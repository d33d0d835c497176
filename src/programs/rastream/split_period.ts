/**
 * rastream's `-M time N[smhd]`: the bin size and how bins line up
 * (argus_client.c ArgusAlignInit, rastream.c RaSendArgusRecord): seconds,
 * minutes and hours from the epoch for cutting records, whole local days
 * for days; file names always start on a local-time multiple of the size.
 * @module
 */

import { UsageError } from "../../cli/mod.ts";

/** A time bin size. */
export interface SplitPeriod {
  /** Bin length, µs. */
  size: number;
  /** Whether bins are local days (the "d" unit). */
  days: boolean;
  /** The text as given ("5m"). */
  text: string;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Parses `5m`, `1s`, `2h`, `1d` (a bare number is seconds). */
export function parseSplitPeriod(text: string): SplitPeriod {
  const m = /^(\d+)([smhd]?)$/.exec(text);
  if (m === null || Number(m[1]) <= 0) {
    throw new UsageError(
      `-M time: cannot use period "${text}": give N followed by s, m, h or d`,
    );
  }
  const unit = m[2] || "s";
  const seconds = Number(m[1]) * UNIT_SECONDS[unit]!;
  return { size: seconds * 1_000_000, days: unit === "d", text };
}

/** Seconds east of UTC in force at `sec` (tm_gmtoff). */
export function gmtOffset(sec: number): number {
  return -new Date(sec * 1000).getTimezoneOffset() * 60;
}

/**
 * Start (µs) of the bin that cuts a record starting at `t` µs: epoch
 * multiples, except days, which start at local midnight.
 */
export function alignStart(p: SplitPeriod, t: number): number {
  if (!p.days) return Math.floor(t / p.size) * p.size;
  const off = gmtOffset(Math.floor(t / 1e6)) * 1e6;
  return Math.floor((t + off) / p.size) * p.size - off;
}

/**
 * Start (seconds) of the file holding a record piece that starts in
 * second `sec`: a local-time multiple of the size (RaSendArgusRecord).
 */
export function fileStart(p: SplitPeriod, sec: number): number {
  const size = p.size / 1e6, off = gmtOffset(sec);
  return Math.floor((sec + off) / size) * size - off;
}
