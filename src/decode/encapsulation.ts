/**
 * Encapsulation bits and network-type codes the decoders record for each
 * packet, with the values argus stores in the encaps DSR (argus 3.0.8
 * `argus_encapsulations.h`) and uses as its "network flow type".
 * @module
 */

/** Encapsulation bits, as stored in the encaps DSR's src/dst words. */
export const Encaps = {
  MPLS: 0x01,
  ETHER: 0x02,
  VLAN_8021Q: 0x04,
  LLC: 0x08,
  PPP: 0x10,
  ISL: 0x20,
  GRE: 0x40,
  AH: 0x80,
  IP: 0x100,
  IPV6: 0x200,
  SLL: 0x2000,
} as const;

/** Ethertypes and argus's pseudo network types (ArgusModeler.h). */
export const NetType = {
  /** Walk an Ethernet header next. */
  ETHER_HDR: 1,
  IPX_TAG: 100,
  CLNS: 129,
  ESIS: 130,
  ISIS: 131,
  NULLNS: 132,
  PPP_IP: 0x21,
  PPP_IPV6: 0x57,
  IP: 0x0800,
  ARP: 0x0806,
  REVARP: 0x8035,
  VLAN_8021Q: 0x8100,
  IPV6: 0x86dd,
  PPP: 0x880b,
  MPLS: 0x8847,
  MPLS_MULTI: 0x8848,
  PPPOE_DISC: 0x8863,
  PPPOE_SESS: 0x8864,
  TRANS_BRIDGE: 0x6558,
  UDTOE: 0xbeef,
} as const;

/** The largest 802.3 length field: anything above is an ethertype. */
export const ETHERMTU = 1500;
