/**
 * The Argus 3 record codec, both directions (docs/record-format.md):
 * decoded record models (flow records with one typed object per DSR,
 * management records), a writer that lays them out byte for byte as argus
 * 3.0.8.2 does, and a chunk-safe reader for plain or gzipped streams.
 *
 * ```ts
 * import { readArgusRecords, RecordWriter } from "./mod.ts";
 * const w = new RecordWriter();
 * for await (const rec of readArgusRecords("in.argus")) w.write(rec);
 * await Deno.writeFile("copy.argus", w.bytes());
 * ```
 * @module
 */

export type { ArgusRecord, RawRecord } from "./argus_record.ts";
export {
  AddrType,
  DsrSlot,
  DsrType,
  FlowQual,
  FlowSubtype,
} from "./dsr_type.ts";
export { type FlowRecord, newFlowRecord } from "./flow_record.ts";
export { decodeMar, encodeMar, type MarRecord, newMar } from "./mar.ts";
export { RecordBuffer } from "./record_buffer.ts";
export { decodeRecord } from "./record_decoder.ts";
export { RecordFormatError } from "./record_format_error.ts";
export { RecordFramer } from "./record_framer.ts";
export {
  ARGUS_COOKIE,
  ARGUS_V2_COOKIE,
  ARGUS_VERSION,
  Cause,
  MAR_WORDS,
  RecordType,
} from "./record_header.ts";
export {
  type ByteReader,
  type DecodedBytes,
  decodeRecordBytes,
  readArgusRecords,
  type ReadOptions,
  readRecordBatches,
  readRecordFile,
  readRecords,
  type RecordSource,
  recordStream,
  type RecordVisitor,
} from "./record_reader.ts";
export { RecordEncodeStream } from "./record_encode_stream.ts";
export { RecordView } from "./record_view.ts";
export { encodeRecords, RecordWriter } from "./record_writer.ts";
export type { EncapsDsr } from "./dsr/encaps_dsr.ts";
export type {
  ArpKey,
  EtherKey,
  FlowDsr,
  FlowKey,
  Ipv4EspKey,
  Ipv4FragKey,
  Ipv4IcmpKey,
  Ipv4IgmpKey,
  Ipv4Key,
  Ipv6EspKey,
  Ipv6FragKey,
  Ipv6IcmpKey,
  Ipv6Key,
  RarpKey,
} from "./dsr/flow_dsr.ts";
export { type IcmpDsr, IcmpMapQual } from "./dsr/icmp_dsr.ts";
export { type IpAttrDsr, IpAttrQual } from "./dsr/ip_attr_dsr.ts";
export {
  type JitterDsr,
  JitterQual,
  type JitterStats,
} from "./dsr/jitter_dsr.ts";
export type { MacDsr } from "./dsr/mac_dsr.ts";
export {
  type MetricDsr,
  MetricQual,
  metricQual,
  MetricSubtype,
} from "./dsr/metric_dsr.ts";
export { type MplsDsr, MplsSubtype } from "./dsr/mpls_dsr.ts";
export {
  type ArpNetwork,
  type EmptyNetwork,
  type EspNetwork,
  type FragNetwork,
  type IcmpNetwork,
  type NetworkDsr,
  NetworkSubtype,
  type RawNetwork,
  type RtcpHeader,
  type RtcpNetwork,
  type RtpHeader,
  type RtpNetwork,
  type UdtMetrics,
  type UdtNetwork,
} from "./dsr/network_dsr.ts";
export type { PacketSizeDsr } from "./dsr/packet_size_dsr.ts";
export type { RawDsr } from "./dsr/raw_dsr.ts";
export {
  type TcpInitNetwork,
  type TcpPerfNetwork,
  type TcpSide,
  type TcpStatusNetwork,
  TcpSubtype,
} from "./dsr/tcp_network.ts";
export {
  TIME_SIDES,
  type TimeDsr,
  TimeQual,
  TimeSubtype,
} from "./dsr/time_dsr.ts";
export {
  SrcIdType,
  type TransportDsr,
  TransportSubtype,
} from "./dsr/transport_dsr.ts";
export { type UserDataDsr, UserDataSubtype } from "./dsr/user_data_dsr.ts";
export { type VlanDsr, VlanQual } from "./dsr/vlan_dsr.ts";
