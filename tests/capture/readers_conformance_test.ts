/**
 * Conformance: our pure-TS savefile readers against libpcap's own
 * (pcap_open_offline + pcap_next_ex through ffi/), one step per corpus
 * capture: the same link type, snapshot length, packets (time, lengths,
 * bytes) and, where libpcap stops, the same packets before it and an error.
 * @module
 */

import assert from "node:assert/strict";
import { CORPUS } from "../_util/oracle.ts";
import { readWithLibpcap, readWithOurs } from "./_capture_files.ts";

/**
 * What libpcap 1.10.3 does with the damaged corpus files, and we too:
 * - corrupt-bad-magic: refused at open ("unknown file format").
 * - corrupt-bad-version: refused at open (version 3.0).
 * - corrupt-short-header (12 bytes): refused, the file header is cut.
 * - empty-file: refused ("tried to read 4 file header bytes, only got 0").
 * - header-only: opens, no packets, no error.
 * - corrupt-caplen-gt-len: all 7 packets, caplen > len is not damage.
 * - corrupt-huge-caplen: 4 packets, then caplen 16 MiB is damage.
 * - corrupt-truncated-rechdr / -record: 7 packets, then a cut record.
 * - corrupt-pcapng-badblock: 2 packets, then header and trailer lengths
 *   differ.
 * - corrupt-pcapng-truncated: 6 packets, then a cut block.
 * - unknown-linktype (147): all packets; the link type is not the
 *   reader's business.
 * Our messages are our own (file, byte offset, what is wrong).
 */
const DAMAGED: Record<string, { packets: number; atOpen: boolean }> = {
  "corrupt-bad-magic.pcap": { packets: 0, atOpen: true },
  "corrupt-bad-version.pcap": { packets: 0, atOpen: true },
  "corrupt-short-header.pcap": { packets: 0, atOpen: true },
  "empty-file.pcap": { packets: 0, atOpen: true },
  "corrupt-huge-caplen.pcap": { packets: 4, atOpen: false },
  "corrupt-truncated-rechdr.pcap": { packets: 7, atOpen: false },
  "corrupt-truncated-record.pcap": { packets: 7, atOpen: false },
  "corrupt-pcapng-badblock.pcapng": { packets: 2, atOpen: false },
  "corrupt-pcapng-truncated.pcapng": { packets: 6, atOpen: false },
};

const captures = [...Deno.readDirSync(CORPUS)]
  .map((e) => e.name)
  .filter((n) => n.endsWith(".pcap") || n.endsWith(".pcapng"))
  .sort();

Deno.test("savefile readers give libpcap's packets for every corpus capture", async (t) => {
  assert.ok(captures.length > 50, "the corpus is there");
  for (const name of captures) {
    await t.step(name, async () => {
      const ref = readWithLibpcap(CORPUS + name);
      const ours = await readWithOurs(await Deno.readFile(CORPUS + name), name);
      const damaged = DAMAGED[name];
      if (ref.dlt < 0) {
        assert.equal(ours.opened, false, `libpcap refused it: ${ref.error}`);
        assert.match(ours.error!, new RegExp(`^Cannot read "${name}": `));
      } else {
        assert.equal(ours.opened, true, `${ours.error}`);
        assert.equal(ours.dlt, ref.dlt, "link type");
        assert.equal(ours.snaplen, ref.snaplen, "snapshot length");
        assert.deepEqual(ours.packets, ref.packets);
        assert.equal(
          ours.error !== null,
          ref.error !== null,
          `damage: ours ${ours.error}, libpcap ${ref.error}`,
        );
      }
      // The corpus README's account of each damaged file still holds.
      assert.equal(ref.error !== null, damaged !== undefined, `${ref.error}`);
      if (damaged !== undefined) {
        assert.equal(ref.packets.length, damaged.packets);
        assert.equal(!ours.opened, damaged.atOpen);
        assert.match(ours.error!, / at byte \d+|empty|not a pcap/);
      }
    });
  }
});
