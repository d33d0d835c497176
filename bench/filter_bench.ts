/**
 * Compiled filters over 100,000 synthetic flow records (one class, as a
 * record decoder would reuse): records per second for typical ra
 * expressions, and the one-off cost of compiling.
 * @module
 */

import { compileFilter, type FilterSubject } from "../src/filter/mod.ts";

/** A flow record with every field a plain number, like a decoder's view. */
class Flow implements FilterSubject {
  type = 0x10;
  cause = 0x10;
  srcid = 0;
  seq = 0;
  addrType = 1;
  flowSubtype = 1;
  proto = 6;
  srcAddr = 0;
  dstAddr = 0;
  srcAddr6 = new Uint32Array(4);
  dstAddr6 = new Uint32Array(4);
  sport = 0;
  dport = 0;
  etherType = -1;
  igmpType = -1;
  spkts = 0;
  dpkts = 0;
  sbytes = 0;
  dbytes = 0;
  sappbytes = 0;
  dappbytes = 0;
  trans = 1;
  dur = 0;
  srate = 0;
  drate = 0;
  sload = 0;
  dload = 0;
  netSubtype = 4;
  netStatus = 0;
  tcpOptions = 0;
  srcTcpFlags = 0;
  dstTcpFlags = 0;
  icmpType = -1;
  ipAttrQual = 0;
  sttl = 64;
  dttl = 57;
  stos = 0;
  dtos = 0;
  sipid = 0;
  dipid = 0;
  svlan = -1;
  dvlan = -1;
  smpls = -1;
  dmpls = -1;
  macQual = -1;
  smacHi = -1;
  smacLo = -1;
  dmacHi = -1;
  dmacLo = -1;
  icmpMapQual = -1;
  icmpMapType = -1;
}

const N = 100_000;
const PROTOS = [6, 6, 6, 17, 17, 1];
const PORTS = [80, 443, 53, 22, 123, 8080];
let seed = 7;
function rand(n: number): number {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return (seed >>> 8) % n;
}
const records: Flow[] = [];
for (let i = 0; i < N; i++) {
  const r = new Flow();
  r.proto = PROTOS[rand(PROTOS.length)]!;
  r.srcAddr = (0x0a010000 | rand(256)) >>> 0;
  r.dstAddr = (0xc0a80000 | rand(65536)) >>> 0;
  r.sport = 1024 + rand(60000);
  r.dport = PORTS[rand(PORTS.length)]!;
  r.spkts = 1 + rand(20);
  r.dpkts = rand(20);
  r.sbytes = r.spkts * 100;
  r.dbytes = r.dpkts * 400;
  r.dur = rand(5000) / 1000;
  r.srcTcpFlags = r.proto === 6 ? 0x12 : -1;
  r.dstTcpFlags = r.proto === 6 ? 0x12 : -1;
  records.push(r);
}

const EXPRESSIONS = [
  "tcp",
  "udp and dst port 53",
  "not icmp",
  "src net 10.0.0.0/8",
  "pkts gt 3",
  "tcp and (port 80 or 443) and not src net 10.1.0.0/24",
  "host 10.1.0.10 or 10.1.0.12 or 10.1.0.14",
  "syn and dur gt 1.5",
];

for (const expr of EXPRESSIONS) {
  const pass = compileFilter(expr);
  Deno.bench({
    name: `${expr} (${N} records)`,
    group: "filter",
    baseline: expr === "tcp",
    fn() {
      let n = 0;
      for (let i = 0; i < records.length; i++) if (pass(records[i]!)) n++;
      if (n < 0) throw new Error("unreachable");
    },
  });
}

Deno.bench({
  name: "compile tcp and (port 80 or 443) and not src net 10.1.0.0/24",
  group: "compile",
  fn() {
    compileFilter("tcp and (port 80 or 443) and not src net 10.1.0.0/24");
  },
});
