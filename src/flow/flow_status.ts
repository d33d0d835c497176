/**
 * Status values argus keeps per flow and writes in record headers and DSRs
 * (argus_def.h, ArgusModeler.h): record causes, TCP status bits, flow-key
 * qualifiers. Values are argus's own, verified against real records.
 * @module
 */

/** Record cause (header `cause` high nibble) and flow status. */
export const Cause = {
  START: 0x10,
  STATUS: 0x20,
  STOP: 0x30,
  TIMEOUT: 0x40,
  SHUTDOWN: 0x60,
  CLOSED: 0x70,
  ERROR: 0x80,
} as const;

/** The flow's last record was handed to output (ArgusModeler.h). */
export const RECORD_WRITTEN = 0x1;

/** Flow DSR qualifier and subtype bits. */
export const FlowQual = {
  IPV4: 0x01,
  IPV6: 0x02,
  ETHER: 0x03,
  ARP: 0x04,
  RARP: 0x05,
  ISIS: 0x0a,
  /** The packet that created the key ran from the key's dst to its src. */
  DIRECTION: 0x20,
  FRAGMENT: 0x80,
} as const;

export const FlowSubtype = {
  CLASSIC5TUPLE: 0x01,
  ARP: 0x06,
  REVERSE: 0x40,
} as const;

/** TCP connection status bits (ArgusTCPObject.status and per side). */
export const TcpStatus = {
  SAW_SYN: 0x1,
  SAW_SYN_SENT: 0x2,
  CON_ESTABLISHED: 0x4,
  FIN: 0x8,
  FIN_ACK: 0x10,
  NORMAL_CLOSE: 0x20,
  PKTS_RETRANS: 0x300,
  SRC_PKTS_RETRANS: 0x100,
  DST_PKTS_RETRANS: 0x200,
  WINDOW_SHUT: 0xc00,
  SRC_WINDOW_SHUT: 0x400,
  DST_WINDOW_SHUT: 0x800,
  RESET: 0x3000,
  SRC_RESET: 0x1000,
  DST_RESET: 0x2000,
  ECN_CONGESTED: 0xc000,
  SRC_CONGESTED: 0x4000,
  DST_CONGESTED: 0x8000,
  OUTOFORDER: 0x30000,
  SRC_OUTOFORDER: 0x10000,
  DST_OUTOFORDER: 0x20000,
  DUPLICATES: 0xc0000,
  SRC_DUPLICATES: 0x40000,
  DST_DUPLICATES: 0x80000,
} as const;

/** TCP option bits (ArgusTCPObject.options). */
export const TcpOption = {
  MAXSEG: 0x00100000,
  WSCALE: 0x00200000,
  SACKOK: 0x00400000,
  SACK: 0x00800000,
  ECHO: 0x01000000,
  ECHOREPLY: 0x02000000,
  TIMESTAMP: 0x04000000,
  CC: 0x08000000,
  CCNEW: 0x10000000,
  CCECHO: 0x20000000,
  SRC_ECN: 0x40000000,
  DST_ECN: 0x80000000,
} as const;

/** BSD TCP states argus uses (netinet/tcp_fsm.h). */
export const TcpState = {
  CLOSED: 0,
  LISTEN: 1,
  SYN_SENT: 2,
  SYN_RECEIVED: 3,
  ESTABLISHED: 4,
  CLOSE_WAIT: 5,
  FIN_WAIT_1: 6,
  CLOSING: 7,
  LAST_ACK: 8,
  FIN_WAIT_2: 9,
  TIME_WAIT: 10,
} as const;

/** Default idle timeouts in seconds (ArgusModeler.h). */
export const Timeout = {
  IP: 30,
  ARP: 5,
  TCP: 60,
  ICMP: 5,
  IGMP: 30,
  OTHER: 30,
  FRAG: 5,
  /** TCP after a normal close or reset. */
  TCP_CLOSED: 10,
} as const;
