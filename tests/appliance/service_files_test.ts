/**
 * appliance/argus.init (procd) and appliance/argus.service (systemd):
 * they parse, the init script hands procd the foreground command, and
 * systemd-analyze accepts the unit (skipped, with a line, without it).
 * @module
 */

import assert from "node:assert/strict";
import { run } from "../_util/oracle.ts";

const KIT = new URL("../../appliance/", import.meta.url).pathname;

Deno.test("appliance scripts: sh -n accepts them", async () => {
  for (const file of ["argus.init", "argus-rotate.sh"]) {
    const r = await run("sh", ["-n", `${KIT}${file}`]);
    assert.equal(r.code, 0, `${file}: ${r.stderr}`);
  }
});

Deno.test("argus.init: procd gets argus -F in the foreground, respawn, and SIGWINCH on reload", async () => {
  // procd's functions as stubs that print their arguments.
  const script = `
    procd_open_instance() { echo open; }
    procd_close_instance() { echo close; }
    procd_set_param() { echo "param $*"; }
    procd_send_signal() { echo "signal $*"; }
    . '${KIT}argus.init'
    LOGDIR=$(mktemp -d /tmp/svc-init-XXXXXX)
    start_service
    reload_service
    rmdir "$LOGDIR"
    echo "START=$START STOP=$STOP USE_PROCD=$USE_PROCD"
  `;
  const r = await run("sh", ["-c", script]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  assert.deepEqual(lines, [
    "open",
    "param command /usr/sbin/argus -F /etc/argus.conf",
    "param respawn 3600 5 5",
    "param term_timeout 10",
    "param stdout 1",
    "param stderr 1",
    "param file /etc/argus.conf",
    "close",
    "signal argus * WINCH",
    "START=95 STOP=10 USE_PROCD=1",
  ]);
  assert.ok(!lines.some((l) => / -d( |$)/.test(l)), "no -d under procd");
});

Deno.test("argus.service: systemd-analyze verify accepts it", async () => {
  const which = await run("sh", ["-c", "command -v systemd-analyze"]);
  if (which.code !== 0) {
    console.log("skipped: systemd-analyze is not installed");
    return;
  }
  const dir = await Deno.makeTempDir({ prefix: "svc-unit-" });
  try {
    // verify wants ExecStart's binary to exist: a stand-in for dist/argus.
    const stub = `${dir}/argus`;
    await Deno.writeTextFile(stub, "#!/bin/sh\n");
    await Deno.chmod(stub, 0o755);
    const unit = await Deno.readTextFile(`${KIT}argus.service`);
    assert.match(unit, /^Type=simple$/m);
    assert.match(
      unit,
      /^ExecStart=\/usr\/local\/sbin\/argus -F \/etc\/argus.conf$/m,
    );
    assert.match(unit, /^ExecReload=\/bin\/kill -WINCH \$MAINPID$/m);
    await Deno.writeTextFile(
      `${dir}/argus.service`,
      unit.replace("/usr/local/sbin/argus", stub),
    );
    const r = await run("systemd-analyze", ["verify", `${dir}/argus.service`]);
    // Only complaints about this unit count (the host's own units may warn).
    const ours = r.stderr.split("\n").filter((l) =>
      l.includes("argus.service")
    );
    assert.deepEqual(ours, [], r.stderr);
    assert.equal(r.code, 0, r.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
