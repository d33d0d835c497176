/**
 * Fuzz target "filter": mutated ra/argus filter expressions (ra(1) FILTER
 * EXPRESSION) through the lexer, parser and compiler, and each compiled
 * predicate run on records of the corpus as ra's filter subject and as the
 * sensor's stored-record subject. A FilterSyntaxError is a refusal (ra
 * prints it and exits 2).
 * @module
 */

import { compileFilter, FilterSyntaxError } from "../../src/filter/mod.ts";
import { ClientRecord } from "../../src/client/client_record.ts";
import { ClientFilterSubject } from "../../src/client/client_filter_subject.ts";
import { StoredFilterSubject } from "../../src/output/stored_filter_subject.ts";
import { decodeRecordBytes } from "../../src/record/mod.ts";
import { CORPUS, type FuzzTarget } from "../target.ts";
import type { Prng } from "../prng.ts";
import { cutRecords } from "../formats.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Expressions from the filter tests (ra's own behaviour checked there). */
export const FILTER_SEEDS: readonly string[] = [
  "tcp",
  "udp and dst port 53",
  "not icmp",
  "src net 10.0.0.0/8",
  "pkts gt 3",
  "ipv6",
  "arp or rarp",
  "igmp or udt",
  "man",
  "far and start",
  "stop or status",
  "proto 58",
  "ip proto 50",
  "ipv4 proto 6 or 17",
  "ether proto 0x88cc",
  "src host 10.0.1.4",
  "dst host 10.0.1.2 and not src 10.0.1.1",
  "host 10.1.0.10 or 10.1.0.12",
  "arp host 10.0.10.1",
  "dst net 10.0.0.0 mask 255.255.255.0",
  "net 10.0.0.0/33",
  "dst net 2001:db8::/32",
  "host fe80::1",
  "multicast",
  "port http",
  "tcp port 443 or 80",
  "port 20-100",
  "src port gt 1024",
  "src and dst port 53",
  "bytes gte 1000",
  "dst bytes lte 100",
  "src ttl gt 60 and dst ttl lt 60",
  "tos 0",
  "dsb 63",
  "ipid gt 100",
  "vid 4095",
  "vpri 0",
  "mid 1048575",
  "trans 1",
  "seq gt 10",
  "dur 0.00015",
  "rate gt 100",
  "dst load lt 1000",
  "src syn and dst rst",
  "synack or finack",
  "normal or est",
  "retrans or outoforder or winshut",
  "tcpopt or mss",
  "tcp and tcptimestamp",
  "echo or unreach or redirect or timexed",
  "icmpmap",
  "frag",
  "ether host 02:77:00:00:00:01",
  "ether src 2:77:0:0:0:2",
  "ether broadcast",
  "multipath",
  "not (tcp or udp)",
  "port 443 and not src net 10.1.0.0/24",
  "port (80 or 443)",
  "host not 10.1.0.10",
  "(dst port 53) or 123",
  "pkts gt (3 or 5)",
];

/** Tokens the mutators insert. */
const TOKENS = [
  " and ",
  " or ",
  " not ",
  "(",
  ")",
  " src ",
  " dst ",
  " host ",
  " net ",
  " port ",
  " proto ",
  " gt ",
  " lte ",
  " mask ",
  "/",
  "-",
  "::",
  ":",
  ".",
  "0x",
  "4294967296",
  "1e308",
  "255.255.255.255",
  "ffff::ffff:1.2.3.4",
  "ff:ff:ff:ff:ff:ff",
  " ether ",
  " ip ",
  " tcp ",
  " icmp ",
  " man ",
  " dur ",
  " load ",
  '"',
  "\\",
  "!",
  "&&",
  "||",
];

/** Subjects to run compiled predicates on, from corpus records. */
let subjects: { client: ClientFilterSubject; stored: StoredFilterSubject }[] =
  [];

async function loadSubjects(): Promise<void> {
  subjects = [];
  for (const name of ["tcp-basic", "icmp", "arp", "ipv6", "mpls", "vlan"]) {
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(`${CORPUS}expected/${name}.pcap.argus`);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) continue;
      throw e;
    }
    bytes = cutRecords(bytes, 4096);
    const n = decodeRecordBytes(bytes).records.length;
    for (let i = 0, p = 0; i < n && p + 4 <= bytes.length; i++) {
      const len = (bytes[p + 2]! << 8 | bytes[p + 3]!) * 4;
      const rec = bytes.slice(p, p + len);
      const r = new ClientRecord().load(rec, 0, rec.length);
      subjects.push({
        client: new ClientFilterSubject().load(r),
        stored: new StoredFilterSubject().loadBytes(rec, 0, rec.length),
      });
      p += len;
    }
  }
}

/** Compiles an expression and runs it on every subject. */
export function runFilter(input: Uint8Array): void {
  const text = decoder.decode(input);
  const pass = compileFilter(text, { precision: input.length % 8 });
  for (const s of subjects) {
    pass(s.client);
    pass(s.stored);
  }
}

/** Numbers that test the value parsers' limits. */
const NUMBERS = [
  "0",
  "1",
  "-1",
  "255",
  "256",
  "65535",
  "65536",
  "4294967295",
  "4294967296",
  "1.5",
  "1e3",
  "0x10",
  "9007199254740993",
];

/** An expression joined from seeds, with their numbers swapped. */
function generateFilter(rng: Prng): Uint8Array {
  const parts: string[] = [];
  const n = 1 + rng.int(4);
  for (let i = 0; i < n; i++) {
    let e = rng.pick(FILTER_SEEDS).replace(
      /\d+(\.\d+)?/g,
      (d) => rng.chance(0.3) ? rng.pick(NUMBERS) : d,
    );
    if (rng.chance(0.3)) e = `not ${e}`;
    if (rng.chance(0.4)) e = `(${e})`;
    parts.push(e);
  }
  let text = parts[0]!;
  for (let i = 1; i < parts.length; i++) {
    text += rng.pick([" and ", " or ", " && ", " || "]) + parts[i]!;
  }
  return encoder.encode(text);
}

export const filterTarget: FuzzTarget = {
  generate: generateFilter,
  name: "filter",
  description: "ra filter text -> lexer/parser/compiler -> predicate runs",
  maxSize: 2048,
  dictionary: TOKENS.map((t) => encoder.encode(t)),
  async seeds() {
    await loadSubjects();
    const out = FILTER_SEEDS.map((s) => encoder.encode(s));
    // Combinations, so that more mutants still parse and reach the
    // compiler and the predicates.
    const n = FILTER_SEEDS.length;
    for (let i = 0; i < n; i++) {
      const a = FILTER_SEEDS[i]!, b = FILTER_SEEDS[(i * 7 + 3) % n]!;
      const c = FILTER_SEEDS[(i * 13 + 5) % n]!;
      out.push(encoder.encode(`(${a}) and not (${b})`));
      out.push(encoder.encode(`${a} or (${b} and ${c})`));
    }
    return out;
  },
  run: runFilter,
  expected: (e) => e instanceof FilterSyntaxError,
};
