/**
 * argus -i refuses bad input with one line and a non-zero exit, before it
 * captures anything (issue 4): a missing interface, a filter libpcap
 * rejects, an occupied access port, an unknown user or group, an output it
 * cannot write; with -d no daemon is left behind. Captures open on the
 * loopback interface only and send nothing.
 * @module
 */

import assert from "node:assert/strict";
import { MAIN } from "../_util/live_sensors.ts";

const ROOT = Deno.uid() === 0;

/** Runs our argus with `args`; stdin closed, 20 s at most. */
async function argus(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "argus", "-X", ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(20_000),
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

/** One line on stderr starting "argus: ", nothing on stdout. */
function oneLine(r: { stdout: string; stderr: string }, pattern: RegExp) {
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `more than one line:\n${r.stderr}`);
  assert.match(lines[0]!, /^argus: /);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, "a stack trace");
  assert.equal(r.stdout, "");
}

/** Our daemons still running with `marker` in their arguments. */
async function daemonsWith(marker: string): Promise<string> {
  const ps = await new Deno.Command("ps", {
    args: ["-eo", "pid,args"],
    stdout: "piped",
  }).output();
  return new TextDecoder().decode(ps.stdout).split("\n")
    .filter((l) => l.includes(marker) && l.includes("main.ts")).join("\n");
}

Deno.test("argus -i: a missing interface is one line, exit 1", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bad-in-" });
  const r = await argus(["-i", "nosuchif0", "-w", `${dir}/x.argus`]);
  assert.equal(r.code, 1);
  oneLine(r, /nosuchif0: .*(No such device|doesn't exist)/);
  // Nothing is written for a capture that never started.
  await assert.rejects(Deno.stat(`${dir}/x.argus`), Deno.errors.NotFound);
});

Deno.test({
  name: "argus -i: a filter libpcap rejects, an unwritable output",
  ignore: !ROOT,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "bad-in-" });
    const f = await argus([
      "-i",
      "lo",
      "-w",
      `${dir}/x.argus`,
      "-",
      "tcp",
      "and",
      "nonsense",
    ]);
    assert.equal(f.code, 1);
    oneLine(f, /filter "tcp and nonsense": syntax error/);
    const w = await argus(["-i", "lo", "-w", `${dir}/no/such/dir/x.argus`]);
    assert.equal(w.code, 1);
    oneLine(w, /Cannot write ".*x\.argus": no such directory/);
  },
});

Deno.test({
  name: "argus -i -P: an occupied port is one line, exit 1",
  ignore: !ROOT,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "bad-in-" });
    using busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (busy.addr as Deno.NetAddr).port;
    const r = await argus([
      "-i",
      "lo",
      "-B",
      "127.0.0.1",
      "-P",
      String(port),
      "-w",
      `${dir}/x.argus`,
    ]);
    assert.equal(r.code, 1);
    oneLine(r, new RegExp(`port ${port}: address already in use`));
  },
});

Deno.test({
  name: "argus -i -u/-g: an unknown user or group is one line, non-zero",
  ignore: !ROOT,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "bad-in-" });
    const u = await argus([
      "-i",
      "lo",
      "-u",
      "no-such-user-x",
      "-w",
      `${dir}/x.argus`,
    ]);
    assert.notEqual(u.code, 0);
    oneLine(u, /no-such-user-x/);
    const g = await argus([
      "-i",
      "lo",
      "-g",
      "no-such-group-x",
      "-w",
      `${dir}/x.argus`,
    ]);
    assert.notEqual(g.code, 0);
    oneLine(g, /no-such-group-x/);
  },
});

Deno.test({
  name: "argus -d with bad input: one line, non-zero, no daemon left behind",
  ignore: !ROOT,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "bad-in-d-" });
    for (
      const args of [
        ["-i", "nosuchif0"],
        ["-i", "lo", "-u", "no-such-user-x"],
        ["-i", "lo", "-w", `${dir}/x.argus`, "-", "tcp", "and", "nonsense"],
      ]
    ) {
      const r = await argus([
        "-d",
        ...args,
        ...(args.includes("-w") ? [] : ["-w", `${dir}/x.argus`]),
      ]);
      assert.notEqual(r.code, 0, `${args.join(" ")} exited 0`);
      oneLine(r, /./);
    }
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await daemonsWith(dir), "", "a daemon was left running");
  },
});
