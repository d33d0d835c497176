/**
 * The process identity calls argus(8) makes for -u, -g and -c: user and
 * group lookup through the C library (so NSS sources count, as for argus),
 * supplementary groups, setgid/setuid and chroot. glibc applies setuid and
 * setgid to every thread of the process, Deno's own threads included.
 * @module
 */

import { toCString } from "./c_string.ts";
import { lastError, openLibc } from "./load_libc.ts";

const IDENTITY_SYMBOLS = {
  /** struct passwd *getpwnam(const char *name) */
  getpwnam: { parameters: ["buffer"], result: "pointer" },
  /** struct group *getgrnam(const char *name) */
  getgrnam: { parameters: ["buffer"], result: "pointer" },
  /** int initgroups(const char *user, gid_t group) */
  initgroups: { parameters: ["buffer", "u32"], result: "i32" },
  /** int setgroups(size_t size, const gid_t *list) */
  setgroups: { parameters: ["usize", "buffer"], result: "i32" },
  /** int setgid(gid_t gid) */
  setgid: { parameters: ["u32"], result: "i32" },
  /** int setuid(uid_t uid) */
  setuid: { parameters: ["u32"], result: "i32" },
  /** int setegid(gid_t egid) */
  setegid: { parameters: ["u32"], result: "i32" },
  /** int seteuid(uid_t euid) */
  seteuid: { parameters: ["u32"], result: "i32" },
  /** int chroot(const char *path) */
  chroot: { parameters: ["buffer"], result: "i32" },
  /** int chdir(const char *path) */
  chdir: { parameters: ["buffer"], result: "i32" },
} as const satisfies Deno.ForeignLibraryInterface;

let loaded: Deno.DynamicLibrary<typeof IDENTITY_SYMBOLS>["symbols"] | null =
  null;

function libc(): Deno.DynamicLibrary<typeof IDENTITY_SYMBOLS>["symbols"] {
  loaded ??= openLibc(IDENTITY_SYMBOLS);
  return loaded;
}

/** A user account: getpwnam()'s pw_uid and pw_gid. */
export interface UserEntry {
  name: string;
  uid: number;
  gid: number;
}

/**
 * getpwnam(name), or null when there is no such user. struct passwd is
 * { char *pw_name; char *pw_passwd; uid_t pw_uid; gid_t pw_gid; ... } on
 * LP64 glibc: the ids sit at bytes 16 and 20.
 */
export function lookupUser(name: string): UserEntry | null {
  const p = libc().getpwnam(toCString(name));
  if (p === null) return null;
  const view = new Deno.UnsafePointerView(p);
  return { name, uid: view.getUint32(16), gid: view.getUint32(20) };
}

/**
 * getgrnam(name)'s gr_gid, or null when there is no such group. struct
 * group is { char *gr_name; char *gr_passwd; gid_t gr_gid; ... }.
 */
export function lookupGroup(name: string): number | null {
  const p = libc().getgrnam(toCString(name));
  if (p === null) return null;
  return new Deno.UnsafePointerView(p).getUint32(16);
}

/** initgroups(user, gid): the user's supplementary groups plus `gid`. */
export function initGroups(user: string, gid: number): void {
  check(libc().initgroups(toCString(user), gid), `initgroups("${user}")`);
}

/** setgroups(): exactly these supplementary groups. */
export function setGroups(gids: readonly number[]): void {
  const list = new Uint32Array(gids.length === 0 ? 1 : gids.length);
  list.set(gids);
  check(
    libc().setgroups(BigInt(gids.length), new Uint8Array(list.buffer)),
    "setgroups",
  );
}

/** setgid(gid): real, effective and saved group id (root). */
export function setGid(gid: number): void {
  check(libc().setgid(gid), `setgid(${gid})`);
}

/** setuid(uid): real, effective and saved user id (root). */
export function setUid(uid: number): void {
  check(libc().setuid(uid), `setuid(${uid})`);
}

/** setegid(gid): the effective group only; root can switch back. */
export function setEgid(gid: number): void {
  check(libc().setegid(gid), `setegid(${gid})`);
}

/** seteuid(uid): the effective user only; root can switch back. */
export function setEuid(uid: number): void {
  check(libc().seteuid(uid), `seteuid(${uid})`);
}

/** chroot(dir), then chdir("/") so no directory outside stays reachable. */
export function changeRoot(dir: string): void {
  check(libc().chdir(toCString(dir)), `chdir("${dir}")`);
  check(libc().chroot(toCString(dir)), `chroot("${dir}")`);
  check(libc().chdir(toCString("/")), `chdir("/") in "${dir}"`);
}

function check(status: number, call: string): void {
  if (status !== 0) throw new Error(`${call} failed: ${lastError().text}`);
}
