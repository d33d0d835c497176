/**
 * The permissions `deno compile` bakes into dist/argus: the union of what
 * argus and the ra family need, each scoped as far as the programs allow
 * (issue 5). tests/scripts/baked_permissions_test.ts runs every program
 * with exactly these flags, so a missing one fails there, not on a device.
 * @module
 */

/** Environment variables the programs read (and nothing else). */
export const READ_ENV = [
  "ARGUS_LIBPCAP", // ffi/load_libpcap.ts: a libpcap other than the system's
  "ARGUS_TS_DEBUG", // main.ts: stack traces
  "ARGUS_TS_DAEMON_CHILD", // argus -d: the detached child knows it is one
  "ARGUS_TS_HOSTS_ALLOW", // -P access control (tcp_wrappers files)
  "ARGUS_TS_HOSTS_DENY",
  "ARGUSHOME", // clients: .rarc lookup
  "HOME",
  "POSIXLY_CORRECT", // getopt stops at the first operand
  "RACLUSTER_MAX_AGGREGATES", // racluster: aggregates held before spilling
  "RASORT_MAX_RECORDS", // rasort: records held before spilling sorted runs
] as const;

/** System information the programs read: Deno.hostname, Deno.uid/gid. */
export const READ_SYS = ["hostname", "uid", "gid"] as const;

/**
 * The deno flags. Not scoped: ffi (libpcap and libc are wherever the
 * system keeps them), read/write (any -r/-w path), net (-P listens on any
 * port, argus-udp:// sends anywhere) and run (argus -d starts this binary
 * again, detached, and its install path is unknown at build time).
 */
export const BAKED_PERMISSIONS: readonly string[] = [
  "--allow-ffi",
  "--allow-read",
  "--allow-write",
  "--allow-net",
  "--allow-run",
  `--allow-env=${READ_ENV.join(",")}`,
  `--allow-sys=${READ_SYS.join(",")}`,
];
