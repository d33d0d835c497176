/**
 * NetFlow export packets in captures as Argus records (argus -r cisco:),
 * and NetFlow datagrams as a client's records (ra -S cisco://).
 * @module
 */

export { ciscoInput, CiscoRecords, type PacketsView } from "./cisco_records.ts";
export { appendV5Records, type Exporter, tcpStatus } from "./netflow_v5.ts";
export { CiscoDatagramImport, ipv4Number } from "./client_import.ts";
