/**
 * A stand-in sensor for daemon_test.ts: daemonises as argus -d does, then
 * (in the daemon) fails before it is ready, or writes `<marker>.before`,
 * says it is ready, waits, and writes `<marker>` with its pid and session.
 * "jail" chroots into the marker's directory before it is ready.
 * Usage: _daemon_stand_in.ts ok|jail|fail|signal <marker> [wait-ms [ready-ms]]
 * @module
 */

import { changeRoot } from "../../../ffi/mod.ts";
import {
  daemonReady,
  maybeDaemonize,
} from "../../../src/programs/argus/daemon.ts";

const [mode, marker, waitMs, readyMs] = Deno.args;
const code = await maybeDaemonize(Deno.args, { daemon: true }, {
  leadingArgs: [],
});
if (code !== null) Deno.exit(code);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
console.error("stand-in: starting");
if (mode === "fail") {
  await sleep(200);
  console.error('argus: Cannot open interface "nope0": no such device');
  Deno.exit(3);
}
if (mode === "signal") {
  await sleep(200);
  Deno.kill(Deno.pid, "SIGKILL");
}
await sleep(Number(readyMs ?? 300));
let where = marker!;
if (mode === "jail") {
  // As argus -c: the root changes before the daemon is ready.
  const dir = marker!.slice(0, marker!.lastIndexOf("/"));
  changeRoot(dir);
  where = marker!.slice(dir.length);
}
Deno.writeTextFileSync(`${where}.before`, `${Deno.pid}\n`);
daemonReady();
// Both go to /dev/null now; neither may fail.
console.log("stand-in: after ready (stdout)");
console.error("stand-in: after ready (stderr)");
await sleep(Number(waitMs ?? 1000));
let session = "-";
let parent = "-";
try {
  const stat = Deno.readTextFileSync("/proc/self/stat");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  session = fields[3]!;
  parent = fields[1]!;
} catch {
  // /proc needs --allow-all: the ids stay unknown.
}
Deno.writeTextFileSync(where, `${Deno.pid} ${session} ${parent}\n`);
