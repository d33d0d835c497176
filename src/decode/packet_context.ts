/**
 * The per-packet decode state: one preallocated object the link and
 * network decoders fill in place and the flow engine reads. It mirrors the
 * "this packet" fields of argus's modeler (header offsets, remaining
 * lengths, encapsulations, VLAN/MPLS tags) as plain numbers.
 * @module
 */

/** Decode state for the packet being processed; reused for every packet. */
export class PacketContext {
  /** Buffer holding the packet; offsets below are absolute indexes into it. */
  data: Uint8Array = new Uint8Array(0);
  /** One past the last captured byte (start + caplen). */
  snapEnd = 0;
  /** Timestamp of the packet: whole seconds and microseconds. */
  sec = 0;
  usec = 0;
  /** Bytes charged to the flow's byte counters (argus ArgusThisBytes). */
  bytes = 0;
  /** Bytes left from the current header to the end of the wire packet. */
  length = 0;
  /** Offset of the header the decoder is looking at (argus ArgusThisUpHdr). */
  up = 0;
  /** Offset of the IP header, or -1 when the packet has none. */
  ip = -1;
  /** Whether the packet has an Ethernet (or synthesised) header. */
  hasEther = false;
  /**
   * Where that header is in `data`, or -1 once `ether` holds it (a cooked
   * capture's pseudo header, or a copy made on demand by etherBytes()).
   * Most packets never need the copy: only the type is read.
   */
  etherAt = -1;
  /** The Ethernet header: dst MAC, src MAC, type (cooked captures build one). */
  readonly ether: Uint8Array = new Uint8Array(14);
  /** Offset of the first byte after the Ethernet header. */
  etherEnd = 0;
  /** Network type code (an ethertype or an argus pseudo type). */
  netType = 0;
  /** Encapsulation bits seen on the way down. */
  encaps = 0;
  /** The last 802.1Q tag control word. */
  vlanTag = 0;
  /** The first MPLS label stack entry and how many were seen. */
  mplsLabel = 0;
  mplsLabelCount = 0;
  /** The 802.2 LLC header fields, valid when encaps has LLC. */
  llcDsap = 0;
  llcSsap = 0;
  llcControl = 0;
  /** IPv4 options summary bits (argus ArgusOptionIndicator). */
  ipOptions = 0;
  /** Offset of the IPv6 fragment extension header, or -1. */
  ipv6Frag = -1;
  /**
   * How much argus's remaining snap length (ArgusSnapLength, which bounds
   * -U data) falls short of `snapEnd - up`: 14 in cooked captures (it
   * takes the pseudo Ethernet header off a length that never had it),
   * 4 more for ARP under a VLAN tag (its ARP pointer ignores the tag).
   */
  snapDeficit = 0;

  /** Resets the fields every packet starts from. */
  begin(
    data: Uint8Array,
    start: number,
    caplen: number,
    wirelen: number,
  ): void {
    this.data = data;
    this.snapEnd = start + caplen;
    this.length = wirelen;
    this.bytes = wirelen;
    this.up = start;
    this.ip = -1;
    this.hasEther = false;
    this.etherAt = -1;
    this.netType = 0;
    this.encaps = 0;
    this.vlanTag = 0;
    this.mplsLabel = 0;
    this.mplsLabelCount = 0;
    this.ipOptions = 0;
    this.ipv6Frag = -1;
    this.snapDeficit = 0;
  }

  /** The Ethernet header's bytes (copied out of the packet on first use). */
  etherBytes(): Uint8Array {
    const at = this.etherAt;
    if (at >= 0) {
      const e = this.ether, d = this.data;
      for (let i = 0; i < 14; i++) e[i] = d[at + i]!;
      this.etherAt = -1;
    }
    return this.ether;
  }

  /** Byte `i` of the Ethernet header, without copying it. */
  etherByte(i: number): number {
    const at = this.etherAt;
    return at >= 0 ? this.data[at + i]! : this.ether[i]!;
  }

  /** Whether `n` bytes from `offset` were captured. */
  captured(offset: number, n: number): boolean {
    return offset >= 0 && offset + n <= this.snapEnd;
  }

  // Reads past the captured bytes give 0: argus reads stale buffer bytes
  // there, which is not worth copying (see the differential test's list).

  /** One byte at an absolute offset; 0 past the captured end. */
  u8(offset: number): number {
    return offset < this.snapEnd ? this.data[offset] ?? 0 : 0;
  }

  /** Big-endian 16-bit field at an absolute offset; 0s past the end. */
  u16(offset: number): number {
    return (this.u8(offset) << 8) | this.u8(offset + 1);
  }

  /** Big-endian 32-bit field at an absolute offset; 0s past the end. */
  u32(offset: number): number {
    return ((this.u8(offset) << 24) | (this.u8(offset + 1) << 16) |
      (this.u8(offset + 2) << 8) | this.u8(offset + 3)) >>> 0;
  }
}
