/**
 * For privileges_test.ts, run as root: creates `<file>` inside
 * asOutputUser (as argus opens its -w files), tries `<forbidden>` there
 * too, then drops privileges for good; prints the ids seen at each step
 * (/proc/self/status "Uid:"/"Gid:" as real effective saved fs) as JSON.
 * Usage: _output_user.ts FILE FORBIDDEN USER GROUP [CHROOT]
 * @module
 */

import {
  asOutputUser,
  checkIdentity,
  dropPrivileges,
} from "../../../src/programs/argus/privileges.ts";

const [file, forbidden, user, group, chroot] = Deno.args;
const ids = () => {
  const s = Deno.readTextFileSync("/proc/self/status");
  const line = (k: string) =>
    new RegExp(`^${k}:\\s+(.*)$`, "m").exec(s)![1]!.split(/\s+/).join(" ");
  return `${line("Uid")} / ${line("Gid")}`;
};
// /proc must be read before a chroot hides it, so open its file first.
const status = Deno.openSync("/proc/self/status");
status.close();
const id = checkIdentity({ user, group, ...(chroot ? { chroot } : {}) });
const result: Record<string, unknown> = {};
await asOutputUser(id, () => {
  if (!chroot) result.during = ids();
  Deno.writeTextFileSync(file!, "output\n");
  try {
    Deno.writeTextFileSync(forbidden!, "no\n");
    result.forbidden = "created";
  } catch (e) {
    result.forbidden = e instanceof Error ? e.name : String(e);
  }
  return Promise.resolve();
});
if (!chroot) result.after = ids();
const st = Deno.statSync(file!);
result.owner = `${st.uid}:${st.gid}`;
dropPrivileges(id);
if (!chroot) result.dropped = ids();
console.log(JSON.stringify(result));
