/**
 * Round trip over the real argus's record files: decoding every record and
 * encoding it again gives back the file byte for byte, for every corpus
 * file (default options) and for files the real argus writes here with the
 * optional DSRs on (-A -J -R -Z -m -U 64, and -e source ids).
 * @module
 */

import assert from "node:assert/strict";
import {
  type ArgusRecord,
  decodeRecordBytes,
  RecordWriter,
} from "../../src/record/mod.ts";
import { CORPUS } from "../_util/oracle.ts";
import { describeRecord } from "../_util/records.ts";

const EXPECTED = `${CORPUS}expected/`;

function reencode(records: ArgusRecord[]): Uint8Array {
  const w = new RecordWriter(256);
  for (const r of records) w.write(r);
  return w.bytes();
}

/** Null when equal, else the first differing record, DSR by DSR. */
function difference(a: Uint8Array, b: Uint8Array): string | null {
  const v = new DataView(a.buffer, a.byteOffset, a.byteLength);
  for (let off = 0; off + 4 <= a.length;) {
    const len = v.getUint16(off + 2) * 4;
    const x = a.subarray(off, off + len), y = b.subarray(off, off + len);
    if (!x.every((byte, i) => byte === y[i])) {
      return `record at byte ${off}:\n  argus: ${
        describeRecord(x).join("\n         ")
      }\n  ours:  ${describeRecord(y).join("\n         ")}`;
    }
    off += len;
  }
  return a.length === b.length ? null : `lengths ${a.length} and ${b.length}`;
}

function assertRoundTrip(bytes: Uint8Array, name: string): ArgusRecord[] {
  const { records, error } = decodeRecordBytes(bytes, name);
  assert.equal(error, null, error?.message);
  const out = reencode(records);
  const diff = difference(bytes, out);
  assert.equal(diff, null, diff ?? "");
  return records;
}

/** The modelled slots must hold everything argus writes by default. */
function assertFullyModelled(records: ArgusRecord[]): void {
  for (const r of records) {
    assert.notEqual(r.kind, "raw", "a record was left raw");
    if (r.kind !== "flow") continue;
    assert.deepEqual(r.extra.map((x) => x.type), [], "DSRs were left raw");
    assert.notEqual(r.network?.kind, "raw", "a network DSR was left raw");
  }
}

Deno.test("RecordWriter re-encodes every corpus record file byte for byte", async (t) => {
  const names = [...Deno.readDirSync(EXPECTED)]
    .map((e) => e.name)
    .filter((n) => n.endsWith(".argus"))
    .sort();
  assert.ok(names.length >= 58, `only ${names.length} record files`);
  for (const name of names) {
    await t.step(name, () => {
      const records = assertRoundTrip(Deno.readFileSync(EXPECTED + name), name);
      assertFullyModelled(records);
      assert.equal(records[0]?.kind, "mar");
    });
  }
});

async function realArgus(
  pcap: string,
  flags: string[],
  out: string,
): Promise<void> {
  const r = await new Deno.Command("argus", {
    args: ["-X", ...flags, "-r", pcap, "-w", out],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
}

Deno.test("RecordWriter re-encodes the real argus's optional DSRs byte for byte", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "record_rt_" });
  const cases: [string, string[]][] = [
    ["tcp-basic.pcap", ["-A", "-J", "-R", "-Z", "-m", "-U", "64"]],
    ["mixed-small.pcap", ["-A", "-J", "-R", "-Z", "-m", "-U", "64"]],
    ["icmp.pcap", ["-A", "-J", "-Z", "-m", "-U", "32"]],
    ["ipv6.pcap", ["-A", "-J", "-Z", "-m", "-U", "16"]],
    ["arp.pcap", ["-A", "-J", "-Z", "-m"]],
    ["vlan.pcap", ["-m", "-J"]],
    ["mpls.pcap", ["-m", "-Z"]],
    ["non-ip.pcap", ["-m", "-U", "8"]],
    ["udp-dns.pcap", ["-e", "42"]],
    ["arp.pcap", ["-e", "10.1.2.3"]],
  ];
  try {
    // argus takes a second or more per run: start them all at once. argus
    // appends to an existing -w file, so each run gets a new name.
    const runs = cases.map(([pcap, flags], i) => {
      const out = `${dir}/${i}-${pcap}.argus`;
      return realArgus(`${CORPUS}${pcap}`, flags, out).then(() => out);
    });
    for (const [i, [pcap, flags]] of cases.entries()) {
      await t.step(`${pcap} ${flags.join(" ")}`, async () => {
        const out = await runs[i]!;
        const records = assertRoundTrip(await Deno.readFile(out), out);
        assertFullyModelled(records);
      });
    }
    await Promise.allSettled(runs);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
