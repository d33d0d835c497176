/**
 * argus(8)'s -D debug log: messages at or below the level go to stderr,
 * or to syslog (facility daemon, RFC 3164 datagrams on /dev/log) once the
 * sensor is a daemon. SIGUSR1 raises the level by one (to 30 at most) and
 * SIGUSR2 sets it to 0, as argus(8) says. Also the one-line error printer.
 * @module
 */

import { UnixDatagramSocket } from "../../../ffi/mod.ts";
import { MONTHS } from "../../client/time_format.ts";

/** syslog(3) severities. */
export const LOG_EMERG = 0;
export const LOG_ALERT = 1;
export const LOG_CRIT = 2;
export const LOG_ERR = 3;
export const LOG_WARNING = 4;
export const LOG_NOTICE = 5;
export const LOG_INFO = 6;
export const LOG_DEBUG = 7;

/** argus's ArgusPriorityStr: the label ArgusLog puts before a message. */
const ARGUS_LABELS = [
  "ArgusEmergency",
  "    ArgusAlert",
  " ArgusCritical",
  "    ArgusError",
  "  ArgusWarning",
  "   ArgusNotice",
  "     ArgusInfo",
  "    ArgusDebug",
];
/** LOG_DAEMON, the facility argus opens its log with. */
const LOG_DAEMON = 3 << 3;
/** argus's ArgusUsr1Sig stops raising the level here. */
export const MAX_DEBUG_LEVEL = 30;

/** Where a DebugLog writes; the defaults are the process's own. */
export interface DebugLogOptions {
  /** The program name in every line. @default "argus" */
  program?: string;
  /** The -D level. @default 0 */
  level?: number;
  /** The syslog socket. @default "/dev/log" */
  syslogPath?: string;
  /** Writes one line (with its newline) to standard error. */
  writeStderr?: (line: string) => void;
  /** The clock in (fractional) ms, for tests. @default the wall clock */
  now?: () => number;
}

/** The sensor's log: debug messages by level, notices, one-line errors. */
export class DebugLog {
  /** Messages at or below this level are written (-D). */
  level: number;
  readonly program: string;
  readonly syslogPath: string;
  #syslog: UnixDatagramSocket | null = null;
  readonly #writeStderr: (line: string) => void;
  readonly #now: () => number;
  readonly #encoder = new TextEncoder();

  constructor(options: DebugLogOptions = {}) {
    this.level = options.level ?? 0;
    this.program = options.program ?? "argus";
    this.syslogPath = options.syslogPath ?? "/dev/log";
    this.#writeStderr = options.writeStderr ?? writeStderr;
    // Fractional milliseconds: argus's log times show microseconds.
    this.#now = options.now ??
      (() => performance.timeOrigin + performance.now());
  }

  /** Whether messages go to syslog rather than stderr. */
  get usesSyslog(): boolean {
    return this.#syslog !== null;
  }

  /**
   * From now on, write to syslog only (a daemon's stderr is /dev/null).
   * Needs --allow-ffi; a missing /dev/log loses messages, as syslog(3) does.
   */
  toSyslog(): void {
    this.#syslog ??= UnixDatagramSocket.open();
  }

  /** Back to stderr (closes the syslog socket). */
  toStderr(): void {
    this.#syslog?.close();
    this.#syslog = null;
  }

  /** Writes `message` if `level` is at or below the -D level. */
  debug(level: number, message: string): void {
    if (level > this.level) return;
    this.#write(LOG_DEBUG, message);
  }

  /** A notice whatever the level ("started"), as argus's ArgusLog. */
  notice(message: string): void {
    this.#write(LOG_NOTICE, message);
  }

  /**
   * argus's own ArgusLog form, for messages the real argus prints the
   * same way: "    ArgusAlert: 03 Dec 26 10:22:52.088145 started" on
   * stderr (checked: argus 3.0.8.2 -i lo), `severity` in syslog.
   */
  argusLog(severity: number, message: string): void {
    if (this.#syslog !== null) {
      this.#send(severity, message);
      return;
    }
    const label = ARGUS_LABELS[severity] ?? ARGUS_LABELS[LOG_ALERT];
    this.#writeStderr(`${label}: ${argusTime(this.#now())} ${message}\n`);
  }

  /** One error line: `argus: message` on stderr, LOG_ERR in syslog. */
  error(message: string): void {
    if (this.#syslog !== null) this.#send(LOG_ERR, message);
    else this.#writeStderr(`${this.program}: ${message}\n`);
  }

  /**
   * SIGUSR1 raises the level by one, SIGUSR2 sets it to 0; each change is
   * logged at level 0 in argus's words.
   * @returns a function that removes the two listeners
   */
  watchSignals(): () => void {
    const up = () => {
      this.level = Math.min(this.level + 1, MAX_DEBUG_LEVEL);
      this.debug(0, `ArgusUsr1Sig: debug ${this.level} enabled`);
    };
    const off = () => {
      this.level = 0;
      this.debug(0, "ArgusUsr2Sig: debug disabled");
    };
    Deno.addSignalListener("SIGUSR1", up);
    Deno.addSignalListener("SIGUSR2", off);
    return () => {
      Deno.removeSignalListener("SIGUSR1", up);
      Deno.removeSignalListener("SIGUSR2", off);
    };
  }

  #write(severity: number, message: string): void {
    if (this.#syslog !== null) {
      this.#send(severity, message);
      return;
    }
    // argus's ArgusDebug: "argus[pid]: 03 Dec 26 10:20:31.458756 message".
    const t = this.#now();
    this.#writeStderr(
      `${this.program}[${Deno.pid}]: ${argusTime(t)} ${message}\n`,
    );
  }

  #send(severity: number, message: string): void {
    const line = syslogLine(
      LOG_DAEMON | severity,
      this.#now(),
      `${this.program}[${Deno.pid}]`,
      message,
    );
    this.#syslog!.sendTo(this.syslogPath, this.#encoder.encode(line));
  }
}

/**
 * An RFC 3164 message as glibc's syslog(3) sends it to /dev/log:
 * "<PRI>Mmm dd hh:mm:ss tag: message", local time, no host name.
 */
export function syslogLine(
  priority: number,
  ms: number,
  tag: string,
  message: string,
): string {
  const d = new Date(ms);
  const day = String(d.getDate()).padStart(2, " ");
  return `<${priority}>${MONTHS[d.getMonth()]} ${day} ${hms(d)} ${tag}: ${
    message.replace(/\n+$/, "")
  }`;
}

/** argus's print_time in its log lines: "03 Dec 26 10:20:31.458756". */
export function argusTime(ms: number): string {
  const d = new Date(ms);
  const dd = String(d.getDate()).padStart(2, "0");
  const yy = String(d.getFullYear() % 100).padStart(2, "0");
  const us = String(Math.floor(ms * 1000) % 1_000_000).padStart(6, "0");
  return `${dd} ${MONTHS[d.getMonth()]} ${yy} ${hms(d)}.${us}`;
}

function hms(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

const stderrEncoder = new TextEncoder();

function writeStderr(line: string): void {
  try {
    Deno.stderr.writeSync(stderrEncoder.encode(line));
  } catch {
    // Nowhere left to report to.
  }
}

/** The argus sensor's log (signals and the -D level are process-wide). */
export const log: DebugLog = new DebugLog();
