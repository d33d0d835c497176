/**
 * The sensor's capture filter for savefiles (argus's trailing expression):
 * compiled by libpcap for each link type the inputs carry, the way argus
 * compiles it on its savefile handle (so -b prints the same program), and
 * run by our BPF interpreter.
 * @module
 */

import {
  type BpfInstructions,
  compileFilter,
  compileSavefileFilter,
} from "../../ffi/mod.ts";
import { BpfFilter } from "./bpf_filter.ts";
import { dltFromLinkType } from "./link_type.ts";
import { isIoError } from "./open_capture.ts";

/** Options of a capture filter. */
export interface CaptureFilterOptions {
  /**
   * Snapshot length, the value `ret` accepts with (what -b shows).
   * @default 262144
   */
  snaplen?: number;
  /** Run libpcap's optimizer (argus -O turns it off). @default true */
  optimize?: boolean;
  /** Byte order of the input (CaptureReader.bigEndian). @default false */
  bigEndian?: boolean;
}

/** One expression, compiled lazily per link type. */
export class CaptureFilter {
  /** The expression as given. */
  readonly expression: string;
  readonly #snaplen: number;
  readonly #optimize: boolean;
  readonly #bigEndian: boolean;
  readonly #byLinkType = new Map<number, BpfFilter>();
  #lastLinkType = -1;
  #last: BpfFilter | null = null;

  /**
   * Compiles `expression` for `linkType` at once, so a syntax error shows
   * before any packet is read.
   * @throws PcapError with libpcap's message
   */
  constructor(
    expression: string,
    linkType: number,
    options: CaptureFilterOptions = {},
  ) {
    this.expression = expression;
    this.#snaplen = options.snaplen ?? 262144;
    this.#optimize = options.optimize ?? true;
    this.#bigEndian = options.bigEndian ?? false;
    this.#forLinkType(linkType);
  }

  /**
   * libpcap's program for `linkType`, with the text argus -b prints.
   * @throws PcapError when the expression does not apply to the link type
   */
  program(linkType: number): BpfInstructions {
    try {
      return compileSavefileFilter(this.expression, linkType, {
        snaplen: this.#snaplen,
        bigEndian: this.#bigEndian,
        optimize: this.#optimize,
      });
    } catch (e) {
      if (!isIoError(e)) throw e;
      // No temporary file: a dead handle compiles the same program except
      // for loopback link types' AF_ values.
      return compileFilter(
        this.expression,
        dltFromLinkType(linkType),
        this.#snaplen,
        this.#optimize,
      );
    }
  }

  /**
   * Whether a packet passes (the sensor's per-packet call).
   * @throws PcapError the first time a link type the expression does not
   * apply to is met
   */
  matches(
    data: Uint8Array,
    start: number,
    caplen: number,
    wirelen: number,
    linkType: number,
  ): boolean {
    const vm = linkType === this.#lastLinkType
      ? this.#last!
      : this.#forLinkType(linkType);
    return vm.run(data, start, caplen, wirelen) !== 0;
  }

  #forLinkType(linkType: number): BpfFilter {
    let vm = this.#byLinkType.get(linkType);
    if (vm === undefined) {
      vm = new BpfFilter(this.program(linkType).words);
      this.#byLinkType.set(linkType, vm);
    }
    this.#lastLinkType = linkType;
    this.#last = vm;
    return vm;
  }
}
