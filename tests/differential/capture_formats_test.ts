/**
 * argus -r of snoop and ERF files and argus -t of tsh files, against the
 * real argus 3.0.8. The real argus opens these formats but never reads a
 * packet from them (ArgusGetPackets loops only over interfaces with a pcap
 * handle, which they lack): it writes management records only, checked
 * below. So the oracle is an equivalence: corpus captures are converted
 * (tests/_util/capture_formats_writer.ts) and our flows from the converted
 * file must equal, record for record, the real argus's on a pcap of the
 * same packets:
 * - snoop, ERF: the original corpus pcap (its expected/*.argus), since
 *   both formats carry whole frames, lengths and µs times unchanged;
 * - tsh: a DLT_RAW pcap of what a tsh record holds, as argus's
 *   ArgusMoatTshRead presents it (the 36 stored bytes of IPv4 header and
 *   transport header plus 4 zero bytes, wire length = IP total length),
 *   run through the real argus here. This checks our reader against that
 *   reading of argus's source, not against a run of it.
 * @module
 */

import assert from "node:assert/strict";
import {
  CORPUS,
  flowdiff,
  haveRealArgus,
  recordsTable,
  referenceTable,
  run,
  runOurArgus,
} from "../_util/oracle.ts";
import { firstRecordDifference, flowRecords } from "../_util/records.ts";
import {
  type LinkedPacket,
  readPackets,
  writePackets,
} from "../_util/pcap_transform.ts";
import {
  erfFile,
  type ErfOptions,
  snoopFile,
  tshFile,
} from "../_util/capture_formats_writer.ts";

/** Ethernet captures argus reads without quirks (see corpus_test.ts). */
const ETHERNET = [
  "arp.pcap",
  "ether-jumbo.pcap",
  "gre.pcap",
  "icmp.pcap",
  "idle-timeouts.pcap",
  "ip-protocols.pcap",
  "ipv4-frag.pcap",
  "ipv6.pcap",
  "mpls.pcap",
  "nanosecond.pcap",
  "pppoe.pcap",
  "snaplen-96.pcap",
  "tcp-anomalies.pcap",
  "tcp-basic.pcap",
  "tcp-long.pcap",
  "tcp-rst.pcap",
  "tcp-scans.pcap",
  "udp-dns.pcap",
  "vlan.pcap",
];

/**
 * tsh cases where the records' bytes are not compared, and why: on a
 * DLT_RAW pcap the real argus writes a fragment DSR with the IP id in host
 * order and 8 bytes of a heap pointer (they change from run to run), which
 * our argus does not reproduce on that pcap either; the flows agree.
 */
const TSH_FLOWS_ONLY: Record<string, string> = {
  "ipv4-frag.pcap":
    "the real argus's fragment DSR on raw IP holds a stale pointer",
};

/** Captures whose IPv4 packets make the tsh files. */
const TSH = [
  "icmp.pcap",
  "ip-protocols.pcap",
  "ipv4-frag.pcap",
  "raw-ip.pcap",
  "tcp-anomalies.pcap",
  "tcp-basic.pcap",
  "tcp-long.pcap",
  "tcp-rst.pcap",
  "tcp-scans.pcap",
  "udp-dns.pcap",
];

interface Case {
  /** The corpus capture converted. */
  name: string;
  /** File name of the converted capture (the extension picks ERF). */
  file: string;
  bytes: Uint8Array;
  /** Extra argus options (-t). */
  flags: string[];
  /** A pcap of the same packets for the real argus; none: the original. */
  oracle?: LinkedPacket[];
  /** Why only the flow tables are compared, not the records' bytes. */
  flowsOnly?: string;
}

/** Our argus against the real one on every case, at most 6 at a time. */
async function compare(dir: string, cases: Case[]): Promise<string[]> {
  const failures: string[] = [];
  const one = async (c: Case) => {
    const path = `${dir}/${c.file}`;
    await Deno.writeFile(path, c.bytes);
    const ours = `${path}.argus`;
    const r = await runOurArgus(["-X", ...c.flags, "-r", path, "-w", ours]);
    if (r.code !== 0 || r.stderr !== "") {
      failures.push(`${c.file}: exit ${r.code}: ${r.stderr}`);
      return;
    }
    let expectedCsv = `${CORPUS}expected/${c.name}.csv`;
    let expectedRecords = `${CORPUS}expected/${c.name}.argus`;
    if (c.oracle !== undefined) {
      const pcap = `${path}.oracle.pcap`;
      await writePackets(pcap, c.oracle);
      expectedCsv = `${pcap}.csv`;
      expectedRecords = `${pcap}.argus`;
      const ref = await referenceTable(pcap, expectedCsv, [], expectedRecords);
      if (ref.code !== 0) {
        failures.push(`${c.file}: oracle run failed: ${ref.stderr}`);
        return;
      }
    }
    const actualCsv = `${path}.csv`;
    const ra = await recordsTable(ours, actualCsv);
    if (ra.code !== 0 || ra.stderr !== "") {
      failures.push(`${c.file}: real ra on our records: ${ra.stderr}`);
      return;
    }
    const d = await flowdiff(expectedCsv, actualCsv);
    if (!d.ok) {
      failures.push(`${c.file}: ${d.match}\n${d.report}`);
      return;
    }
    const expected = await Deno.readFile(expectedRecords);
    const actual = await Deno.readFile(ours);
    if (flowRecords(expected).length === 0) {
      failures.push(`${c.file}: the oracle has no flows`);
    }
    const diff = firstRecordDifference(expected, actual);
    if (diff !== null && c.flowsOnly === undefined) {
      failures.push(`${c.file}: ${diff}`);
    }
  };
  const queue = [...cases];
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      for (let c = queue.shift(); c !== undefined; c = queue.shift()) {
        await one(c);
      }
    }),
  );
  return failures;
}

