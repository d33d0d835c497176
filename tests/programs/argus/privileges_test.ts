/**
 * argus -u, -g, -c: unknown names are one error line before anything
 * starts; names resolve as getent says; dropping (in a child run as root)
 * leaves every thread with the new ids, so a root-only file no longer
 * opens while a descriptor opened before stays usable, and chroot hides
 * the outer tree.
 * @module
 */

import assert from "node:assert/strict";
import { UsageError } from "../../../src/cli/mod.ts";
import { checkIdentity } from "../../../src/programs/argus/privileges.ts";

const HELPER = new URL("./_drop_privileges.ts", import.meta.url).pathname;
const OUTPUT_HELPER = new URL("./_output_user.ts", import.meta.url).pathname;

async function getent(db: string, name: string): Promise<string[]> {
  const out = await new Deno.Command("getent", { args: [db, name] }).output();
  return new TextDecoder().decode(out.stdout).trim().split(":");
}

async function runHelper(args: string[]): Promise<Record<string, unknown>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", HELPER, ...args],
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

Deno.test("checkIdentity() refuses an unknown user, group or chroot directory in one line", () => {
  const cases: [Parameters<typeof checkIdentity>[0], string][] = [
    [{ user: "privt-no-such-user" }, 'Unknown user "privt-no-such-user"'],
    [{ group: "privt-no-such-group" }, 'Unknown group "privt-no-such-group"'],
    [
      { user: "nobody", group: "privt-no-such-group" },
      'Unknown group "privt-no-such-group"',
    ],
    [
      { chroot: "/nonexistent-privt-dir" },
      'Chroot directory "/nonexistent-privt-dir" is not a directory',
    ],
    [
      { chroot: "/etc/passwd" },
      'Chroot directory "/etc/passwd" is not a directory',
    ],
  ];
  for (const [opts, message] of cases) {
    assert.throws(() => checkIdentity(opts), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.equal(e.message, message);
      return true;
    });
  }
});

Deno.test("checkIdentity() resolves names as getent does", async () => {
  assert.deepEqual(checkIdentity({}), {});
  const [, , uid, gid] = await getent("passwd", "nobody");
  assert.deepEqual(checkIdentity({ user: "nobody" }), {
    user: "nobody",
    uid: Number(uid),
    gid: Number(gid),
  });
  const daemonGid = (await getent("group", "daemon"))[2];
  // -g wins over the user's primary group.
  assert.deepEqual(
    checkIdentity({ user: "nobody", group: "daemon", chroot: "/" }),
    {
      user: "nobody",
      uid: Number(uid),
      gid: Number(daemonGid),
      chroot: "/",
    },
  );
});

Deno.test({
  name:
    "dropPrivileges() to nobody applies to every thread and closes a root-only file",
  ignore: Deno.uid() !== 0,
  async fn() {
    const secret = await Deno.makeTempFile({ prefix: "privt-secret-" });
    try {
      await Deno.writeTextFile(secret, "root only\n");
      await Deno.chmod(secret, 0o600);
      const [, , uid, gid] = await getent("passwd", "nobody");
      const r = await runHelper([secret, "nobody"]);
      assert.equal(r.uid, Number(uid));
      assert.equal(r.gid, Number(gid));
      assert.equal(r.reopen, "PermissionDenied");
      assert.equal(r.heldRead, "root only\n".length);
      assert.equal(r.worker, "ping");
      const threads = r.threads as {
        uid: string;
        gid: string;
        groups: string;
      }[];
      // Deno runs several threads (V8 platform, tokio, the worker).
      assert.ok(threads.length > 2, `only ${threads.length} threads`);
      for (const t of threads) {
        assert.equal(t.uid, `${uid} ${uid} ${uid} ${uid}`);
        assert.equal(t.gid, `${gid} ${gid} ${gid} ${gid}`);
        // Root's supplementary groups are gone: only nobody's own.
        assert.doesNotMatch(` ${t.groups} `, / 0 /);
      }
    } finally {
      await Deno.remove(secret);
    }
  },
});

