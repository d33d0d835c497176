/**
 * argus -d through a stand-in sensor (_daemon_stand_in.ts, which calls
 * maybeDaemonize and daemonReady as argus does): the parent exits 0 only
 * once the daemon is ready, relays what the daemon says before then, and
 * exits with the daemon's status and error line when it stops first; the
 * daemon lives on in its own session. selfCommand rebuilds `deno run`.
 * @module
 */

import assert from "node:assert/strict";

const STAND_IN = new URL("./_daemon_stand_in.ts", import.meta.url).pathname;
const SELF = new URL("./_self_command.ts", import.meta.url).pathname;
const dec = new TextDecoder();

async function waitFor(path: string, ms: number): Promise<string | null> {
  for (let waited = 0; waited < ms; waited += 50) {
    try {
      const text = Deno.readTextFileSync(path);
      if (text.endsWith("\n")) return text;
    } catch {
      // Not there yet.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return null;
}

function killQuietly(pid: number): void {
  try {
    Deno.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

Deno.test("maybeDaemonize() returns 0 in the parent only after daemonReady(), and the daemon lives on detached", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dmnt-" });
  const marker = `${dir}/marker`;
  let daemonPid = 0;
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", STAND_IN, "ok", marker, "1500"],
    }).output();
    const stderr = dec.decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    // Ready came after `.before` was written and well before the marker.
    const before = Deno.readTextFileSync(`${marker}.before`);
    daemonPid = Number(before.trim());
    assert.throws(() => Deno.statSync(marker), Deno.errors.NotFound);
    // What the daemon said before it was ready was relayed; after, nothing.
    assert.equal(stderr, "stand-in: starting\n");
    assert.equal(dec.decode(out.stdout), "");
    // The daemon is still running, then finishes its work on its own.
    assert.ok(Deno.statSync(`/proc/${daemonPid}`).isDirectory);
    const done = await waitFor(marker, 10_000);
    assert.ok(done !== null, "the daemon wrote its marker");
    const [pid, session] = done.trim().split(" ").map(Number);
    assert.equal(pid, daemonPid);
    // setsid(): the daemon leads a session of its own, as argus's does.
    assert.equal(session, daemonPid);
  } finally {
    if (daemonPid > 0) killQuietly(daemonPid);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "a daemon that chroots before it is ready (argus -c) still detaches",
  ignore: Deno.uid() !== 0,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "dmnt-" });
    const marker = `${dir}/marker`;
    let daemonPid = 0;
    try {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", STAND_IN, "jail", marker, "300"],
      }).output();
      assert.equal(out.code, 0, dec.decode(out.stderr));
      assert.equal(dec.decode(out.stderr), "stand-in: starting\n");
      daemonPid = Number(Deno.readTextFileSync(`${marker}.before`).trim());
      assert.ok(await waitFor(marker, 10_000) !== null, "the daemon ran on");
    } finally {
      if (daemonPid > 0) killQuietly(daemonPid);
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("maybeDaemonize() exits with the daemon's status and error line when it fails before ready", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dmnt-" });
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", STAND_IN, "fail", `${dir}/marker`],
    }).output();
    assert.equal(out.code, 3);
    assert.equal(
      dec.decode(out.stderr),
      'stand-in: starting\nargus: Cannot open interface "nope0": no such device\n',
    );
    assert.throws(
      () => Deno.statSync(`${dir}/marker.before`),
      Deno.errors.NotFound,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("maybeDaemonize() reports a daemon killed before ready in one line, non-zero", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dmnt-" });
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", STAND_IN, "signal", `${dir}/marker`],
    }).output();
    assert.notEqual(out.code, 0);
    assert.equal(
      dec.decode(out.stderr),
      "stand-in: starting\nargus: The daemon was stopped by SIGKILL before it started\n",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a daemon whose parent is killed before it is ready still starts", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dmnt-" });
  const marker = `${dir}/marker`;
  let daemonPid = 0;
  try {
    const parent = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", STAND_IN, "ok", marker, "200", "1000"],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    // The parent relays "stand-in: starting" once the daemon runs.
    const reader = parent.stderr.getReader();
    let said = "";
    while (!said.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      said += dec.decode(value);
    }
    assert.equal(said, "stand-in: starting\n");
    parent.kill("SIGKILL");
    await parent.status;
    await reader.cancel();
    const done = await waitFor(marker, 10_000);
    assert.ok(done !== null, "the orphaned daemon finished its work");
    daemonPid = Number(done.split(" ")[0]);
  } finally {
    if (daemonPid > 0) killQuietly(daemonPid);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("maybeDaemonize() without --allow-run is one error line", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-env",
      STAND_IN,
      "ok",
      "/nonexistent-dmnt/m",
    ],
  }).output();
  assert.equal(out.code, 1);
  assert.equal(
    dec.decode(out.stderr),
    "argus: Cannot start the daemon: starting a process is not allowed (run with --allow-run)\n",
  );
});

Deno.test("maybeDaemonize() works under the sensor's own flags, without --allow-all", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dmnt-" });
  const marker = `${dir}/marker`;
  let daemonPid = 0;
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-ffi",
        "--allow-read",
        "--allow-write",
        "--allow-env",
        "--allow-run",
        STAND_IN,
        "ok",
        marker,
        "3000",
      ],
    }).output();
    const stderr = dec.decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    assert.equal(stderr, "stand-in: starting\n");
    daemonPid = Number(Deno.readTextFileSync(`${marker}.before`).trim());
    // The parent did not wait for the daemon's 3 s of work: the daemon's
    // stderr pipe closed at once (Deno's own copies of fd 2 included).
    assert.throws(() => Deno.statSync(marker), Deno.errors.NotFound);
  } finally {
    if (daemonPid > 0) killQuietly(daemonPid);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("selfCommand() under -A is /proc/self/cmdline: deno, run, flags, script", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-prompt", SELF, "x", "y"],
  }).output();
  assert.equal(out.code, 0, dec.decode(out.stderr));
  assert.deepEqual(JSON.parse(dec.decode(out.stdout)), {
    path: Deno.execPath(),
    args: ["run", "-A", "--no-prompt", SELF, "argus", "-d"],
  });
});

Deno.test("selfCommand() without -A (no /proc) rebuilds run, the granted permissions and the script", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-env", "--allow-read", "--allow-ffi", SELF, "x"],
  }).output();
  assert.equal(out.code, 0, dec.decode(out.stderr));
  assert.deepEqual(JSON.parse(dec.decode(out.stdout)), {
    path: Deno.execPath(),
    args: [
      "run",
      "--allow-read",
      "--allow-env",
      "--allow-ffi",
      SELF,
      "argus",
      "-d",
    ],
  });
});