async function packetsOf(name: string): Promise<LinkedPacket[]> {
  return await readPackets(`${CORPUS}${name}`);
}

Deno.test({
  name: "argus -r snoop and ERF, argus -t tsh: the real argus's flows",
  ignore: !haveRealArgus(),
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "argus-ts-capfmt-" });
    try {
      await t.step("the real argus reads no packets from them", async () => {
        const packets = await packetsOf("tcp-basic.pcap");
        for (
          const [file, bytes, flags] of [
            ["real.snoop", snoopFile(packets), []],
            ["real.erf", erfFile(packets), []],
            ["real.tsh", tshFile(packets).file, ["-t"]],
          ] as const
        ) {
          const path = `${dir}/${file}`;
          await Deno.writeFile(path, bytes);
          const out = `${path}.argus`;
          const r = await run("argus", ["-X", ...flags, "-r", path, "-w", out]);
          assert.equal(r.code, 0, `${file}: ${r.stderr}`);
          const records = await Deno.readFile(out);
          assert.ok(records.length > 0, `${file}: management records`);
          assert.equal(flowRecords(records).length, 0, `${file}: no flows`);
        }
      });

      await t.step("snoop: the original pcap's records", async () => {
        const cases: Case[] = [];
        for (const name of ETHERNET) {
          const bytes = snoopFile(await packetsOf(name));
          cases.push({ name, file: `${name}.snoop`, bytes, flags: [] });
        }
        const failures = await compare(dir, cases);
        assert.deepEqual(failures, [], failures.join("\n"));
      });

      await t.step("ERF: the original pcap's records", async () => {
        const cases: Case[] = [];
        const variants: [string, ErfOptions][] = [
          ["tcp-basic.pcap", { pad8: true, extensions: 1 }],
          ["udp-dns.pcap", { pad8: true }],
        ];
        for (const name of [...ETHERNET, "raw-ip.pcap"]) {
          const bytes = erfFile(await packetsOf(name));
          cases.push({ name, file: `${name}.erf`, bytes, flags: [] });
        }
        for (const [name, options] of variants) {
          const bytes = erfFile(await packetsOf(name), options);
          cases.push({ name, file: `${name}.padded.erf`, bytes, flags: [] });
        }
        const failures = await compare(dir, cases);
        assert.deepEqual(failures, [], failures.join("\n"));
      });

      await t.step(
        "tsh: the real argus on a pcap of the same packets",
        async () => {
          const cases: Case[] = [];
          for (const name of TSH) {
            const tsh = tshFile(await packetsOf(name));
            assert.ok(tsh.packets.length > 0, `${name} has IPv4 packets`);
            cases.push({
              name,
              file: `${name}.tsh`,
              bytes: tsh.file,
              flags: ["-t"],
              oracle: tsh.packets,
              ...(TSH_FLOWS_ONLY[name] !== undefined
                ? { flowsOnly: TSH_FLOWS_ONLY[name] }
                : {}),
            });
          }
          const failures = await compare(dir, cases);
          assert.deepEqual(failures, [], failures.join("\n"));
        },
      );

      await t.step(
        "damage: one line, exit 1, the flows before it kept",
        async () => {
          const packets = await packetsOf("tcp-basic.pcap");
          const snoop = snoopFile(packets);
          const tsh = tshFile(packets).file;
          for (
            const [file, bytes, flags, message] of [
              [
                "cut.snoop",
                snoop.subarray(0, snoop.length - 3),
                [],
                /^argus: Cannot read ".*cut\.snoop": truncated snoop record at byte \d+ \(record length \d+, \d+ bytes present\)$/,
              ],
              [
                "cut.tsh",
                tsh.subarray(0, tsh.length - 3),
                ["-t"],
                /^argus: Cannot read ".*cut\.tsh": truncated tsh record at byte \d+ \(41 of 44 bytes\)$/,
              ],
              [
                "zero.erf",
                Uint8Array.from([
                  ...erfFile(packets.slice(0, 9)),
                  ...new Uint8Array(16),
                ]),
                [],
                /^argus: Cannot read ".*zero\.erf": bad ERF record length at byte \d+ \(record length 0 is shorter than its headers\)$/,
              ],
              [
                "fddi.snoop",
                snoopFile(packets, 8),
                [],
                /^argus: Cannot read ".*fddi\.snoop": link type 10 is not supported$/,
              ],
              [
                "no-t.tsh",
                tsh,
                [],
                /^argus: Cannot read ".*no-t\.tsh": not a pcap or pcapng file \(it starts with 0x6553f100\)$/,
              ],
            ] as const
          ) {
            const path = `${dir}/${file}`;
            await Deno.writeFile(path, bytes);
            const out = `${path}.argus`;
            const r = await runOurArgus([
              "-X",
              ...flags,
              "-r",
              path,
              "-w",
              out,
            ]);
            assert.equal(r.code, 1, `${file}: exit status; ${r.stderr}`);
            const lines = r.stderr.trim().split("\n");
            assert.equal(lines.length, 1, `${file}: one line, got ${r.stderr}`);
            assert.match(lines[0]!, message);
            if (file.startsWith("cut") || file.startsWith("zero")) {
              const flows = flowRecords(await Deno.readFile(out));
              assert.ok(
                flows.length > 0,
                `${file}: the flows before the damage`,
              );
            }
          }
        },
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
