/**
 * The permissions deno compile bakes into dist/argus
 * (scripts/baked_permissions.ts) are enough: main.ts run with exactly
 * those flags reads a capture (with ARGUS_MONITOR_ID=`hostname`), runs
 * every client on the records, and runs argus -d -i lo -P as a daemon
 * that re-runs itself with the same flags.
 * @module
 */

import assert from "node:assert/strict";
import { run } from "../_util/oracle.ts";
import { BAKED_PERMISSIONS } from "../../scripts/baked_permissions.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const SAMPLE = `${ROOT}samples/sample.pcap`;
const PORT = 46531; // this file's own -P port

function baked(args: string[], flags = BAKED_PERMISSIONS) {
  return run(Deno.execPath(), ["run", ...flags, `${ROOT}main.ts`, ...args]);
}

Deno.test("baked permissions: argus -r and every client as with -A", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bkp-file-" });
  try {
    const conf = `${dir}/argus.conf`;
    await Deno.writeTextFile(conf, "ARGUS_MONITOR_ID=`hostname`\n");
    const records = `${dir}/sample.argus`;
    const argus = await baked([
      "argus",
      "-F",
      conf,
      "-r",
      SAMPLE,
      "-w",
      records,
    ]);
    assert.equal(argus.code, 0, argus.stderr);
    for (
      const args of [
        ["ra", "-n", "-s", "+srcid"],
        ["racluster", "-m", "saddr"],
        ["rasort", "-m", "bytes"],
        ["racount"],
        ["ragrep", "-v", "-e", "nothing"],
      ]
    ) {
      const ours = await baked([...args, "-r", records]);
      assert.equal(ours.code, 0, `${args[0]}: ${ours.stderr}`);
      const all = await baked([...args, "-r", records], ["-A"]);
      assert.equal(ours.stdout, all.stdout, args[0]);
      assert.notEqual(ours.stdout, "", args[0]);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("baked permissions: argus -d -i lo -P starts, writes its pid file, stops on SIGTERM", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bkp-live-" });
  let daemon = 0;
  try {
    const conf = `${dir}/argus.conf`;
    await Deno.writeTextFile(
      conf,
      `ARGUS_MONITOR_ID=\`hostname\`\nARGUS_SET_PID=yes\nARGUS_PID_PATH=${dir}\n`,
    );
    const out = `${dir}/lo.argus`;
    const r = await baked([
      "argus",
      "-X",
      "-F",
      conf,
      "-d",
      "-i",
      "lo",
      "-P",
      String(PORT),
      "-B",
      "127.0.0.1",
      "-w",
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const m = /^argus\[(\d+)\]: .* started\n$/.exec(r.stderr);
    assert.ok(m, `stderr: ${JSON.stringify(r.stderr)}`);
    daemon = Number(m[1]);
    assert.equal(
      await Deno.readTextFile(`${dir}/argus.lo.0.pid`),
      `${daemon}\n`,
    );
    Deno.kill(daemon, "SIGTERM");
    for (let i = 0; i < 100 && alive(daemon); i++) {
      await new Promise((ok) => setTimeout(ok, 50));
    }
    assert.ok(!alive(daemon), "the daemon stops on SIGTERM");
    daemon = 0;
    const ra = await baked(["ra", "-n", "-r", out, "-s", "stime"]);
    assert.equal(ra.code, 0, ra.stderr);
  } finally {
    if (daemon !== 0 && alive(daemon)) Deno.kill(daemon, "SIGKILL");
    await Deno.remove(dir, { recursive: true });
  }
});

function alive(pid: number): boolean {
  try {
    return !/\) Z /.test(Deno.readTextFileSync(`/proc/${pid}/stat`));
  } catch {
    return false;
  }
}
