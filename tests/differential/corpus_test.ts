/**
 * The backbone: our `argus` on every corpus capture, read back by the REAL
 * ra, against the real argus 3.0.8 (../shared/corpus/expected): flowdiff
 * must say 100%, and the flow records must be byte-identical. Captures the
 * real argus mishandles get an oracle it can handle (listed below with the
 * reason); damaged captures must fail with one line, keeping every flow
 * before the damage.
 * @module
 */

import assert from "node:assert/strict";
import {
  CORPUS,
  flowdiff,
  haveRealArgus,
  recordsTable,
  referenceTable,
  runOurArgus,
} from "../_util/oracle.ts";
import { firstRecordDifference } from "../_util/records.ts";
import {
  clip,
  type LinkedPacket,
  loopToNull,
  readPackets,
  sll2ToSll,
  writePackets,
} from "../_util/pcap_transform.ts";

/**
 * Captures where the real argus is not the oracle as is. Each says why and
 * how the oracle is made; our output on the original capture must then
 * equal the real argus's output on the rewritten one, record for record.
 */
const REWRITTEN: Record<
  string,
  { why: string; rewrite: (p: LinkedPacket[]) => LinkedPacket[] }
> = {
  "loop.pcap": {
    why:
      "argus ignores DLT_LOOP (its callback is empty); we decode it like DLT_NULL",
    rewrite: loopToNull,
  },
  "sll2.pcap": {
    why: "argus refuses Linux cooked v2; we decode it like cooked v1",
    rewrite: sll2ToSll,
  },
  "netns-any-sll2.pcap": {
    why:
      "cooked v2 (refused by argus), and packets over 2050 bytes (argus aborts)",
    rewrite: (p) => clip(sll2ToSll(p), 2050),
  },
  "netns-any-sll.pcap": {
    why:
      "argus aborts on cooked packets over 2050 captured bytes; clipping them changes nothing else",
    rewrite: (p) => clip(p, 2050),
  },
  "sll-jumbo.pcap": {
    why: "argus aborts on cooked packets over 2050 captured bytes",
    rewrite: (p) => clip(p, 2050),
  },
};

/**
 * Captures where argus reads bytes past the captured length (stale buffer
 * contents): those rows cannot be reproduced and are set aside, each
 * named; every other row must match.
 */
const STALE_BYTES: Record<
  string,
  { why: string; expected: RegExp[]; actual: RegExp[] }
> = {
  "zero-caplen.pcap": {
    why:
      "records with caplen 0: argus makes an `ip` ether flow from the previous packet's bytes; we skip them",
    expected: [/^ip,02:00:00:00:17:01,/],
    actual: [],
  },
  "truncated-headers.pcap": {
    why:
      "a 10-byte capture (argus reuses the previous frame's header) and a 30-byte ARP (argus reads the target address from stale bytes)",
    expected: [/^ip,02:00:00:00:16:01,/, /^arp,/],
    actual: [/^ip,02:00:00:00:16:01,/, /^arp,/],
  },
};

/** Captures that only warn, as argus does (one line, exit 0). */
const WARNED: Record<string, RegExp> = {
  "empty-file.pcap": /the file is empty/,
};

