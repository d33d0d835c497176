/**
 * A classic-BPF interpreter over packets in a batch buffer: runs the
 * programs libpcap compiles (ffi/bpf_program.ts) with the kernel's and
 * libpcap's semantics (loads past the captured bytes reject the packet,
 * division by zero rejects), without a native call per packet.
 * @module
 */

// Instruction classes and fields (linux/filter.h, pcap/bpf.h).
const LD = 0x00,
  LDX = 0x01,
  ST = 0x02,
  STX = 0x03,
  ALU = 0x04,
  JMP = 0x05,
  RET = 0x06,
  MISC = 0x07;
const W = 0x00, H = 0x08; // and B (0x10): byte loads are the remaining size
const IMM = 0x00, IND = 0x40, MEM = 0x60, LEN = 0x80, MSH = 0xa0;
const ADD = 0x00,
  SUB = 0x10,
  MUL = 0x20,
  DIV = 0x30,
  OR = 0x40,
  AND = 0x50,
  LSH = 0x60,
  RSH = 0x70,
  NEG = 0x80,
  MOD = 0x90,
  XOR = 0xa0;
const JA = 0x00, JEQ = 0x10, JGT = 0x20, JGE = 0x30, JSET = 0x40;
const X = 0x08, A = 0x10;
const TAX = 0x00;

/** A compiled filter ready to run. */
export class BpfFilter {
  readonly #code: Uint16Array;
  readonly #jt: Uint8Array;
  readonly #jf: Uint8Array;
  readonly #k: Uint32Array;
  readonly #mem = new Uint32Array(16);

  /** `words`: code, jt, jf, k per instruction (ffi compileFilter). */
  constructor(words: Uint32Array) {
    const n = words.length >> 2;
    this.#code = new Uint16Array(n);
    this.#jt = new Uint8Array(n);
    this.#jf = new Uint8Array(n);
    this.#k = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      this.#code[i] = words[i * 4]!;
      this.#jt[i] = words[i * 4 + 1]!;
      this.#jf[i] = words[i * 4 + 2]!;
      this.#k[i] = words[i * 4 + 3]!;
    }
  }

  /** Whether the packet at `data[start..start+caplen)` passes. */
  matches(
    data: Uint8Array,
    start: number,
    caplen: number,
    wirelen: number,
  ): boolean {
    return this.run(data, start, caplen, wirelen) !== 0;
  }

  /** Runs the program; the return value is the snapshot length kept. */
  run(
    data: Uint8Array,
    start: number,
    caplen: number,
    wirelen: number,
  ): number {
    const code = this.#code, jt = this.#jt, jf = this.#jf, kk = this.#k;
    const mem = this.#mem;
    const n = code.length;
    let a = 0, x = 0;
    // Programs only jump forward, so n steps bound the run.
    for (let pc = 0; pc < n; pc++) {
      const c = code[pc]!;
      const k = kk[pc]!;
      switch (c & 0x07) {
        case LD:
        case LDX: {
          const cls = c & 0x07;
          const mode = c & 0xe0;
          let v: number;
          if (mode === IMM) v = k;
          else if (mode === LEN) v = wirelen;
          else if (mode === MEM) v = mem[k & 15]!;
          else if (mode === MSH) {
            if (k >= caplen) return 0;
            v = (data[start + k]! & 0x0f) << 2;
          } else {
            // ABS (0x20) and IND (0x40): absolute or X-relative offsets.
            const off = mode === IND ? (x + k) >>> 0 : k;
            const size = c & 0x18;
            const need = size === W ? 4 : size === H ? 2 : 1;
            if (off > caplen - need || caplen < need) return 0;
            const p = start + off;
            v = size === W
              ? ((data[p]! << 24) | (data[p + 1]! << 16) | (data[p + 2]! << 8) |
                data[p + 3]!) >>> 0
              : size === H
              ? (data[p]! << 8) | data[p + 1]!
              : data[p]!;
          }
          if (cls === LD) a = v;
          else x = v;
          break;
        }
        case ST:
          mem[k & 15] = a;
          break;
        case STX:
          mem[k & 15] = x;
          break;
        case ALU: {
          const v = (c & 0x08) === X ? x : k;
          switch (c & 0xf0) {
            case ADD:
              a = (a + v) >>> 0;
              break;
            case SUB:
              a = (a - v) >>> 0;
              break;
            case MUL:
              a = Math.imul(a, v) >>> 0;
              break;
            case DIV:
              if (v === 0) return 0;
              a = Math.floor(a / v) >>> 0;
              break;
            case MOD:
              if (v === 0) return 0;
              a = (a % v) >>> 0;
              break;
            case OR:
              a = (a | v) >>> 0;
              break;
            case AND:
              a = (a & v) >>> 0;
              break;
            case XOR:
              a = (a ^ v) >>> 0;
              break;
            case LSH:
              a = v >= 32 ? 0 : (a << v) >>> 0;
              break;
            case RSH:
              a = v >= 32 ? 0 : a >>> v;
              break;
            case NEG:
              a = (-a) >>> 0;
              break;
            default:
              return 0;
          }
          break;
        }
        case JMP: {
          const op = c & 0xf0;
          if (op === JA) {
            pc += k;
            break;
          }
          const v = (c & 0x08) === X ? x : k;
          let taken: boolean;
          if (op === JEQ) taken = a === v;
          else if (op === JGT) taken = a > v;
          else if (op === JGE) taken = a >= v;
          else if (op === JSET) taken = (a & v) !== 0;
          else return 0;
          pc += taken ? jt[pc]! : jf[pc]!;
          break;
        }
        case RET:
          return (c & 0x18) === A ? a : k;
        case MISC:
          if ((c & 0xf8) === TAX) x = a;
          else a = x;
          break;
      }
    }
    return 0;
  }
}
