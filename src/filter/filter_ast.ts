/**
 * The parsed filter: primitives with their qualifiers already resolved
 * (port and protocol names looked up, implicit qualifiers such as the
 * `host` in `host a or b` filled in), combined with and/or/not. What each
 * primitive means, measured against the real ra, is in compile_filter.ts.
 * @module
 */

/**
 * Which side of the flow a primitive looks at: `src`, `dst`, `either`
 * (no qualifier, or `src or dst`) or `both` (`src and dst`).
 */
export type FilterDirection = "src" | "dst" | "either" | "both";

/** Comparison operators: `eq` (or none), `lt`, `lte`/`<=`, `gt`, `gte`/`>=`. */
export type CompareOp = "eq" | "lt" | "lte" | "gt" | "gte";

/** Which key layouts a host/net primitive tries (its protocol qualifier). */
export type HostScope = "default" | "ip" | "ipv4" | "ipv6" | "arp";

/** Numeric record fields that take `[src|dst] field [op] value`. */
export type FilterField =
  | "pkts"
  | "bytes"
  | "appbytes"
  | "ttl"
  | "tos"
  | "dsb"
  | "ipid"
  | "vid"
  | "vpri"
  | "mid"
  | "trans"
  | "seq"
  | "dur"
  | "rate"
  | "load";

/** Keywords that are primitives by themselves (`tcp`, `syn`, `man`, ...). */
export type FilterKeyword =
  // address families and protocols
  | "ip"
  | "ipv4"
  | "ipv6"
  | "tcp"
  | "udp"
  | "icmp"
  | "igmp"
  | "rtp"
  | "rtcp"
  | "udt"
  | "arp"
  | "rarp"
  | "isis"
  | "mpls"
  | "vlan"
  // record types and causes
  | "man"
  | "far"
  | "event"
  | "index"
  | "start"
  | "stop"
  | "status"
  | "timeout"
  // always true in ra: `error`, `anon`, `fragonly`
  | "error"
  | "anon"
  | "fragonly"
  // TCP flags seen (per direction) and TCP state bits
  | "syn"
  | "ack"
  | "push"
  | "urg"
  | "rst"
  | "ece"
  | "cwr"
  | "fin"
  | "synack"
  | "finack"
  | "wait"
  | "normal"
  | "est"
  | "retrans"
  | "outoforder"
  | "winshut"
  | "ecn"
  // TCP options
  | "tcpopt"
  | "mss"
  | "wscale"
  | "selackok"
  | "selack"
  | "tcpecho"
  | "tcpechoreply"
  | "tcptimestamp"
  | "tcpcc"
  | "tcpccnew"
  | "tcpccecho"
  | "secn"
  | "decn"
  // IP attributes, MAC, ICMP, IGMP
  | "frag"
  | "multipath"
  | "echo"
  | "unreach"
  | "redirect"
  | "timexed"
  | "icmpmap"
  | "rtr"
  | "mbr"
  | "lvg"
  | "multicast"
  | "ipbroadcast";

/** A parsed filter expression. */
export type FilterNode =
  | { readonly kind: "all" }
  | {
    readonly kind: "and";
    readonly left: FilterNode;
    readonly right: FilterNode;
  }
  | {
    readonly kind: "or";
    readonly left: FilterNode;
    readonly right: FilterNode;
  }
  | { readonly kind: "not"; readonly operand: FilterNode }
  | {
    readonly kind: "keyword";
    readonly word: FilterKeyword;
    readonly dir: FilterDirection;
  }
  | {
    /**
     * `host`/`net`. `family` is what the literal was ("none" for a bare
     * number, which ra turns into a mask of 0: any address). `addr` and
     * `mask` are big-endian words: one for IPv4, four for IPv6.
     */
    readonly kind: "host";
    readonly scope: HostScope;
    readonly dir: FilterDirection;
    readonly family: "ipv4" | "ipv6" | "none";
    readonly addr: readonly number[];
    readonly mask: readonly number[];
  }
  | {
    /** `port`: `proto` is 6, 17, or 0 for either. */
    readonly kind: "port";
    readonly proto: 0 | 6 | 17;
    readonly dir: FilterDirection;
    readonly op: CompareOp;
    readonly value: number;
  }
  | {
    /** `[ip|ipv4|ipv6|arp|ether] proto N`. */
    readonly kind: "proto";
    readonly scope: "ip" | "ipv4" | "ipv6" | "arp" | "ether";
    readonly value: number;
  }
  | {
    readonly kind: "field";
    readonly field: FilterField;
    readonly dir: FilterDirection;
    readonly op: CompareOp;
    readonly value: number;
  }
  | {
    /** `ether host|src|dst MAC` and `ether broadcast`: six bytes. */
    readonly kind: "ether";
    readonly dir: FilterDirection;
    readonly mac: readonly number[];
  }
  | { readonly kind: "srcid"; readonly value: number };
