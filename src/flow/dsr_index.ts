/**
 * The slots of argus's canonical flow record (ARGUS_*_INDEX in argus_def.h):
 * a flow's DSRs are kept and written in this order, and a bit per slot
 * says which are present.
 * @module
 */

/** DSR slot numbers, in record order. */
export const DsrIndex = {
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

/** Bit of a slot in a flow's `dsrs` mask. */
export function dsrBit(index: number): number {
  return 1 << index;
}
