// Page header (40 bytes at offset 0 of every journal page file), big-endian:
//   0  'V' 'J'      magic
//   2  version (1)
//   3  trusted      1 when the clock was gateway-set at page creation
//   4  generation   +1 per page created: orders pages (sequence numbers can tie on empty pages)
//   8  erases       how many times this page file was (re)created: wear accounting
//  12  next seq     the seq the page's first event record takes
//  16  acked        gateway-acked seq at creation
//  20  boot         boot counter at creation
//  24  session      open session's seq at creation (0: none)
//  28  anchor       Unix time at uptime 0 of the current boot
//  32  uptime       uptime of the last record before this page
//  36  CRC-32 of bytes 0..35 (0xFFFFFFFF stored as 0xFFFFFFFE)
// The header snapshots the stream state, so each page decodes on its own and the state
// (seq, acked, boot) survives even when every older page has been reclaimed.
import { u32ToStr, strU32 } from "./bytes";
import type { StreamState, Crc32Str } from "./record-codec";

export const HEADER_BYTES = 40;

/** CRC-32 that is never 0xFFFFFFFF (erased flash), so a torn header never passes. */
function check32(crc: Crc32Str, s: string): number {
  const c = crc(s) >>> 0;
  return c === 0xffffffff ? 0xfffffffe : c;
}
const VERSION = 1;

export interface PageHeader {
  gen: number;
  erases: number;
  state: StreamState;
}

export function encodeHeader(gen: number, erases: number, st: StreamState, crc: Crc32Str): string {
  const body =
    "VJ" +
    String.fromCharCode(VERSION, st.trusted ? 1 : 0) +
    u32ToStr(gen) +
    u32ToStr(erases) +
    u32ToStr(st.seq) +
    u32ToStr(st.acked) +
    u32ToStr(st.boot) +
    u32ToStr(st.session) +
    u32ToStr(st.anchor) +
    u32ToStr(st.uptime);
  return body + u32ToStr(check32(crc, body));
}

/** Null for a missing, torn or foreign header. */
export function decodeHeader(s: string | undefined, crc: Crc32Str): PageHeader | null {
  if (s === undefined || s.length < HEADER_BYTES) return null;
  if (s.charCodeAt(0) !== 86 || s.charCodeAt(1) !== 74 || s.charCodeAt(2) !== VERSION) return null;
  if (check32(crc, s.substr(0, 36)) !== strU32(s, 36)) return null;
  return {
    gen: strU32(s, 4),
    erases: strU32(s, 8),
    state: {
      trusted: s.charCodeAt(3) === 1,
      seq: strU32(s, 12),
      acked: strU32(s, 16),
      boot: strU32(s, 20),
      session: strU32(s, 24),
      anchor: strU32(s, 28),
      uptime: strU32(s, 32),
    },
  };
}
