/**
 * HostsAccess, the tcp_wrappers subset of the -P port. The verdicts in the
 * table are the real argus 3.0.8.2's (libwrap 7.6): each rule was put in a
 * bind-mounted /etc/hosts.deny (unshare -m) and `ra -S 127.0.0.1` was
 * refused or served; the client was 127.0.0.1, named "localhost" by
 * /etc/hosts. One test asks the real argus again, live, when unshare works.
 * @module
 */

import assert from "node:assert/strict";
import { HostsAccess } from "../../src/output/hosts_access.ts";

const DIR = Deno.makeTempDirSync({ prefix: "hacc-" });
Deno.writeTextFileSync(
  `${DIR}/hosts`,
  "127.0.0.1 localhost\n10.1.2.3 box.example.org box\n::1 ip6-localhost\n",
);

function verdict(allow: string, deny: string, address: string): boolean {
  Deno.writeTextFileSync(`${DIR}/allow`, allow);
  Deno.writeTextFileSync(`${DIR}/deny`, deny);
  return new HostsAccess({
    allow: `${DIR}/allow`,
    deny: `${DIR}/deny`,
    hosts: `${DIR}/hosts`,
  }).check(address).allowed;
}

/** [hosts.deny rule, whether 127.0.0.1 is still let in] (real argus). */
const REAL_ARGUS_DENY: [string, boolean][] = [
  ["argus: 127.0.0.1", false],
  ["argus: 127.0.0.0/8", false],
  ["argus: 127.0.0.0/255.0.0.0", false],
  ["argus: 127.", false],
  ["ALL: ALL EXCEPT 127.0.0.1", true],
  ["ALL EXCEPT argus: ALL", true],
  ["ARGUS: 127.0.0.1", false],
  ["argus: localhost", false],
  ["argus: LOCAL", false],
  ["argus: 127.0.0.1/32", false],
  ["argus: 127.0.0.*", false],
  ["argus: [::1]", true],
  ["argus, sshd: 10.0.0.1 127.0.0.1", false],
];

for (const [rule, allowed] of REAL_ARGUS_DENY) {
  Deno.test(`HostsAccess() with hosts.deny "${rule}" ${allowed ? "lets 127.0.0.1 in" : "refuses 127.0.0.1"}, as argus does`, () => {
    assert.equal(verdict("", rule + "\n", "127.0.0.1"), allowed);
  });
}

Deno.test("HostsAccess() lets in what hosts.allow names before hosts.deny refuses all (real argus)", () => {
  assert.equal(verdict("argus: 127.0.0.1\n", "ALL: ALL\n", "127.0.0.1"), true);
  assert.equal(verdict("argus: 127.0.0.1\n", "ALL: ALL\n", "10.1.2.3"), false);
});

Deno.test("HostsAccess() without files lets everyone in, as tcp_wrappers", () => {
  const a = new HostsAccess({
    allow: `${DIR}/none-allow`,
    deny: `${DIR}/none-deny`,
  });
  assert.deepEqual(a.check("192.0.2.7"), { allowed: true });
});

Deno.test("HostsAccess() names the deciding file and line", () => {
  Deno.writeTextFileSync(`${DIR}/allow2`, "");
  Deno.writeTextFileSync(
    `${DIR}/deny2`,
    "# comment\n\nsshd: ALL\nargus: 10.1.2.0/24, \\\n  192.0.2.1\n",
  );
  const a = new HostsAccess({
    allow: `${DIR}/allow2`,
    deny: `${DIR}/deny2`,
    hosts: `${DIR}/hosts`,
  });
  assert.deepEqual(a.check("192.0.2.1"), {
    allowed: false,
    rule: `${DIR}/deny2:4`,
  });
  assert.equal(a.check("10.1.2.3").allowed, false);
  assert.equal(a.check("10.1.3.3").allowed, true);
});

