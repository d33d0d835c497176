/**
 * The libpcap C surface this project uses: one table for Deno.dlopen, with
 * each C prototype beside it. Pointers never leave ffi/.
 * @module
 */

/** libpcap functions, as Deno FFI signatures. */
export const LIBPCAP_SYMBOLS = {
  /** const char *pcap_lib_version(void) */
  pcap_lib_version: { parameters: [], result: "pointer" },
  /** pcap_t *pcap_open_dead(int linktype, int snaplen) */
  pcap_open_dead: { parameters: ["i32", "i32"], result: "pointer" },
  /** pcap_t *pcap_open_offline(const char *fname, char *errbuf) */
  pcap_open_offline: { parameters: ["buffer", "buffer"], result: "pointer" },
  /** pcap_t *pcap_create(const char *source, char *errbuf) */
  pcap_create: { parameters: ["buffer", "buffer"], result: "pointer" },
  /** int pcap_set_snaplen(pcap_t *p, int snaplen) */
  pcap_set_snaplen: { parameters: ["pointer", "i32"], result: "i32" },
  /** int pcap_set_promisc(pcap_t *p, int promisc) */
  pcap_set_promisc: { parameters: ["pointer", "i32"], result: "i32" },
  /** int pcap_set_timeout(pcap_t *p, int to_ms) */
  pcap_set_timeout: { parameters: ["pointer", "i32"], result: "i32" },
  /** int pcap_set_immediate_mode(pcap_t *p, int immediate) */
  pcap_set_immediate_mode: { parameters: ["pointer", "i32"], result: "i32" },
  /** int pcap_set_buffer_size(pcap_t *p, int size) */
  pcap_set_buffer_size: { parameters: ["pointer", "i32"], result: "i32" },
  /** int pcap_activate(pcap_t *p) */
  pcap_activate: { parameters: ["pointer"], result: "i32" },
  /** int pcap_datalink(pcap_t *p) */
  pcap_datalink: { parameters: ["pointer"], result: "i32" },
  /** int pcap_snapshot(pcap_t *p) */
  pcap_snapshot: { parameters: ["pointer"], result: "i32" },
  /** int pcap_next_ex(pcap_t *p, struct pcap_pkthdr **hdr, const u_char **data) */
  pcap_next_ex: { parameters: ["pointer", "buffer", "buffer"], result: "i32" },
  /** int pcap_setnonblock(pcap_t *p, int nonblock, char *errbuf) */
  pcap_setnonblock: { parameters: ["pointer", "i32", "buffer"], result: "i32" },
  /** int pcap_get_selectable_fd(pcap_t *p) */
  pcap_get_selectable_fd: { parameters: ["pointer"], result: "i32" },
  /** int pcap_compile(pcap_t *p, struct bpf_program *fp, const char *str, int optimize, bpf_u_int32 netmask) */
  pcap_compile: {
    parameters: ["pointer", "buffer", "buffer", "i32", "u32"],
    result: "i32",
  },
  /** int pcap_setfilter(pcap_t *p, struct bpf_program *fp) */
  pcap_setfilter: { parameters: ["pointer", "buffer"], result: "i32" },
  /** void pcap_freecode(struct bpf_program *fp) */
  pcap_freecode: { parameters: ["buffer"], result: "void" },
  /** int pcap_offline_filter(const struct bpf_program *fp, const struct pcap_pkthdr *h, const u_char *pkt) */
  pcap_offline_filter: {
    parameters: ["buffer", "buffer", "buffer"],
    result: "i32",
  },
  /** char *bpf_image(const struct bpf_insn *insn, int n) */
  bpf_image: { parameters: ["pointer", "i32"], result: "pointer" },
  /** int pcap_stats(pcap_t *p, struct pcap_stat *ps) */
  pcap_stats: { parameters: ["pointer", "buffer"], result: "i32" },
  /** char *pcap_geterr(pcap_t *p) */
  pcap_geterr: { parameters: ["pointer"], result: "pointer" },
  /** void pcap_close(pcap_t *p) */
  pcap_close: { parameters: ["pointer"], result: "void" },
} as const satisfies Deno.ForeignLibraryInterface;

/** The loaded library's symbols. */
export type LibpcapSymbols = Deno.DynamicLibrary<
  typeof LIBPCAP_SYMBOLS
>["symbols"];
