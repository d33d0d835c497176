/**
 * FlowRecord: one decoded Argus 3 flow record (FAR, or another non-MAR
 * type with the same DSR framing): header fields plus one slot per DSR
 * argus writes, in argus's slot order (docs/record-format.md §3). The
 * sensor builds one per emitted record; clients read them. DSRs the codec
 * does not model stay in `extra` as raw bytes.
 * @module
 */

import { Cause, RecordType } from "./record_header.ts";
import type { EncapsDsr } from "./dsr/encaps_dsr.ts";
import type { FlowDsr } from "./dsr/flow_dsr.ts";
import type { IcmpDsr } from "./dsr/icmp_dsr.ts";
import type { IpAttrDsr } from "./dsr/ip_attr_dsr.ts";
import type { JitterDsr } from "./dsr/jitter_dsr.ts";
import type { MacDsr } from "./dsr/mac_dsr.ts";
import type { MetricDsr } from "./dsr/metric_dsr.ts";
import type { MplsDsr } from "./dsr/mpls_dsr.ts";
import type { NetworkDsr } from "./dsr/network_dsr.ts";
import type { PacketSizeDsr } from "./dsr/packet_size_dsr.ts";
import type { RawDsr } from "./dsr/raw_dsr.ts";
import type { TimeDsr } from "./dsr/time_dsr.ts";
import type { TransportDsr } from "./dsr/transport_dsr.ts";
import type { UserDataDsr } from "./dsr/user_data_dsr.ts";
import type { VlanDsr } from "./dsr/vlan_dsr.ts";

/** A flow record; null slots are DSRs the record does not carry. */
export interface FlowRecord {
  kind: "flow";
  /** Header type (high nibble of byte 0): RecordType.FAR for flows. */
  type: number;
  /** Header cause (high nibble of byte 1): Cause.START, STATUS, STOP... */
  cause: number;
  /** Low nibble of byte 1 (0 from argus). */
  options: number;
  transport: TransportDsr | null;
  flow: FlowDsr | null;
  time: TimeDsr | null;
  metric: MetricDsr | null;
  network: NetworkDsr | null;
  vlan: VlanDsr | null;
  mpls: MplsDsr | null;
  jitter: JitterDsr | null;
  ipAttr: IpAttrDsr | null;
  /** Written only when a side has a maximum size (as argus does). */
  packetSize: PacketSizeDsr | null;
  srcUserData: UserDataDsr | null;
  dstUserData: UserDataDsr | null;
  mac: MacDsr | null;
  icmp: IcmpDsr | null;
  encaps: EncapsDsr | null;
  /** Unmodelled DSRs, in increasing `index` order. */
  extra: RawDsr[];
}

/** An empty FAR with the given cause; fill the slots it should carry. */
export function newFlowRecord(cause: number = Cause.START): FlowRecord {
  return {
    kind: "flow",
    type: RecordType.FAR,
    cause,
    options: 0,
    transport: null,
    flow: null,
    time: null,
    metric: null,
    network: null,
    vlan: null,
    mpls: null,
    jitter: null,
    ipAttr: null,
    packetSize: null,
    srcUserData: null,
    dstUserData: null,
    mac: null,
    icmp: null,
    encaps: null,
    extra: [],
  };
}
