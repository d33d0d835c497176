/**
 * Link-layer header types, the one table: the LINKTYPE_ value savefiles
 * carry (and our batches), libpcap's name and description for it, and the
 * Linux DLT_ value libpcap's API uses instead (they differ for a few, e.g.
 * LINKTYPE_RAW 101 is DLT_RAW 12). Mirrors libpcap 1.10's linktype map.
 * @module
 */

/** The link types the decoders and tests name. */
export const LinkType = {
  NULL: 0,
  EN10MB: 1,
  /** DLT_RAW as some systems wrote it into savefiles. */
  RAW_DLT: 12,
  /** OpenBSD's DLT_RAW, also found in savefiles. */
  RAW_OPENBSD: 14,
  PPP: 9,
  PPP_SERIAL: 50,
  PPP_ETHER: 51,
  RAW: 101,
  C_HDLC: 104,
  IEEE802_11: 105,
  LOOP: 108,
  LINUX_SLL: 113,
  PFLOG: 117,
  IEEE802_11_RADIO: 127,
  MPLS: 219,
  IPV4: 228,
  IPV6: 229,
  NFLOG: 239,
  LINUX_SLL2: 276,
} as const;

/** One row of the table. */
export interface LinkTypeInfo {
  /** LINKTYPE_ value (savefiles, batches). */
  readonly linkType: number;
  /** libpcap's name, without the DLT_ prefix. */
  readonly name: string;
  /** libpcap's description. */
  readonly description: string;
  /** DLT_ value on Linux (pcap_open_dead, pcap_datalink). */
  readonly dlt: number;
}

// [LINKTYPE, name, description, Linux DLT when different]
const ROWS: readonly (readonly [number, string, string, number?])[] = [
  [0, "NULL", "BSD loopback"],
  [1, "EN10MB", "Ethernet"],
  [6, "IEEE802", "Token ring"],
  [7, "ARCNET", "BSD ARCNET"],
  [8, "SLIP", "SLIP"],
  [9, "PPP", "PPP"],
  [10, "FDDI", "FDDI"],
  [12, "RAW", "Raw IP"],
  [14, "RAW", "Raw IP (OpenBSD)"],
  [50, "PPP_SERIAL", "PPP over serial"],
  [51, "PPP_ETHER", "PPPoE"],
  [99, "SYMANTEC_FIREWALL", "Symantec Firewall"],
  [100, "ATM_RFC1483", "RFC 1483 LLC-encapsulated ATM", 11],
  [101, "RAW", "Raw IP", 12],
  [102, "SLIP_BSDOS", "BSD/OS SLIP", 15],
  [103, "PPP_BSDOS", "BSD/OS PPP", 16],
  [104, "C_HDLC", "Cisco HDLC"],
  [105, "IEEE802_11", "802.11"],
  [106, "ATM_CLIP", "Linux Classical IP over ATM", 19],
  [107, "FRELAY", "Frame Relay"],
  [108, "LOOP", "OpenBSD loopback"],
  [109, "ENC", "OpenBSD encapsulated IP"],
  [113, "LINUX_SLL", "Linux cooked v1"],
  [114, "LTALK", "Localtalk"],
  [117, "PFLOG", "OpenBSD pflog file"],
  [119, "PRISM_HEADER", "802.11 plus Prism header"],
  [122, "IP_OVER_FC", "RFC 2625 IP-over-Fibre Channel"],
  [123, "SUNATM", "Sun raw ATM"],
  [127, "IEEE802_11_RADIO", "802.11 plus radiotap header"],
  [129, "ARCNET_LINUX", "Linux ARCNET"],
  [138, "APPLE_IP_OVER_IEEE1394", "Apple IP-over-IEEE 1394"],
  [140, "MTP2", "SS7 MTP2"],
  [144, "LINUX_IRDA", "Linux IrDA"],
  [163, "IEEE802_11_RADIO_AVS", "802.11 plus AVS radio information header"],
  [166, "PPP_PPPD", "PPP for pppd, with direction flag"],
  [169, "GPRS_LLC", "GPRS LLC"],
  [177, "LINUX_LAPD", "Linux vISDN LAPD"],
  [187, "BLUETOOTH_HCI_H4", "Bluetooth HCI UART transport layer"],
  [189, "USB_LINUX", "USB with Linux header"],
  [192, "PPI", "Per-Packet Information"],
  [195, "IEEE802_15_4", "IEEE 802.15.4 with FCS"],
  [197, "ERF", "Endace ERF header"],
  [219, "MPLS", "MPLS with label as link-layer header"],
  [220, "USB_LINUX_MMAPPED", "USB with padded Linux header"],
  [227, "CAN_SOCKETCAN", "CAN-bus with SocketCAN headers"],
  [228, "IPV4", "Raw IPv4"],
  [229, "IPV6", "Raw IPv6"],
  [231, "DBUS", "D-Bus"],
  [239, "NFLOG", "Linux netfilter log messages"],
  [242, "IPOIB", "RFC 4391 IP-over-Infiniband"],
  [246, "PFSYNC", "Packet filter state syncing"],
  [249, "USBPCAP", "USB with USBPcap header"],
  [253, "NETLINK", "Linux netlink"],
  [258, "PKTAP", "Apple DLT_PKTAP"],
  [276, "LINUX_SLL2", "Linux cooked v2"],
  [279, "EBHSCR", "Elektrobit High Speed Capture and Replay (EBHSCR)"],
];