Deno.test({
  name: "dropPrivileges() with -g only keeps root's uid but that group alone",
  ignore: Deno.uid() !== 0,
  async fn() {
    const secret = await Deno.makeTempFile({ prefix: "privt-secret-" });
    try {
      const daemonGid = (await getent("group", "daemon"))[2];
      const r = await runHelper([secret, "", "daemon"]);
      assert.equal(r.uid, 0);
      assert.equal(r.gid, Number(daemonGid));
      for (const t of r.threads as { gid: string; groups: string }[]) {
        assert.equal(
          t.gid,
          `${daemonGid} ${daemonGid} ${daemonGid} ${daemonGid}`,
        );
        assert.equal(t.groups, daemonGid);
      }
    } finally {
      await Deno.remove(secret);
    }
  },
});

Deno.test({
  name: "dropPrivileges() with -c chroots and works from its root",
  ignore: Deno.uid() !== 0,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "privt-root-" });
    const secret = await Deno.makeTempFile({ prefix: "privt-secret-" });
    try {
      await Deno.chmod(dir, 0o755); // nobody must be able to look inside
      await Deno.writeTextFile(`${dir}/inside.txt`, "in the jail\n");
      await Deno.chmod(secret, 0o600);
      const r = await runHelper([secret, "nobody", "", dir]);
      assert.equal(r.cwd, "/");
      assert.equal(r.inside, "in the jail\n");
      // The outer path means nothing inside the new root.
      assert.equal(r.reopen, "NotFound");
      assert.equal(r.worker, "ping");
    } finally {
      await Deno.remove(dir, { recursive: true });
      await Deno.remove(secret);
    }
  },
});

Deno.test({
  name:
    "asOutputUser() creates outputs as -u/-g, owned as the real argus 3.0.8 leaves them, then gives root back until the drop",
  ignore: Deno.uid() !== 0,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "privt-out-" });
    const closed = await Deno.makeTempDir({ prefix: "privt-closed-" });
    let real: Deno.ChildProcess | undefined;
    try {
      await Deno.chmod(dir, 0o777); // nobody may create files here
      const [, , uid] = await getent("passwd", "nobody");
      const gid = (await getent("group", "daemon"))[2];
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          OUTPUT_HELPER,
          `${dir}/ours.argus`,
          `${closed}/no.argus`,
          "nobody",
          "daemon",
        ],
      }).output();
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      const r = JSON.parse(new TextDecoder().decode(out.stdout));
      // Effective ids only while opening; real and saved stay root.
      assert.equal(r.during, `0 ${uid} 0 ${uid} / 0 ${gid} 0 ${gid}`);
      assert.equal(r.forbidden, "PermissionDenied");
      assert.equal(r.after, "0 0 0 0 / 0 0 0 0");
      assert.equal(
        r.dropped,
        `${uid} ${uid} ${uid} ${uid} / ${gid} ${gid} ${gid} ${gid}`,
      );
      assert.equal(r.owner, `${uid}:${gid}`);

      // The real argus, same -u and -g, on lo: same owner.
      real = new Deno.Command("argus", {
        args: [
          "-X",
          "-u",
          "nobody",
          "-g",
          "daemon",
          "-i",
          "lo",
          "-w",
          `${dir}/real.argus`,
        ],
        stdout: "null",
        stderr: "null",
      }).spawn();
      let owner = "";
      for (let i = 0; i < 100 && owner === ""; i++) {
        try {
          const st = Deno.statSync(`${dir}/real.argus`);
          owner = `${st.uid}:${st.gid}`;
        } catch {
          await new Promise((res) => setTimeout(res, 50));
        }
      }
      assert.equal(owner, r.owner);
    } finally {
      if (real) {
        real.kill("SIGKILL");
        await real.status;
      }
      await Deno.remove(dir, { recursive: true });
      await Deno.remove(closed, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "asOutputUser() with -c opens -w paths inside the new root, as argus does",
  ignore: Deno.uid() !== 0,
  async fn() {
    const jail = await Deno.makeTempDir({ prefix: "privt-jail-" });
    try {
      await Deno.chmod(jail, 0o777);
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          OUTPUT_HELPER,
          "/out.argus",
          "/etc-no/x",
          "nobody",
          "nogroup",
          jail,
        ],
      }).output();
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      const r = JSON.parse(new TextDecoder().decode(out.stdout));
      assert.equal(r.forbidden, "NotFound");
      assert.equal(Deno.readTextFileSync(`${jail}/out.argus`), "output\n");
    } finally {
      await Deno.remove(jail, { recursive: true });
    }
  },
});
