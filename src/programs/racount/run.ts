/**
 * The racount program (racount(1)): one summary of the selected flow
 * records (count, packets and bytes by side), and with -M proto / addr
 * its protocol and address-type breakdowns, printed as the real racount
 * 3.0.8 prints them. MARs and events are not counted. Like the real one
 * it prints even with -q, writes no -w file, and ignores -s and -c.
 * @module
 */

import { type ClientProgram, runClient } from "../../client/client_main.ts";
import type { ClientOptions, ClientSpec } from "../../client/client_options.ts";
import { ClientRecord, RecordKind } from "../../client/client_record.ts";
import {
  COUNT_HEADER,
  protoRow,
  RecordCounts,
} from "../../client/record_counts.ts";
import { PRINT_FIELDS, type PrintOptions } from "../../client/print_fields.ts";
import type { TextSink } from "../../client/text_out.ts";

/** racount's name, usage and own options. */
export const RACOUNT_SPEC: ClientSpec = {
  name: "racount",
  usageLine:
    "usage: racount [-M addr proto] [ra-options] [- filter-expression]",
  options: [
    {
      letter: "M",
      arg: "many",
      argName: "mode ...",
      help: "proto: per-protocol counts; addr: address types; rmon: both ways",
    },
  ],
};

/** The counter, printing straight to standard output at the end. */
class Counter implements ClientProgram {
  counts = new RecordCounts(false, false, false);
  print: PrintOptions = {
    nflag: 1,
    precision: 6,
    timeFormat: "",
    unixTime: false,
    fixed: false,
  };
  failWhenNothingMatched = true;

  constructor(readonly stdout: TextSink) {}

  configure(o: ClientOptions): void {
    let proto = false, addr = false, mon = false;
    for (const use of o.programOptions) {
      // racount compares the first four letters only ("prot", "addr").
      for (const mode of use.values) {
        const m = mode.toLowerCase();
        if (m.startsWith("addr")) addr = true;
        else if (m.startsWith("prot")) proto = true;
        else if (m.startsWith("rmon")) mon = true;
      }
    }
    this.counts = new RecordCounts(proto, addr, mon);
    this.print = { ...this.print, nflag: o.nflag };
    // The real racount writes nothing for -w.
    o.writeFile = null;
  }

  record(r: ClientRecord, buf: Uint8Array, start: number, length: number) {
    if (r.kind === RecordKind.FAR || r.kind === RecordKind.NETFLOW) {
      this.counts.add(r, buf, start, length);
    }
  }

  finish(): void {
    const c = this.counts;
    const lines = [COUNT_HEADER, c.sumLine()];
    if (c.protoMode) {
      lines.push("Protocol Summary");
      const proto = PRINT_FIELDS.get("proto")!;
      const r = new ClientRecord();
      for (const [t, label] of c.protoRows()) {
        const text = label ??
          proto.print(r.load(t.first, 0, t.first.length), this.print, 32);
        lines.push(protoRow(text, t));
      }
    }
    if (c.addrMode) lines.push(...c.addressLines());
    const bytes = new TextEncoder().encode(lines.join("\n") + "\n");
    let off = 0;
    while (off < bytes.length) {
      off += this.stdout.writeSync(bytes.subarray(off));
    }
  }
}

/** racount [options]: returns the exit status. */
export function runRacount(
  args: string[],
  stdout: TextSink = Deno.stdout,
): Promise<number> {
  return runClient(RACOUNT_SPEC, new Counter(stdout), args, stdout);
}
