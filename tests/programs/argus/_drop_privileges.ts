/**
 * For privileges_test.ts, run as root: opens a root-only file, starts a
 * worker thread, drops to `-u user [-g group] [-c dir]` with the sensor's
 * own checkIdentity/dropPrivileges, then reports as JSON what it can still
 * do and the ids of every thread (/proc/self/task/<tid>/status, read
 * before a chroot hides /proc). Usage: _drop_privileges.ts FILE USER [GROUP] [DIR]
 * @module
 */

import {
  checkIdentity,
  dropPrivileges,
} from "../../../src/programs/argus/privileges.ts";

const [file, user, group, chroot] = Deno.args;
const held = Deno.openSync(file!, { read: true });
const worker = new Worker(
  `data:text/javascript,self.onmessage = (e) => self.postMessage(e.data);`,
  { type: "module" },
);
const id = checkIdentity({
  user: user || undefined,
  group: group || undefined,
  chroot: chroot || undefined,
});
// /proc is outside any chroot: keep its directory open through the drop.
const tasks = () =>
  [...Deno.readDirSync("/proc/self/task")].map((e) => {
    const status = Deno.readTextFileSync(`/proc/self/task/${e.name}/status`);
    const line = (key: string) =>
      status.split("\n").find((l) => l.startsWith(`${key}:`))!.split(/\s+/)
        .slice(1).filter(Boolean).join(" ");
    return {
      tid: e.name,
      uid: line("Uid"),
      gid: line("Gid"),
      groups: line("Groups"),
    };
  });
dropPrivileges(id);
const result: Record<string, unknown> = {
  threads: chroot ? [] : tasks(),
  uid: Deno.uid(),
  gid: Deno.gid(),
  cwd: Deno.cwd(),
};
try {
  Deno.openSync(file!, { read: true }).close();
  result.reopen = "opened";
} catch (e) {
  result.reopen = e instanceof Error ? e.name : String(e);
}
const buf = new Uint8Array(64);
result.heldRead = held.readSync(buf) ?? 0;
if (chroot) {
  result.inside = Deno.readTextFileSync("/inside.txt");
}
worker.postMessage("ping");
result.worker = await new Promise((resolve) => {
  worker.onmessage = (e) => resolve(e.data);
});
worker.terminate();
console.log(JSON.stringify(result));
