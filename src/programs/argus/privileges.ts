/**
 * argus(8) -u user, -g group and -c dir (ARGUS_SETUSER_ID,
 * ARGUS_SETGROUP_ID, ARGUS_CHROOT_DIR): names are checked before anything
 * starts; outputs may be opened as the user inside the chroot (as argus
 * does); once captures and outputs are open the sensor takes the group and
 * the user for good (every thread: glibc's setxid). Unlike argus, root's
 * supplementary groups are dropped too.
 * @module
 */

import { UsageError } from "../../cli/mod.ts";
import {
  changeRoot,
  initGroups,
  lookupGroup,
  lookupUser,
  setEgid,
  setEuid,
  setGid,
  setGroups,
  setUid,
} from "../../../ffi/mod.ts";

/** -u, -g and -c as given. */
export interface IdentityOptions {
  user?: string | undefined;
  group?: string | undefined;
  chroot?: string | undefined;
}

/** What -u, -g and -c resolve to. */
export interface Identity {
  /** -u's name, for its supplementary groups. */
  user?: string;
  /** -u's uid. */
  uid?: number;
  /** -g's gid, else -u's primary group. */
  gid?: number;
  /** -c's directory. */
  chroot?: string;
}

/**
 * Resolves -u and -g and checks -c names a directory, before the sensor
 * opens anything (argus also refuses an unknown name while parsing).
 * @throws UsageError with one line for an unknown user or group, or a
 *   chroot directory that is not one
 */
export function checkIdentity(options: IdentityOptions): Identity {
  const id: Identity = {};
  const { user, group, chroot } = options;
  if (user === undefined && group === undefined && chroot === undefined) {
    return id;
  }
  if (user !== undefined) {
    const entry = lookupUser(user);
    if (entry === null) throw new UsageError(`Unknown user "${user}"`);
    id.user = user;
    id.uid = entry.uid;
    id.gid = entry.gid;
  }
  if (group !== undefined) {
    const gid = lookupGroup(group);
    if (gid === null) throw new UsageError(`Unknown group "${group}"`);
    id.gid = gid;
  }
  if (chroot !== undefined) {
    let isDirectory = false;
    try {
      isDirectory = Deno.statSync(chroot).isDirectory;
    } catch {
      isDirectory = false;
    }
    if (!isDirectory) {
      throw new UsageError(`Chroot directory "${chroot}" is not a directory`);
    }
    id.chroot = chroot;
  }
  return id;
}

/** chroot is for the whole process and cannot be undone: done once. */
let rootChanged = false;

function enterChroot(dir: string): void {
  if (rootChanged) return;
  changeRoot(dir);
  rootChanged = true;
}

/**
 * Runs `open` the way argus's ArgusInitOutput opens its -w files: inside
 * the -c directory (entered now, for good, so -w paths are inside it) and
 * with -g/-u as the effective ids, so files are created by and owned by
 * that user (checked: argus 3.0.8.2 -u nobody -g daemon leaves
 * nobody:daemon files, and cannot create one where nobody may not). The
 * real ids are effective again afterwards, for capture and the pid file.
 * @throws Error with one line when a call is refused, or what `open` throws
 */
export async function asOutputUser<T>(
  id: Identity,
  open: () => Promise<T>,
): Promise<T> {
  const gid = id.gid;
  const uid = id.uid;
  // The ids to come back to (argus's ArgusUid, ArgusGid: getuid, getgid).
  const realUid = Deno.uid() ?? 0;
  const realGid = Deno.gid() ?? 0;
  try {
    if (gid !== undefined) {
      if (id.user !== undefined) initGroups(id.user, gid);
      else setGroups([gid]);
    }
    if (id.chroot !== undefined) enterChroot(id.chroot);
    if (gid !== undefined) setEgid(gid);
    if (uid !== undefined) setEuid(uid);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(`Cannot take the output identity: ${why}`, { cause: e });
  }
  try {
    return await open();
  } finally {
    // Back to the real ids (root): the saved set-user-ID allows it.
    if (uid !== undefined) setEuid(realUid);
    if (gid !== undefined) setEgid(realGid);
  }
}

/**
 * Sets the supplementary groups, chroots (then works from "/"), sets the
 * group, then the user; call it
 * once captures, listeners and outputs are open, as argus does.
 * @throws Error with one line when a call is refused (not root)
 */
export function dropPrivileges(id: Identity): void {
  try {
    // Supplementary groups first: initgroups reads /etc/group, which a
    // chroot directory rarely holds. Without -u only -g's group is left.
    if (id.gid !== undefined) {
      if (id.user !== undefined) initGroups(id.user, id.gid);
      else setGroups([id.gid]);
    }
    if (id.chroot !== undefined) enterChroot(id.chroot);
    if (id.gid !== undefined) setGid(id.gid);
    if (id.uid !== undefined) setUid(id.uid);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(`Cannot drop privileges: ${why}`, { cause: e });
  }
}
