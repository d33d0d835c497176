/**
 * FilterSubject: what a compiled filter reads from one record. Plain
 * numbers only, so evaluating a filter allocates nothing; the record
 * decoder (or the sensor, for `argus -w file "filter"`) implements it over
 * its own record, typically one reused object per stream.
 *
 * The values are those of ra's in-memory record (argus_filter.c reads the
 * canonical DSRs), where a missing DSR, or a field past the end of a short
 * one, loads as -1. That matters: every comparison with -1 is false,
 * `lt`/`lte` are ra's negated `gte`/`gt` (so they are true), and a masked
 * test sees the mask itself (`vid 4095` matches records without a VLAN
 * DSR, `syn` a TCP record without TCP flags). So give -1 exactly where ra
 * has no value; each member says when.
 *
 * Direction, checked on tcp-basic.pcap.argus, whose flows 3 and 4 are
 * stored with their keys reversed (flow DSR subtype bit 0x40):
 * - ra* clients filter the record after ra has turned the key back and
 *   made its corrections (ArgusGenerateRecordStruct and
 *   ArgusProcessDirection run before ArgusFilterRecord): `src` is the side
 *   ra prints as SrcAddr/Sport, every s and d value is the one printed
 *   under that name. `ra - src host 10.0.1.4` prints 10.0.1.4.40003 ->
 *   10.0.1.2.80.
 * - the sensor (`argus -w file "filter"`) filters the record as it writes
 *   it, key as stored: `argus -w f "src host 10.0.1.4"` drops that flow and
 *   `"dst host 10.0.1.4"` or `"src port 80"` keep it. There `dur` is 0
 *   (`"dur gt 1"` keeps no flow of tcp-long.pcap) and `trans` is -1
 *   (`"trans 1"` keeps none).
 * @module
 */

/** One record, as the filter sees it. */
export interface FilterSubject {
  // ---- record header

  /**
   * Record type, the header type byte's high nibble: 0x10 flow (FAR),
   * 0x80 management (MAR), 0x40 event, 0x20 index, 0x30 netflow.
   * `man`, `far`, `event`, `index` test its bits (so netflow is both `far`
   * and `index`, as in ra).
   */
  readonly type: number;
  /**
   * Header cause byte: 0x10 start, 0x20 status, 0x30 stop, 0x40 timeout,
   * 0x60 shutdown, 0x80 error (ra sets error on records of more than
   * 1000 packets in no time). `start`, `stop`, `status`, `timeout` test bits.
   */
  readonly cause: number;
  /**
   * Probe id as an unsigned number (1.2.3.4 = 0x01020304): the transport
   * DSR's srcid for flow and event records; -1 without one. For management
   * records ra reads something that never matched a srcid in the corpus
   * (not the printed 0.0.0.0): give -1.
   */
  readonly srcid: number;
  /** Transport DSR sequence number (unsigned); -1 without a transport DSR. */
  readonly seq: number;

  // ---- flow key (flow DSR)

  /**
   * Key address type, flow DSR qualifier & 0x1f: 1 IPv4, 2 IPv6, 3
   * Ethernet, 4 ARP, 5 RARP, 10 IS-IS; -1 when there is no flow DSR
   * (management records). Every address, port and protocol test starts here.
   */
  readonly addrType: number;
  /**
   * Flow DSR subtype & 0x3f (0x01 classic 5-tuple, 0x06 ARP); -1 without
   * a flow DSR. `arp` is ra's `subtype & 6 == 6` on a flow record.
   */
  readonly flowSubtype: number;
  /** IP protocol (IPv4 `ip_p` / IPv6 next header) of IP keys; else any. */
  readonly proto: number;
  /**
   * Source address of IPv4 keys as an unsigned number (10.0.0.1 =
   * 0x0a000001); for ARP keys (addrType 4) the sender protocol address
   * (arp_spa), which ra prints as SrcAddr. Read only for those two types.
   */
  readonly srcAddr: number;
  /** Destination address: IPv4 `ip_dst`, or the ARP target (arp_tpa). */
  readonly dstAddr: number;
  /** IPv6 source address as four big-endian words (2001:db8:: = 0x20010db8, 0, 0, 0). */
  readonly srcAddr6: Uint32Array;
  /** IPv6 destination address, four big-endian words. */
  readonly dstAddr6: Uint32Array;
  /**
   * TCP/UDP source port as printed. Read only when `proto` is 6 or 17; for
   * fragment keys (flow qualifier bit 0x80) ra reads the key's two 16-bit
   * words at the port positions, so give those.
   */
  readonly sport: number;
  /** TCP/UDP destination port. */
  readonly dport: number;
  /** Ethernet type of Ethernet keys (addrType 3), e.g. 0x88cc; else any. */
  readonly etherType: number;
  /** IGMP message type of IPv4 IGMP keys (key byte 14); -1 otherwise. */
  readonly igmpType: number;

  // ---- metrics (metric DSR, agr DSR, and ra's derived values)

