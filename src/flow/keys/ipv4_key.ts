/**
 * Flow keys for IPv4 packets (argus ArgusCreateIPv4Flow and the ICMP, ESP,
 * IGMP and fragment variants): the 16-byte IPv4 flow DSR body, with the
 * lower address as source (ports break ties), ICMP replies folded onto
 * their requests and each UDP port-53 transaction keyed by its DNS id.
 * Byte orders follow what argus writes, including its little-endian ICMP
 * id fields (verified against corpus/expected/icmp.pcap).
 * @module
 */

import type { PacketContext } from "../../decode/packet_context.ts";
import { FlowQual, FlowSubtype } from "../flow_status.ts";
import type { FlowKey } from "../flow_key.ts";
import { parseIpOptions } from "./ip_options.ts";

const TCP = 6;
const UDP = 17;
const ICMP = 1;
const IGMP = 2;
const ESP = 50;
const AH = 51;

/**
 * Builds the key for the IPv4 header at `ip`; also sets the context's
 * payload length, options and next-header offset as argus does.
 * @returns false when the header was not captured
 */
export function buildIpv4Key(
  ctx: PacketContext,
  key: FlowKey,
  ip: number,
): boolean {
  if (!ctx.captured(ip, 20)) return false;
  ctx.ip = ip;
  const hlen = (ctx.u8(ip) & 0x0f) << 2;
  const ipLen = ctx.u16(ip + 2);
  const off = ctx.u16(ip + 6);
  const ipId = ctx.u16(ip + 4);
  let proto = ctx.u8(ip + 9);
  const src = ctx.u32(ip + 12);
  const dst = ctx.u32(ip + 16);
  const len = ipLen - hlen;
  ctx.ipOptions = hlen > 20 ? parseIpOptions(ctx, ip + 20, hlen - 20) : 0;
  ctx.length = len;

  key.reset();
  key.subtype = FlowSubtype.CLASSIC5TUPLE;
  key.qual = FlowQual.IPV4;
  key.size = 4;

  if ((off & 0x1fff) !== 0) {
    // A non-first fragment: keyed by addresses, protocol and IP id until
    // the first fragment ties it to its flow.
    const reverse = src > dst;
    if (reverse) {
      key.reversed = true;
      key.qual |= FlowQual.DIRECTION;
      key.subtype |= FlowSubtype.REVERSE;
    }
    key.qual |= FlowQual.FRAGMENT;
    key.put32(0, reverse ? dst : src);
    key.put32(4, reverse ? src : dst);
    key.put8(8, proto);
    // argus stores the id in host order and never swaps it: little-endian.
    key.put8(14, ipId & 0xff);
    key.put8(15, ipId >> 8);
    return true;
  }

  let next = ip + hlen;
  if (proto === AH) {
    ctx.encaps |= 0x80;
    if (ctx.captured(next, 16)) {
      proto = ctx.u8(next);
      next += 16;
    }
  }
  ctx.up = next;

  // Behind AH these keys keep the IP header's protocol (AH), as argus's do.
  const ipProto = ctx.u8(ip + 9);
  switch (proto) {
    case ICMP:
      return buildIcmpKey(ctx, key, src, dst, ipProto);
    case ESP:
      return buildEspKey(ctx, key, src, dst, ipProto);
    case IGMP:
      return buildIgmpKey(ctx, key, ip, src, dst, ipProto);
  }

  let sport = 0;
  let dport = 0;
  if (proto === TCP) {
    if (len >= 20 && ctx.captured(next, 4)) {
      sport = ctx.u16(next);
      dport = ctx.u16(next + 2);
    }
  } else if (proto === UDP) {
    if (len >= 8) {
      if (ctx.captured(next, 4)) {
        sport = ctx.u16(next);
        dport = ctx.u16(next + 2);
      }
      if (sport === 53 || dport === 53) {
        // The DNS id joins the key (argus keeps it in the mask bytes,
        // low byte first), so each transaction is its own flow.
        key.put8(14, ctx.u8(next + 9));
        key.put8(15, ctx.u8(next + 8));
      }
    }
  }
  const reverse = src > dst || (src === dst && sport > dport);
  if (reverse) {
    key.reversed = true;
    key.subtype |= FlowSubtype.REVERSE;
  }
  key.put32(0, reverse ? dst : src);
  key.put32(4, reverse ? src : dst);
  key.put8(8, proto);
  key.put16(10, reverse ? dport : sport);
  key.put16(12, reverse ? sport : dport);
  return true;
}

const ICMP_ECHOREPLY = 0;
const ICMP_UNREACH = 3;
const ICMP_REDIRECT = 5;
const ICMP_ECHO = 8;
const ICMP_TSTAMP = 13;
const ICMP_TSTAMPREPLY = 14;
const ICMP_IREQ = 15;
const ICMP_IREQREPLY = 16;
const ICMP_MASKREQ = 17;
const ICMP_MASKREPLY = 18;

