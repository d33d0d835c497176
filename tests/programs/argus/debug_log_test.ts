/**
 * argus -D: the debug log's level filter and line form on stderr, its
 * RFC 3164 datagrams once it logs to syslog (received on a socket bound
 * here, and compared with what util-linux `logger` sends), and SIGUSR1 /
 * SIGUSR2 raising and clearing the level.
 * @module
 */

import assert from "node:assert/strict";
import { UnixDatagramSocket } from "../../../ffi/mod.ts";
import { CORPUS, haveRealArgus, run } from "../../_util/oracle.ts";
import {
  argusTime,
  DebugLog,
  LOG_ALERT,
  LOG_ERR,
  LOG_WARNING,
  syslogLine,
} from "../../../src/programs/argus/debug_log.ts";

/** A fixed instant: 3 Dec 2026, 10:20:31.458756 local time. */
const T = new Date(2026, 11, 3, 10, 20, 31, 458).getTime() + 0.756;

function capture(level: number): { log: DebugLog; lines: string[] } {
  const lines: string[] = [];
  const log = new DebugLog({
    level,
    writeStderr: (l) => lines.push(l),
    now: () => T,
  });
  return { log, lines };
}

/** Binds a datagram socket in a fresh directory; collects what arrives. */
async function syslogListener(): Promise<{
  path: string;
  socket: UnixDatagramSocket;
  receive: (n: number) => Promise<string[]>;
  [Symbol.asyncDispose]: () => Promise<void>;
}> {
  const dir = await Deno.makeTempDir({ prefix: "dlog-" });
  const path = `${dir}/log`;
  const socket = UnixDatagramSocket.bind(path);
  const buf = new Uint8Array(2048);
  return {
    path,
    socket,
    async receive(n) {
      const got: string[] = [];
      for (let i = 0; i < 200 && got.length < n; i++) {
        const len = socket.receive(buf);
        if (len >= 0) {
          got.push(new TextDecoder().decode(buf.subarray(0, len)));
        } else await new Promise((r) => setTimeout(r, 10));
      }
      return got;
    },
    async [Symbol.asyncDispose]() {
      socket.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("argusTime() is argus's log time: day month year time.microseconds", () => {
  assert.equal(argusTime(T), "03 Dec 26 10:20:31.458756");
});

Deno.test("DebugLog.debug() writes levels up to -D, in argus's line form", () => {
  const { log, lines } = capture(2);
  log.debug(1, "one");
  log.debug(2, "two");
  log.debug(3, "three"); // above -D 2
  assert.deepEqual(lines, [
    `argus[${Deno.pid}]: 03 Dec 26 10:20:31.458756 one\n`,
    `argus[${Deno.pid}]: 03 Dec 26 10:20:31.458756 two\n`,
  ]);
  const quiet = capture(0);
  quiet.log.debug(1, "not at -D 0");
  assert.deepEqual(quiet.lines, []);
});

Deno.test("DebugLog.error() is one 'argus: message' line whatever the level", () => {
  const { log, lines } = capture(0);
  log.error('Unknown user "x"');
  assert.deepEqual(lines, ['argus: Unknown user "x"\n']);
});

Deno.test("DebugLog.argusLog() labels messages as argus 3.0.8's ArgusLog does", () => {
  const { log, lines } = capture(0);
  log.argusLog(LOG_ALERT, "started");
  log.argusLog(
    LOG_WARNING,
    "ArgusOpenInterface nonexist0: No such device exists",
  );
  log.argusLog(LOG_ERR, 'unknown user "x"');
  // As the real argus printed them (-i lo; -i nonexist0; -u x).
  assert.deepEqual(lines, [
    "    ArgusAlert: 03 Dec 26 10:20:31.458756 started\n",
    "  ArgusWarning: 03 Dec 26 10:20:31.458756 ArgusOpenInterface nonexist0: No such device exists\n",
    '    ArgusError: 03 Dec 26 10:20:31.458756 unknown user "x"\n',
  ]);
});

Deno.test({
  name: "DebugLog.argusLog() prints an error line as the real argus 3.0.8 does",
  ignore: !haveRealArgus(),
  async fn() {
    const user = "dlog-no-such-user";
    const real = await run("argus", [
      "-X",
      "-u",
      user,
      "-r",
      `${CORPUS}arp.pcap`,
      "-w",
      "/dev/null",
    ]);
    const { log, lines } = capture(0);
    log.argusLog(LOG_ERR, `unknown user "${user}"`);
    const time = /\d\d [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d\.\d{6}/;
    assert.match(real.stderr, time);
    assert.equal(real.stderr.replace(time, argusTime(T)), lines[0]);
  },
});

Deno.test("syslogLine() is the RFC 3164 form glibc's syslog(3) sends", () => {
  assert.equal(
    syslogLine(27, T, "argus[42]", "Cannot open\n"),
    "<27>Dec  3 10:20:31 argus[42]: Cannot open",
  );
});

Deno.test("DebugLog.toSyslog() sends daemon-facility datagrams shaped like logger's", async () => {
  await using listener = await syslogListener();
  const lines: string[] = [];
  const log = new DebugLog({
    level: 1,
    syslogPath: listener.path,
    writeStderr: (l) => lines.push(l),
  });
  log.toSyslog();
  log.debug(1, "debug one");
  log.debug(2, "not sent");
  log.notice("started");
  log.error("Cannot open interface");
  log.toStderr();
  const got = await listener.receive(3);
  assert.deepEqual(lines, [], "nothing on stderr while logging to syslog");
  const stamp = String.raw`[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d`;
  const tag = String.raw`argus\[${Deno.pid}\]`;
  assert.equal(got.length, 3);
  assert.match(got[0]!, new RegExp(`^<31>${stamp} ${tag}: debug one$`));
  assert.match(got[1]!, new RegExp(`^<29>${stamp} ${tag}: started$`));
  assert.match(
    got[2]!,
    new RegExp(`^<27>${stamp} ${tag}: Cannot open interface$`),
  );
  // util-linux logger writes the same form to the same kind of socket.
  const logger = await new Deno.Command("logger", {
    args: [
      "--rfc3164",
      "-u",
      listener.path,
      "-d",
      "-p",
      "daemon.err",
      "-t",
      `argus[${Deno.pid}]`,
      "Cannot open interface",
    ],
  }).output();
  assert.equal(logger.code, 0, new TextDecoder().decode(logger.stderr));
  const [theirs] = await listener.receive(1);
  assert.ok(theirs !== undefined, "logger's datagram arrived");
  // logger adds the host name after the time; otherwise the same.
  const noHost = theirs.replace(new RegExp(`^(<\\d+>${stamp}) \\S+ `), "$1 ");
  assert.equal(
    noHost.replace(/^<27>.{15}/, ""),
    got[2]!.replace(/^<27>.{15}/, ""),
  );
});

Deno.test("DebugLog without a syslog listener drops messages quietly", () => {
  const log = new DebugLog({ level: 1, syslogPath: "/nonexistent-dlog/log" });
  log.toSyslog();
  log.debug(1, "lost, as syslog(3) loses it");
  log.error("also lost");
  log.toStderr();
});

Deno.test("SIGUSR1 raises the debug level by one (to 30), SIGUSR2 sets it to 0", async () => {
  const { log, lines } = capture(0);
  const stop = log.watchSignals();
  const settle = () => new Promise((r) => setTimeout(r, 50));
  try {
    Deno.kill(Deno.pid, "SIGUSR1");
    await settle();
    assert.equal(log.level, 1);
    Deno.kill(Deno.pid, "SIGUSR1");
    await settle();
    assert.equal(log.level, 2);
    Deno.kill(Deno.pid, "SIGUSR2");
    await settle();
    assert.equal(log.level, 0);
    log.level = 30;
    Deno.kill(Deno.pid, "SIGUSR1");
    await settle();
    assert.equal(log.level, 30);
  } finally {
    stop();
  }
  assert.deepEqual(lines.map((l) => l.replace(/^.*\d{6} /, "")), [
    "ArgusUsr1Sig: debug 1 enabled\n",
    "ArgusUsr1Sig: debug 2 enabled\n",
    "ArgusUsr2Sig: debug disabled\n",
    "ArgusUsr1Sig: debug 30 enabled\n",
  ]);
});
