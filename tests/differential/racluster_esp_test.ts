/**
 * racluster's IPv4 ESP aggregates against the real racluster 3.0.8: flows
 * with equal and with different SPIs, merged by keys that keep or drop
 * their addresses, print the SPI argus holds in memory (0 once the SPIs,
 * or the masks sharing their word, differed; the masks while they did
 * not), with the whole SPI shown, and -w writes the same bytes.
 * @module
 */

import assert from "node:assert/strict";
import { runRacluster } from "../../src/programs/racluster/run.ts";
import { firstDifference } from "../_util/corpus_records.ts";
import { CORPUS, haveRealArgus, run, runOurArgus } from "../_util/oracle.ts";
import { runOurs } from "../_util/our_client.ts";
import { ether, ipv4Packet } from "../_util/packets.ts";
import { pcapFile, type PcapPacket } from "../_util/pcap_writer.ts";

const A = "02:00:00:00:00:01", B = "02:00:00:00:00:02";

/** Source, destination, SPI of one-packet ESP flows. */
const FLOWS: [string, string, number][] = [
  ["10.7.1.1", "10.7.2.1", 0x1234],
  ["10.7.1.2", "10.7.2.1", 0x1234],
  ["10.7.1.5", "10.7.2.9", 0xabcdef01],
  ["10.7.1.6", "10.7.2.9", 0xabcdef02],
  ["10.7.1.6", "10.7.2.9", 0x5],
  ["10.7.3.1", "10.7.4.1", 0x77],
  ["10.7.3.1", "10.7.4.1", 0x77],
];

const KEYS = [
  [],
  ["-m", "proto"],
  ["-m", "saddr"],
  ["-m", "daddr"],
  ["-m", "proto", "dport"],
  ["-m", "saddr/16"],
  ["-m", "proto", "sport"],
];

async function espRecords(dir: string): Promise<string> {
  let t = 1_700_000_000_000_000;
  const packets: PcapPacket[] = FLOWS.map(([src, dst, spi], i) => {
    const body = new Uint8Array(40);
    new DataView(body.buffer).setUint32(0, spi);
    new DataView(body.buffer).setUint32(4, i + 1);
    // Far apart, so that the repeated flow makes two records.
    t += i === FLOWS.length - 1 ? 120_000_000 : 1000;
    return {
      time: t,
      data: ether(B, A, 0x800, ipv4Packet(src, dst, 50, body)),
    };
  });
  const pcap = `${dir}/resp-flows.pcap`, out = `${dir}/resp-flows.argus`;
  Deno.writeFileSync(pcap, pcapFile(packets));
  const r = await runOurArgus(["-r", pcap, "-w", out]);
  assert.equal(r.code, 0, r.stderr);
  return out;
}

Deno.test({
  name: "racluster: merged ESP SPIs print and write as the real racluster's",
  ignore: !haveRealArgus(),
  async fn() {
    const dir = Deno.makeTempDirSync({ prefix: "resp-" });
    try {
      const files = [
        await espRecords(dir),
        `${CORPUS}expected/ip-protocols.pcap.argus`,
      ];
      let n = 0;
      for (const file of files) {
        for (const key of KEYS) {
          const args = [...key, "-r", file];
          const show = ["-s", "stime", "saddr", "daddr", "dport:12", "pkts"];
          const real = await run("racluster", [...args, ...show]);
          const ours = await runOurs(runRacluster, [...args, ...show]);
          const name = `racluster ${args.join(" ")}`;
          assert.equal(
            ours.out,
            real.stdout,
            firstDifference(name, real.stdout, ours.out),
          );
          const rw = `${dir}/resp-real.${n}`, ow = `${dir}/resp-ours.${n++}`;
          assert.equal((await run("racluster", [...args, "-w", rw])).code, 0);
          assert.equal(
            (await runOurs(runRacluster, [...args, "-w", ow])).code,
            0,
          );
          assert.deepEqual(
            Deno.readFileSync(ow),
            Deno.readFileSync(rw),
            `${name} -w`,
          );
        }
      }
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});