/** Whether an ICMP type is informational (a request or a reply). */
export function icmpInfoType(type: number): boolean {
  return type === ICMP_ECHOREPLY || type === ICMP_ECHO ||
    (type >= ICMP_TSTAMP && type <= ICMP_MASKREPLY);
}

function buildIcmpKey(
  ctx: PacketContext,
  key: FlowKey,
  src: number,
  dst: number,
  proto: number,
): boolean {
  const icmp = ctx.up;
  if (!ctx.captured(icmp, 1)) return false;
  let type = ctx.u8(icmp);
  let reverse = false;
  let tpP = 0;
  // id and ip_id are two little-endian shorts, or four raw address bytes.
  let idLo = 0, idHi = 0, seqLo = 0, seqHi = 0;
  if (icmpInfoType(type)) {
    switch (type) {
      case ICMP_ECHOREPLY:
      case ICMP_ECHO:
        reverse = type === ICMP_ECHOREPLY;
        type = ICMP_ECHO;
        if (ctx.captured(icmp + 4, 2)) {
          idLo = ctx.u8(icmp + 5);
          idHi = ctx.u8(icmp + 4);
        }
        if (ctx.captured(icmp + 6, 2)) {
          seqLo = ctx.u8(icmp + 7);
          seqHi = ctx.u8(icmp + 6);
        }
        break;
      case ICMP_TSTAMPREPLY:
      case ICMP_TSTAMP:
        reverse = type === ICMP_TSTAMPREPLY;
        type = ICMP_TSTAMP;
        break;
      case ICMP_IREQREPLY:
      case ICMP_IREQ:
        reverse = type === ICMP_IREQREPLY;
        type = ICMP_IREQ;
        break;
      case ICMP_MASKREPLY:
      case ICMP_MASKREQ:
        reverse = type === ICMP_MASKREPLY;
        type = ICMP_MASKREQ;
        break;
    }
  }
  let code = 0;
  if (!icmpInfoType(ctx.u8(icmp)) && ctx.captured(icmp + 1, 1)) {
    code = ctx.u8(icmp + 1);
    const oip = icmp + 8;
    if (ctx.captured(oip, 20)) {
      const dstBytes = () => {
        idLo = ctx.u8(oip + 16);
        idHi = ctx.u8(oip + 17);
        seqLo = ctx.u8(oip + 18);
        seqHi = ctx.u8(oip + 19);
      };
      if (type === ICMP_UNREACH) {
        if (code === 2) {
          idLo = ctx.u8(oip + 9);
        } else if (code === 3) {
          const ohlen = (ctx.u8(oip) & 0x0f) << 2;
          tpP = ctx.u8(oip + 9);
          const dport = ctx.u16(oip + ohlen + 2);
          idLo = dport & 0xff;
          idHi = dport >> 8;
        } else if (code === 0 || code === 1) {
          dstBytes();
        }
      } else if (type === ICMP_REDIRECT) {
        if (code === 2 || code === 3) tpP = ctx.u8(oip + 1);
        else if (code === 0 || code === 1) dstBytes();
      }
    }
  }
  key.reversed = reverse;
  if (reverse) key.qual |= FlowQual.DIRECTION;
  key.put32(0, reverse ? dst : src);
  key.put32(4, reverse ? src : dst);
  key.put8(8, proto);
  key.put8(9, tpP);
  key.put8(10, type);
  key.put8(11, code);
  key.put8(12, idLo);
  key.put8(13, idHi);
  key.put8(14, seqLo);
  key.put8(15, seqHi);
  return true;
}

function buildEspKey(
  ctx: PacketContext,
  key: FlowKey,
  src: number,
  dst: number,
  proto: number,
): boolean {
  const esp = ctx.up;
  if (!ctx.captured(esp, 8)) return false;
  key.put32(0, src);
  key.put32(4, dst);
  key.put8(8, proto);
  key.put32(12, ctx.u32(esp));
  return true;
}

function buildIgmpKey(
  ctx: PacketContext,
  key: FlowKey,
  ip: number,
  src: number,
  dst: number,
  proto: number,
): boolean {
  const igmp = ctx.up;
  // argus checks four bytes but reads the group address (bytes 4..7) too.
  if (!ctx.captured(igmp, 4)) return false;
  const type = ctx.u8(igmp);
  const group = ctx.captured(igmp + 4, 4) ? ctx.u32(igmp + 4) : 0;
  // A general query (group 0) keeps its IP destination; everything else is
  // keyed on the group.
  const keyDst = type === 0x11 && group === 0 ? dst : group;
  key.put32(0, src);
  key.put32(4, keyDst);
  key.put8(8, proto);
  key.put8(10, type);
  key.put8(11, ctx.u8(igmp + 1));
  key.put16(14, ctx.u16(ip + 4));
  return true;
}
