/**
 * The daemon's pid file (argus.conf ARGUS_SET_PID, ARGUS_PID_PATH): name,
 * contents, the next free slot while live processes hold earlier ones, the
 * refusal when all five are held, removal. One case runs the real argus
 * 3.0.8 daemon beside ours in the same directory: we must take slot 1.
 * @module
 */

import assert from "node:assert/strict";
import {
  createPidFile,
  MAX_INSTANCES,
  pidFileName,
} from "../../../src/programs/argus/pid_file.ts";

async function tempDir(t: Deno.TestContext): Promise<string> {
  return await Deno.makeTempDir({ prefix: `pidf-${t.name.slice(0, 8)}-` });
}

/** A process that lives while the test needs a live pid. */
function sleeper(): Deno.ChildProcess {
  return new Deno.Command("sleep", {
    args: ["30"],
    stdout: "null",
    stderr: "null",
  }).spawn();
}

async function deadPid(): Promise<number> {
  const child = new Deno.Command("true").spawn();
  await child.status;
  return child.pid;
}

Deno.test("pidFileName() is dir/argus.<device>.<n>.pid, device after its last slash", () => {
  assert.equal(
    pidFileName("/var/run", "argus", "eth0", 0),
    "/var/run/argus.eth0.0.pid",
  );
  assert.equal(
    pidFileName("/tmp/x/", "argus", "/dev/bpf3", 4),
    "/tmp/x/argus.bpf3.4.pid",
  );
});

Deno.test("createPidFile() writes our pid and a newline in slot 0, remove() deletes it", async (t) => {
  const dir = await tempDir(t);
  try {
    const pid = createPidFile({ dir, device: "lo" });
    assert.equal(pid.path, `${dir}/argus.lo.0.pid`);
    assert.equal(Deno.readTextFileSync(pid.path), `${Deno.pid}\n`);
    assert.equal(pid.remove(), true);
    assert.throws(() => Deno.statSync(pid.path), Deno.errors.NotFound);
    assert.equal(pid.remove(), false); // a second time is harmless
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createPidFile() passes over a slot a running process holds and reuses a stale one", async (t) => {
  const dir = await tempDir(t);
  const live = sleeper();
  try {
    Deno.writeTextFileSync(`${dir}/argus.lo.0.pid`, `${live.pid}\n`);
    Deno.writeTextFileSync(`${dir}/argus.lo.1.pid`, `${await deadPid()}\n`);
    const pid = createPidFile({ dir, device: "lo" });
    assert.equal(pid.path, `${dir}/argus.lo.1.pid`);
    assert.equal(Deno.readTextFileSync(pid.path), `${Deno.pid}\n`);
    // The live holder's file is untouched.
    assert.equal(
      Deno.readTextFileSync(`${dir}/argus.lo.0.pid`),
      `${live.pid}\n`,
    );
    pid.remove();
  } finally {
    live.kill("SIGKILL");
    await live.status;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createPidFile() refuses to start when five running processes hold every slot", async (t) => {
  const dir = await tempDir(t);
  const live = sleeper();
  try {
    for (let n = 0; n < MAX_INSTANCES; n++) {
      Deno.writeTextFileSync(`${dir}/argus.eth1.${n}.pid`, `${live.pid}\n`);
    }
    assert.throws(
      () => createPidFile({ dir, device: "eth1" }),
      (e: Error) => {
        assert.match(
          e.message,
          /^Cannot create a pid file: argus already runs 5 times on "eth1"/,
        );
        assert.doesNotMatch(e.message, /\n/);
        return true;
      },
    );
    // Another device has its own slots.
    createPidFile({ dir, device: "eth2" }).remove();
  } finally {
    live.kill("SIGKILL");
    await live.status;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createPidFile() in a missing directory is one error line", () => {
  assert.throws(
    () => createPidFile({ dir: "/nonexistent-pidf-dir", device: "lo" }),
    {
      message:
        'Cannot create pid file "/nonexistent-pidf-dir/argus.lo.0.pid": no such directory',
    },
  );
});

Deno.test("PidFile.remove() leaves a file that no longer holds our pid", async (t) => {
  const dir = await tempDir(t);
  try {
    const pid = createPidFile({ dir, device: "lo" });
    Deno.writeTextFileSync(pid.path, "1\n"); // another instance took it over
    assert.equal(pid.remove(), false);
    assert.equal(Deno.readTextFileSync(pid.path), "1\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createPidFile() takes slot 1 beside a real argus 3.0.8 daemon holding slot 0", async (t) => {
  const dir = await tempDir(t);
  const conf = `${dir}/argus.conf`;
  Deno.writeTextFileSync(conf, `ARGUS_SET_PID=yes\nARGUS_PID_PATH=${dir}\n`);
  let realPid = 0;
  try {
    const started = await new Deno.Command("argus", {
      args: ["-X", "-F", conf, "-d", "-i", "lo", "-w", `${dir}/real.argus`],
      stdout: "null",
      stderr: "null",
    }).output();
    assert.equal(started.code, 0);
    // The real daemon writes its file soon after the parent returns.
    const realFile = `${dir}/argus.lo.0.pid`;
    for (let i = 0; i < 50 && realPid === 0; i++) {
      try {
        realPid = Number(Deno.readTextFileSync(realFile).trim());
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    assert.ok(realPid > 0, "the real argus wrote argus.lo.0.pid");
    // Same name and contents form as ours.
    assert.match(Deno.readTextFileSync(realFile), /^\d+\n$/);
    const ours = createPidFile({ dir, device: "lo" });
    assert.equal(ours.path, `${dir}/argus.lo.1.pid`);
    ours.remove();
  } finally {
    if (realPid > 0) {
      try {
        Deno.kill(realPid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    await Deno.remove(dir, { recursive: true });
  }
});