/** Damaged captures: the error our argus must report (exit 1). */
const DAMAGED: Record<string, RegExp> = {
  "corrupt-bad-magic.pcap":
    /not a pcap or pcapng file \(it starts with 0xefbeadde\)/,
  "corrupt-bad-version.pcap": /unsupported pcap version 3\.0 at byte 4/,
  "corrupt-short-header.pcap": /truncated file header at byte 0/,
  "corrupt-truncated-record.pcap":
    /truncated packet record at byte 3548 \(captured length 1514/,
  "corrupt-truncated-rechdr.pcap":
    /truncated packet record header at byte 3548 \(7 of 16 bytes\)/,
  "corrupt-huge-caplen.pcap": /captured length 16777215/,
  "corrupt-pcapng-truncated.pcapng": /truncated block at byte 3600/,
  "corrupt-pcapng-badblock.pcapng": /block length mismatch at byte 264/,
  "unknown-linktype.pcap": /link type 147 is not supported/,
};

async function ourArgus(
  pcap: string,
  out: string,
): Promise<{ code: number; stderr: string }> {
  const r = await runOurArgus(["-X", "-r", pcap, "-w", out]);
  return { code: r.code, stderr: r.stderr };
}

function dropRows(
  csv: string,
  patterns: RegExp[],
): { text: string; dropped: number } {
  const lines = csv.split("\n");
  const kept = [lines[0]!];
  let dropped = 0;
  for (const line of lines.slice(1)) {
    if (line === "") continue;
    if (patterns.some((p) => p.test(line))) dropped++;
    else kept.push(line);
  }
  return { text: kept.join("\n") + "\n", dropped };
}

const captures = [...Deno.readDirSync(CORPUS)]
  .map((e) => e.name)
  .filter((n) => n.endsWith(".pcap") || n.endsWith(".pcapng"))
  .sort();

Deno.test({
  name: "corpus: our argus equals the real argus 3.0.8 on every capture",
  ignore: !haveRealArgus(),
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "argus-ts-corpus-" });
    try {
      for (const name of captures) {
        await t.step(name, async () => {
          const pcap = `${CORPUS}${name}`;
          const ours = `${dir}/${name}.argus`;
          const r = await ourArgus(pcap, ours);
          const damage = DAMAGED[name] ?? WARNED[name];
          if (damage !== undefined) {
            assert.equal(r.code, WARNED[name] ? 0 : 1, `${name}: exit status`);
            const lines = r.stderr.trim().split("\n");
            assert.equal(lines.length, 1, `one error line, got: ${r.stderr}`);
            assert.match(lines[0]!, damage);
            assert.ok(lines[0]!.includes(name), "the error names the file");
          } else {
            assert.equal(r.code, 0, `${name}: ${r.stderr}`);
            assert.equal(r.stderr, "", "no messages on success");
          }

          let expectedCsv = `${CORPUS}expected/${name}.csv`;
          let expectedRecords = `${CORPUS}expected/${name}.argus`;
          const rewrite = REWRITTEN[name];
          if (rewrite !== undefined) {
            const oraclePcap = `${dir}/${name}.oracle.pcap`;
            await writePackets(
              oraclePcap,
              rewrite.rewrite(await readPackets(pcap)),
            );
            expectedCsv = `${dir}/${name}.oracle.csv`;
            expectedRecords = `${dir}/${name}.oracle.argus`;
            const ref = await referenceTable(
              oraclePcap,
              expectedCsv,
              [],
              expectedRecords,
            );
            assert.equal(ref.code, 0, `oracle run failed: ${ref.stderr}`);
          }

          const actualCsv = `${dir}/${name}.csv`;
          const ra = await recordsTable(ours, actualCsv);
          assert.equal(ra.code, 0, `real ra failed on our file: ${ra.stderr}`);
          assert.equal(ra.stderr, "", "real ra printed warnings");

          const stale = STALE_BYTES[name];
          if (stale !== undefined) {
            const e = dropRows(
              await Deno.readTextFile(expectedCsv),
              stale.expected,
            );
            const a = dropRows(
              await Deno.readTextFile(actualCsv),
              stale.actual,
            );
            assert.equal(
              e.dropped,
              stale.expected.length,
              "each set-aside expected row exists",
            );
            assert.equal(
              a.dropped,
              stale.actual.length,
              "each set-aside row of ours exists",
            );
            expectedCsv = `${dir}/${name}.kept-expected.csv`;
            await Deno.writeTextFile(expectedCsv, e.text);
            await Deno.writeTextFile(actualCsv, a.text);
          }

          const d = await flowdiff(expectedCsv, actualCsv);
          assert.ok(d.ok, `${name}: ${d.match}\n${d.report}`);

          if (stale === undefined) {
            const diff = firstRecordDifference(
              await Deno.readFile(expectedRecords),
              await Deno.readFile(ours),
            );
            assert.equal(diff, null, `${name}: ${diff}`);
          }
        });
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
