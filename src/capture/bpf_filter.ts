/**
 * A classic-BPF interpreter over packets in a batch buffer, so the capture
 * filter costs no native call per packet. Same results as libpcap's
 * pcap_filter (bpf_filter.c) for every program pcap_compile emits; for
 * hostile programs it never throws and always ends: loads past caplen,
 * division by zero, scratch slots beyond 15, unknown opcodes and jumps out
 * of the program reject the packet.
 * @module
 */

// Opcodes by value (pcap/bpf.h): class | size | mode, class | op | source.
const RET_K = 0x06, RET_A = 0x16;
const LD_W_ABS = 0x20, LD_H_ABS = 0x28, LD_B_ABS = 0x30;
const LD_W_IND = 0x40, LD_H_IND = 0x48, LD_B_IND = 0x50;
const LD_W_LEN = 0x80, LDX_W_LEN = 0x81, LDX_B_MSH = 0xb1;
const LD_IMM = 0x00, LDX_IMM = 0x01, LD_MEM = 0x60, LDX_MEM = 0x61;
const ST = 0x02, STX = 0x03;
const JA = 0x05;
const JGT_K = 0x25, JGE_K = 0x35, JEQ_K = 0x15, JSET_K = 0x45;
const JGT_X = 0x2d, JGE_X = 0x3d, JEQ_X = 0x1d, JSET_X = 0x4d;
const ADD_K = 0x04, SUB_K = 0x14, MUL_K = 0x24, DIV_K = 0x34, OR_K = 0x44;
const AND_K = 0x54, LSH_K = 0x64, RSH_K = 0x74, MOD_K = 0x94, XOR_K = 0xa4;
const ADD_X = 0x0c, SUB_X = 0x1c, MUL_X = 0x2c, DIV_X = 0x3c, OR_X = 0x4c;
const AND_X = 0x5c, LSH_X = 0x6c, RSH_X = 0x7c, MOD_X = 0x9c, XOR_X = 0xac;
const NEG = 0x84, TAX = 0x07, TXA = 0x87;
/** BPF_MEMWORDS: scratch memory slots. */
const MEMWORDS = 16;

/** A compiled filter, ready to run on packets. */
export class BpfFilter {
  readonly #code: Uint16Array;
  readonly #jt: Uint8Array;
  readonly #jf: Uint8Array;
  readonly #k: Uint32Array;
  readonly #mem = new Uint32Array(MEMWORDS);
  /** Whether the program reads scratch memory (then it starts zeroed). */
  readonly #readsMemory: boolean;

  /**
   * @param words code, jt, jf, k of each instruction (ffi compileFilter's
   * `words`); values are taken modulo their C field widths
   */
  constructor(words: ArrayLike<number>) {
    const n = words.length >> 2;
    this.#code = new Uint16Array(n);
    this.#jt = new Uint8Array(n);
    this.#jf = new Uint8Array(n);
    this.#k = new Uint32Array(n);
    let readsMemory = false;
    for (let i = 0; i < n; i++) {
      const c = words[i * 4]!;
      this.#code[i] = c;
      this.#jt[i] = words[i * 4 + 1]!;
      this.#jf[i] = words[i * 4 + 2]!;
      this.#k[i] = words[i * 4 + 3]!;
      if ((c & 0xffff) === LD_MEM || (c & 0xffff) === LDX_MEM) {
        readsMemory = true;
      }
    }
    this.#readsMemory = readsMemory;
  }

