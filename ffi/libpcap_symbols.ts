/**
 * The libpcap C surface argus-ts uses, as one Deno.dlopen table with each C
 * prototype beside its entry (pcap(3PCAP) man pages, libpcap 1.10). Symbols
 * newer than libpcap 1.0 are `optional`: a build without them loads, and
 * the entry is null. Pointers never leave ffi/.
 * @module
 */

/** libpcap functions as Deno FFI signatures. */
export const LIBPCAP_SYMBOLS = {
  /** const char *pcap_lib_version(void) */
  pcap_lib_version: { parameters: [], result: "pointer" },

  /**
   * pcap_t *pcap_open_offline(const char *fname, char *errbuf)
   * fname: NUL-terminated path, "-" is standard input; errbuf: 256 bytes.
   */
  pcap_open_offline: { parameters: ["buffer", "buffer"], result: "pointer" },
  /** pcap_t *pcap_open_dead(int linktype, int snaplen) */
  pcap_open_dead: { parameters: ["i32", "i32"], result: "pointer" },
  /**
   * pcap_t *pcap_open_live(const char *device, int snaplen, int promisc,
   *                        int to_ms, char *errbuf)
   */
  pcap_open_live: {
    parameters: ["buffer", "i32", "i32", "i32", "buffer"],
    result: "pointer",
  },
  /** pcap_t *pcap_create(const char *source, char *errbuf) */
  pcap_create: { parameters: ["buffer", "buffer"], result: "pointer" },
  /** int pcap_set_snaplen(pcap_t *p, int snaplen) */
  pcap_set_snaplen: { parameters: ["pointer", "i32"], result: "i32" },
  /** int pcap_set_promisc(pcap_t *p, int promisc) */
  pcap_set_promisc: { parameters: ["pointer", "i32"], result: "i32" },
  /** int pcap_set_timeout(pcap_t *p, int to_ms) */
  pcap_set_timeout: { parameters: ["pointer", "i32"], result: "i32" },
  /** int pcap_set_immediate_mode(pcap_t *p, int immediate_mode) (1.5) */
  pcap_set_immediate_mode: {
    parameters: ["pointer", "i32"],
    result: "i32",
    optional: true,
  },
  /** int pcap_set_buffer_size(pcap_t *p, int buffer_size) */
  pcap_set_buffer_size: { parameters: ["pointer", "i32"], result: "i32" },
  /** int pcap_activate(pcap_t *p): 0, a warning (> 0) or an error (< 0) */
  pcap_activate: { parameters: ["pointer"], result: "i32" },
  /** void pcap_close(pcap_t *p) */
  pcap_close: { parameters: ["pointer"], result: "void" },

  /** int pcap_datalink(pcap_t *p): a DLT_ value */
  pcap_datalink: { parameters: ["pointer"], result: "i32" },
  /** int pcap_snapshot(pcap_t *p) */
  pcap_snapshot: { parameters: ["pointer"], result: "i32" },
  /** const char *pcap_datalink_val_to_name(int dlt) (may return NULL) */
  pcap_datalink_val_to_name: { parameters: ["i32"], result: "pointer" },

  /**
   * int pcap_next_ex(pcap_t *p, struct pcap_pkthdr **pkt_header,
   *                  const u_char **pkt_data)
   * 1 packet, 0 live timeout, PCAP_ERROR (-1), PCAP_ERROR_BREAK (-2) at the
   * end of a savefile. Both out-params are 8-byte buffers; the header and
   * data belong to libpcap until the next call.
   */
  pcap_next_ex: { parameters: ["pointer", "buffer", "buffer"], result: "i32" },
  /** The same call on a worker thread, for a blocking live read. */
  pcap_next_ex_nonblocking: {
    name: "pcap_next_ex",
    parameters: ["pointer", "buffer", "buffer"],
    result: "i32",
    nonblocking: true,
  },
  /** void pcap_breakloop(pcap_t *p) */
  pcap_breakloop: { parameters: ["pointer"], result: "void" },
  /** int pcap_setnonblock(pcap_t *p, int nonblock, char *errbuf) */
  pcap_setnonblock: { parameters: ["pointer", "i32", "buffer"], result: "i32" },
  /** int pcap_get_selectable_fd(pcap_t *p): -1 when there is none */
  pcap_get_selectable_fd: { parameters: ["pointer"], result: "i32" },
  /**
   * int pcap_stats(pcap_t *p, struct pcap_stat *ps)
   * struct pcap_stat { u_int ps_recv, ps_drop, ps_ifdrop; }
   */
  pcap_stats: { parameters: ["pointer", "buffer"], result: "i32" },

  /**
   * int pcap_compile(pcap_t *p, struct bpf_program *fp, const char *str,
   *                  int optimize, bpf_u_int32 netmask)
   * struct bpf_program { u_int bf_len; struct bpf_insn *bf_insns; } is 16
   * bytes on 64-bit hosts: the length at 0, the pointer at 8.
   */
  pcap_compile: {
    parameters: ["pointer", "buffer", "buffer", "i32", "u32"],
    result: "i32",
  },
  /** int pcap_setfilter(pcap_t *p, struct bpf_program *fp) */
  pcap_setfilter: { parameters: ["pointer", "buffer"], result: "i32" },
  /** void pcap_freecode(struct bpf_program *fp) */
  pcap_freecode: { parameters: ["buffer"], result: "void" },
  /**
   * int pcap_offline_filter(const struct bpf_program *fp,
   *                         const struct pcap_pkthdr *h, const u_char *pkt)
   * struct pcap_pkthdr { struct timeval ts; bpf_u_int32 caplen, len; }: 24
   * bytes on 64-bit hosts, caplen at 16, len at 20. (1.0)
   */
  pcap_offline_filter: {
    parameters: ["buffer", "buffer", "buffer"],
    result: "i32",
    optional: true,
  },
  /**
   * char *bpf_image(const struct bpf_insn *insn, int n)
   * One instruction as tcpdump -d prints it, in a static buffer.
   * struct bpf_insn { u_short code; u_char jt, jf; bpf_u_int32 k; }: 8 bytes.
   */
  bpf_image: { parameters: ["pointer", "i32"], result: "pointer" },

  /** char *pcap_geterr(pcap_t *p) */
  pcap_geterr: { parameters: ["pointer"], result: "pointer" },
  /** const char *pcap_statustostr(int error) */
  pcap_statustostr: { parameters: ["i32"], result: "pointer" },

  /**
   * int pcap_findalldevs(pcap_if_t **alldevsp, char *errbuf)
   * struct pcap_if { struct pcap_if *next; char *name; char *description;
   *                  struct pcap_addr *addresses; bpf_u_int32 flags; }
   */
  pcap_findalldevs: {
    parameters: ["buffer", "buffer"],
    result: "i32",
    optional: true,
  },
  /** void pcap_freealldevs(pcap_if_t *alldevs) */
  pcap_freealldevs: {
    parameters: ["pointer"],
    result: "void",
    optional: true,
  },
} as const satisfies Deno.ForeignLibraryInterface;

/** The loaded library's functions. */
export type LibpcapSymbols = Deno.DynamicLibrary<
  typeof LIBPCAP_SYMBOLS
>["symbols"];

/** PCAP_ERROR_BREAK: pcap_next_ex's end of a savefile. */
export const PCAP_ERROR_BREAK = -2;