Deno.test("HostsAccess() matches names, domains, EXCEPT chains and IPv6 nets", () => {
  const deny = (rule: string, address: string) =>
    !verdict("", rule + "\n", address);
  assert.equal(deny("argus: .example.org", "10.1.2.3"), true);
  assert.equal(deny("argus: box.example.org", "10.1.2.3"), true);
  assert.equal(deny("argus: LOCAL", "10.1.2.3"), false); // name has a dot
  assert.equal(deny("argus: UNKNOWN", "192.0.2.9"), true);
  assert.equal(deny("argus: KNOWN", "192.0.2.9"), false);
  assert.equal(deny("argus: 10. EXCEPT 10.1.2.3", "10.1.2.3"), false);
  assert.equal(
    deny("argus: 10. EXCEPT 10.1. EXCEPT 10.1.2.3", "10.1.2.3"),
    true,
  );
  assert.equal(deny("argus: [2001:db8::]/32", "2001:db8:1::5"), true);
  assert.equal(deny("argus: [2001:db8::]/32", "2001:db9::5"), false);
  assert.equal(deny("argus: [::1]", "::1"), true);
  assert.equal(deny("argus: 10.1.2.3", "::ffff:10.1.2.3"), true);
  assert.equal(deny("sshd: ALL", "10.1.2.3"), false);
  assert.equal(deny("argus@10.0.0.1: ALL", "10.1.2.3"), false);
});

Deno.test("HostsAccess() reads ARGUS_TS_HOSTS_ALLOW and ARGUS_TS_HOSTS_DENY", () => {
  Deno.writeTextFileSync(`${DIR}/envdeny`, "ALL: 198.51.100.\n");
  Deno.env.set("ARGUS_TS_HOSTS_DENY", `${DIR}/envdeny`);
  Deno.env.set("ARGUS_TS_HOSTS_ALLOW", `${DIR}/none`);
  try {
    const a = new HostsAccess();
    assert.equal(a.denyPath, `${DIR}/envdeny`);
    assert.equal(a.check("198.51.100.4").allowed, false);
  } finally {
    Deno.env.delete("ARGUS_TS_HOSTS_DENY");
    Deno.env.delete("ARGUS_TS_HOSTS_ALLOW");
  }
});

/** Whether the real argus lets `ra -S 127.0.0.1:port` in (refused: closed at once). */
async function realArgusLetsIn(port: number): Promise<boolean> {
  const out = await new Deno.Command("timeout", {
    args: ["1.5", "ra", "-S", `127.0.0.1:${port}`, "-n"],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout).includes(" man ");
}

Deno.test({
  name:
    "HostsAccess() agrees with the real argus on the table, live (one argus, files rewritten per rule)",
  ignore: !canUnshare(),
  fn: async () => {
    const allow = `${DIR}/live-allow`, deny = `${DIR}/live-deny`;
    Deno.writeTextFileSync(allow, "");
    Deno.writeTextFileSync(deny, "");
    const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (probe.addr as Deno.NetAddr).port;
    probe.close();
    // tcp_wrappers reads the files per connection, so one argus serves all.
    const argus = new Deno.Command("unshare", {
      args: [
        "-m",
        "sh",
        "-c",
        `mount --bind ${allow} /etc/hosts.allow && ` +
        `mount --bind ${deny} /etc/hosts.deny && ` +
        `exec argus -X -i lo -P ${port} -w /dev/null`,
      ],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    try {
      const cases: [string, string][] = [
        ...REAL_ARGUS_DENY.map(([rule]): [string, string] => ["", rule]),
        ["argus: 127.0.0.1", "ALL: ALL"],
      ];
      let up = false;
      for (let i = 0; i < 50 && !up; i++) {
        await new Promise((r) => setTimeout(r, 100));
        up = await Deno.connect({ hostname: "127.0.0.1", port }).then(
          (c) => (c.close(), true),
          () => false,
        );
      }
      assert.ok(up, "the real argus listens");
      for (const [a, d] of cases) {
        // Rewritten in place: the bind mounts follow the inode.
        Deno.writeTextFileSync(allow, a ? a + "\n" : "");
        Deno.writeTextFileSync(deny, d + "\n");
        const ours = verdict(a ? a + "\n" : "", d + "\n", "127.0.0.1");
        assert.equal(
          await realArgusLetsIn(port),
          ours,
          `allow "${a}" deny "${d}"`,
        );
      }
    } finally {
      argus.kill("SIGTERM");
      await argus.status;
    }
  },
});

function canUnshare(): boolean {
  try {
    return new Deno.Command("unshare", { args: ["-m", "true"] }).outputSync()
      .success &&
      new Deno.Command("argus", { args: ["-h"] }).outputSync() !== null;
  } catch {
    return false;
  }
}

Deno.test({
  name: "cleanup",
  fn: () => Deno.removeSync(DIR, { recursive: true }),
});