  /** Number of instructions. */
  get length(): number {
    return this.#code.length;
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

  /**
   * Runs the program over one packet.
   * @returns its verdict: the number of bytes to keep, 0 to reject
   */
  run(
    data: Uint8Array,
    start: number,
    caplen: number,
    wirelen: number,
  ): number {
    const code = this.#code, jt = this.#jt, jf = this.#jf, kk = this.#k;
    const mem = this.#mem;
    if (this.#readsMemory) mem.fill(0);
    const n = code.length;
    // Never read outside the buffer, whatever the caller says.
    const buflen = Math.max(0, Math.min(caplen, data.length - start));
    const p = start;
    let a = 0, x = 0;
    // Every step moves forward, so at most n steps run.
    for (let pc = 0; pc < n; pc++) {
      const k = kk[pc]!;
      switch (code[pc]!) {
        case RET_K:
          return k;
        case RET_A:
          return a;
        case LD_W_ABS:
          if (k > buflen - 4 || buflen < 4) return 0;
          a = ((data[p + k]! << 24) | (data[p + k + 1]! << 16) |
            (data[p + k + 2]! << 8) | data[p + k + 3]!) >>> 0;
          break;
        case LD_H_ABS:
          if (k > buflen - 2 || buflen < 2) return 0;
          a = (data[p + k]! << 8) | data[p + k + 1]!;
          break;
        case LD_B_ABS:
          if (k >= buflen) return 0;
          a = data[p + k]!;
          break;
        case LD_W_IND: {
          // x + k is not reduced modulo 2^32: an overflow is out of bounds.
          const o = x + k;
          if (o > buflen - 4 || buflen < 4) return 0;
          a = ((data[p + o]! << 24) | (data[p + o + 1]! << 16) |
            (data[p + o + 2]! << 8) | data[p + o + 3]!) >>> 0;
          break;
        }
        case LD_H_IND: {
          const o = x + k;
          if (o > buflen - 2 || buflen < 2) return 0;
          a = (data[p + o]! << 8) | data[p + o + 1]!;
          break;
        }
        case LD_B_IND: {
          const o = x + k;
          if (o >= buflen) return 0;
          a = data[p + o]!;
          break;
        }
        case LD_W_LEN:
          a = wirelen >>> 0;
          break;
        case LDX_W_LEN:
          x = wirelen >>> 0;
          break;
        case LDX_B_MSH:
          if (k >= buflen) return 0;
          x = (data[p + k]! & 0x0f) << 2;
          break;
        case LD_IMM:
          a = k;
          break;
        case LDX_IMM:
          x = k;
          break;
        case LD_MEM:
          if (k >= MEMWORDS) return 0;
          a = mem[k]!;
          break;
        case LDX_MEM:
          if (k >= MEMWORDS) return 0;
          x = mem[k]!;
          break;
        case ST:
          if (k >= MEMWORDS) return 0;
          mem[k] = a;
          break;
        case STX:
          if (k >= MEMWORDS) return 0;
          mem[k] = x;
          break;
        case JA:
          // libpcap treats k as signed; a backward jump could loop forever.
          if (k >= 0x80000000) return 0;
          pc += k;
          break;
        case JGT_K:
          pc += a > k ? jt[pc]! : jf[pc]!;
          break;
        case JGE_K:
          pc += a >= k ? jt[pc]! : jf[pc]!;
          break;
        case JEQ_K:
          pc += a === k ? jt[pc]! : jf[pc]!;
          break;
        case JSET_K:
          pc += (a & k) !== 0 ? jt[pc]! : jf[pc]!;
          break;
        case JGT_X:
          pc += a > x ? jt[pc]! : jf[pc]!;
          break;
        case JGE_X:
          pc += a >= x ? jt[pc]! : jf[pc]!;
          break;
        case JEQ_X:
          pc += a === x ? jt[pc]! : jf[pc]!;
          break;
        case JSET_X:
          pc += (a & x) !== 0 ? jt[pc]! : jf[pc]!;
          break;
        case ADD_K:
          a = (a + k) >>> 0;
          break;
        case SUB_K:
          a = (a - k) >>> 0;
          break;
        case MUL_K:
          a = Math.imul(a, k) >>> 0;
          break;
        case DIV_K:
          if (k === 0) return 0;
          a = Math.floor(a / k);
          break;
        case MOD_K:
          if (k === 0) return 0;
          a = a % k;
          break;
        case AND_K:
          a = (a & k) >>> 0;
          break;
        case OR_K:
          a = (a | k) >>> 0;
          break;
        case XOR_K:
          a = (a ^ k) >>> 0;
          break;
        case LSH_K:
          a = k < 32 ? (a << k) >>> 0 : 0;
          break;
        case RSH_K:
          a = k < 32 ? a >>> k : 0;
          break;
        case ADD_X:
          a = (a + x) >>> 0;
          break;
        case SUB_X:
          a = (a - x) >>> 0;
          break;
        case MUL_X:
          a = Math.imul(a, x) >>> 0;
          break;
        case DIV_X:
          if (x === 0) return 0;
          a = Math.floor(a / x);
          break;
        case MOD_X:
          if (x === 0) return 0;
          a = a % x;
          break;
        case AND_X:
          a = (a & x) >>> 0;
          break;
        case OR_X:
          a = (a | x) >>> 0;
          break;
        case XOR_X:
          a = (a ^ x) >>> 0;
          break;
        case LSH_X:
          a = x < 32 ? (a << x) >>> 0 : 0;
          break;
        case RSH_X:
          a = x < 32 ? a >>> x : 0;
          break;
        case NEG:
          a = (0 - a) >>> 0;
          break;
        case TAX:
          x = a;
          break;
        case TXA:
          a = x;
          break;
        default:
          return 0;
      }
    }
    // Ran off the end: libpcap never does (its programs end in ret).
    return 0;
  }
}
