/**
 * NetFlow export packets in captures as Argus records (argus -r cisco:).
 * @module
 */

export { ciscoInput, CiscoRecords, type PacketsView } from "./cisco_records.ts";
export { appendV5Records, type Exporter, tcpStatus } from "./netflow_v5.ts";