  /** Packets from src; -1 without a metric DSR. */
  readonly spkts: number;
  /** Packets from dst; -1 without a metric DSR. */
  readonly dpkts: number;
  /** Bytes from src; -1 without a metric DSR. */
  readonly sbytes: number;
  /** Bytes from dst; -1 without a metric DSR. */
  readonly dbytes: number;
  /** Application bytes from src; -1 without a metric DSR. */
  readonly sappbytes: number;
  /** Application bytes from dst; -1 without a metric DSR. */
  readonly dappbytes: number;
  /** Aggregation count (`trans`, 1 for plain records); -1 without an agr DSR. */
  readonly trans: number;
  /**
   * Duration in seconds as ra prints it (`dur`); the filter rounds it to
   * float32, as ra stores it. 0 for a MAR (ra prints a MAR's duration from
   * its times, but filters on 0) and in the sensor.
   */
  readonly dur: number;
  /** Source packets per second as ra prints `srate`; 0 for a MAR. */
  readonly srate: number;
  /** Destination packets per second (`drate`). */
  readonly drate: number;
  /** Source bits per second (`sload`). */
  readonly sload: number;
  /** Destination bits per second (`dload`). */
  readonly dload: number;

  // ---- network DSR (TCP, ESP, ICMP, RTP, UDT objects)

  /**
   * Network DSR subtype (0 header only, 3-5 TCP, 9 RTCP, 10 RTP, 13 UDT,
   * 0x34 ICMP); -1 without one, and for an RTP/RTCP object ra drops (a flow
   * ra does not print as rtp/rtcp). argus writes a header-only (4-byte)
   * network DSR for UDP and many other flows: every field below is then -1.
   */
  readonly netSubtype: number;
  /**
   * Status word of a TCP or ESP network object (ARGUS_SAW_SYN 0x1 ...
   * ARGUS_DST_OUTOFORDER 0x20000; ESP drops 0x10/0x20); -1 without a
   * network object (no DSR or a header-only one).
   */
  readonly netStatus: number;
  /**
   * TCP option bits of a TCP network object (ARGUS_TCP_MAXSEG 0x100000
   * ... ARGUS_TCP_DST_ECN 0x80000000). ra tests this word for any IPv4
   * record whatever object the DSR holds, so for other objects give the
   * big-endian word at byte 12 of the network DSR as stored (an ICMP
   * object's address there can make `mss` true: snaplen-96 shows one);
   * -1 when the DSR is absent or shorter than 16 bytes.
   */
  readonly tcpOptions: number;
  /**
   * Union of TCP flags sent by src (TCP object `src.flags`, TH_FIN 0x01
   * ... TH_CWR 0x80); -1 without a TCP network object. ra widens a
   * TCP_INIT object to the full one, so it has flags too.
   */
  readonly srcTcpFlags: number;
  /** Union of TCP flags sent by dst; -1 as for `srcTcpFlags`. */
  readonly dstTcpFlags: number;
  /**
   * ICMP type in the network DSR's ICMP object (`echo`, `unreach` and
   * `timexed` read it, not the key); -1 without one (truncated ICMP
   * packets give a header-only network DSR).
   */
  readonly icmpType: number;

  // ---- attribute DSRs

  /**
   * IP attribute DSR qualifier (0x10 src fragments, 0x20 dst fragments
   * seen); -1 without the DSR.
   */
  readonly ipAttrQual: number;
  /**
   * Source TTL; -1 without an IP attribute DSR. A side the DSR does not
   * carry reads 0, not -1 (`dst ttl 0` matches one-way flows in ra).
   */
  readonly sttl: number;
  /** Destination TTL; 0 for a side not carried, -1 without the DSR. */
  readonly dttl: number;
  /** Source TOS byte; 0 for a side not carried, -1 without the DSR. */
  readonly stos: number;
  /** Destination TOS byte; 0 / -1 as for the TTLs. */
  readonly dtos: number;
  /** Source IP id; 0 / -1 as for the TTLs. */
  readonly sipid: number;
  /** Destination IP id; 0 / -1 as for the TTLs. */
  readonly dipid: number;
  /**
   * Source 802.1Q tag control (priority << 13 | cfi << 12 | vid) as the
   * VLAN DSR stores it (0 for a side argus did not see); -1 without a
   * VLAN DSR. `vlan` tests its presence.
   */
  readonly svlan: number;
  /** Destination 802.1Q tag control; -1 without a VLAN DSR. */
  readonly dvlan: number;
  /**
   * Source MPLS label stack entry (label << 12 | exp << 9 | s << 8 | ttl);
   * -1 without an MPLS DSR, and (unlike VLAN) for a side the DSR does not
   * carry: `mid 1048575` matches a one-way MPLS flow in ra. `mpls` is
   * true when either side is not -1.
   */
  readonly smpls: number;
  /** Destination MPLS label stack entry; -1 when not carried. */
  readonly dmpls: number;
  /** MAC DSR qualifier (0x1 src, 0x2 dst multipath); -1 without a MAC DSR. */
  readonly macQual: number;
  /** Source MAC, first two bytes (0x0200 for 02:00:...); -1 without a MAC DSR. */
  readonly smacHi: number;
  /** Source MAC, last four bytes as an unsigned number; -1 without a MAC DSR. */
  readonly smacLo: number;
  /** Destination MAC, first two bytes; -1 without a MAC DSR. */
  readonly dmacHi: number;
  /** Destination MAC, last four bytes; -1 without a MAC DSR. */
  readonly dmacLo: number;
  /**
   * ICMP DSR qualifier (mapped ICMP events: 0x1 unreachable, 0x2 redirect,
   * 0x4 time exceeded); -1 without an ICMP DSR.
   */
  readonly icmpMapQual: number;
  /** ICMP DSR `icmp_type`; -1 without an ICMP DSR. */
  readonly icmpMapType: number;
}
