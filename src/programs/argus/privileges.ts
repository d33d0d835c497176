/**
 * argus(8) -u user, -g group and -c dir (ARGUS_SETUSER_ID,
 * ARGUS_SETGROUP_ID, ARGUS_CHROOT_DIR): names are checked before anything
 * starts; once captures and outputs are open the sensor chroots, then
 * takes the group and the user for good (every thread: glibc's setxid).
 * Unlike argus, root's supplementary groups are dropped too.
 * @module
 */

import { UsageError } from "../../cli/mod.ts";
import {
  changeRoot,
  initGroups,
  lookupGroup,
  lookupUser,
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
    if (id.chroot !== undefined) changeRoot(id.chroot);
    if (id.gid !== undefined) setGid(id.gid);
    if (id.uid !== undefined) setUid(id.uid);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(`Cannot drop privileges: ${why}`, { cause: e });
  }
}
