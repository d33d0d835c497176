/**
 * DSR numbering in Argus 3 flow records: the type byte of each Data
 * Specific Record, the address types of flow keys, and the slot order
 * argus writes DSRs in (docs/record-format.md §3, argus_def.h values).
 * @module
 */

/** DSR type bytes (`type & 0x7f`). */
export const DsrType = {
  TRANSPORT: 0x01,
  FLOW: 0x02,
  TIME: 0x03,
  METER: 0x10,
  PSIZE: 0x12,
  ENCAPS: 0x20,
  NETWORK: 0x30,
  ASN: 0x32,
  ICMP: 0x34,
  VLAN: 0x40,
  MAC: 0x42,
  MPLS: 0x44,
  JITTER: 0x46,
  HISTO: 0x47,
  IPATTR: 0x48,
  DATA: 0x50,
  BEHAVIOR: 0x54,
  AGR: 0x60,
  COR: 0x62,
  COCODE: 0x64,
  LABEL: 0x66,
} as const;

/** Flow-key address types (flow DSR qualifier, low 5 bits). */
export const AddrType = {
  IPV4: 1,
  IPV6: 2,
  ETHER: 3,
  ARP: 4,
  RARP: 5,
} as const;

/** Flow DSR subtype values and bits. */
export const FlowSubtype = {
  CLASSIC5TUPLE: 0x01,
  ARP: 0x06,
  /** The key is stored turned round from the flow's first packet. */
  REVERSE: 0x40,
} as const;

/** Flow DSR qualifier bits above the address type. */
export const FlowQual = {
  /** The packet that made the key ran from the key's dst to its src. */
  DIRECTION: 0x20,
  /** The key was built from a non-first IP fragment. */
  FRAGMENT: 0x80,
} as const;

/**
 * Slots of argus's canonical record (ARGUS_*_INDEX): argus writes a
 * record's DSRs in this order, each at most once.
 */
export const DsrSlot = {
  TRANSPORT: 0,
  FLOW: 1,
  TIME: 2,
  METRIC: 3,
  AGR: 4,
  NETWORK: 5,
  VLAN: 6,
  MPLS: 7,
  JITTER: 8,
  IPATTR: 9,
  PSIZE: 10,
  SRCUSERDATA: 11,
  DSTUSERDATA: 12,
  MAC: 13,
  ICMP: 14,
  ENCAPS: 15,
} as const;