/** Every known link type, by LINKTYPE_ value. */
export const LINK_TYPES: ReadonlyMap<number, LinkTypeInfo> = new Map(
  ROWS.map(([linkType, name, description, dlt]) => [
    linkType,
    { linkType, name, description, dlt: dlt ?? linkType },
  ]),
);

const FROM_DLT: ReadonlyMap<number, number> = new Map(
  ROWS.filter((r) => r[3] !== undefined).map((r) => [r[3]!, r[0]]),
);

/** libpcap's name for a LINKTYPE_ value, or "LINKTYPE_<n>" when unknown. */
export function linkTypeName(linkType: number): string {
  return LINK_TYPES.get(linkType)?.name ?? `LINKTYPE_${linkType}`;
}

/**
 * The DLT_ value libpcap uses for a savefile's LINKTYPE_ value
 * (libpcap's linktype_to_dlt on Linux): what pcap_open_dead needs.
 */
export function dltFromLinkType(linkType: number): number {
  return LINK_TYPES.get(linkType)?.dlt ?? linkType;
}

/** The LINKTYPE_ value for a DLT_ value from pcap_datalink (live capture). */
export function linkTypeFromDlt(dlt: number): number {
  return FROM_DLT.get(dlt) ?? dlt;
}

/** The largest snapshot libpcap accepts for any link type (MAXIMUM_SNAPLEN). */
export const MAX_SNAPLEN = 262144;

/**
 * libpcap's max_snaplen_for_dlt: larger packets make a savefile damaged.
 * D-Bus 128 MiB, EBHSCR 8 MiB, USBPcap 1 MiB, every other type 256 KiB.
 */
export function maxSnaplenForLinkType(linkType: number): number {
  switch (linkType) {
    case 231:
      return 128 * 1024 * 1024;
    case 279:
      return 8 * 1024 * 1024;
    case 249:
      return 1024 * 1024;
    default:
      return MAX_SNAPLEN;
  }
}

/**
 * libpcap's pcap_adjust_snapshot: a savefile snaplen of 0 or above INT_MAX
 * means "the maximum for the link type".
 */
export function adjustSnaplen(linkType: number, snaplen: number): number {
  return snaplen === 0 || snaplen > 0x7fffffff
    ? maxSnaplenForLinkType(linkType)
    : snaplen;
}
