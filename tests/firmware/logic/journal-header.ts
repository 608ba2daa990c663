// The journal's page header read as firmware/README.md's table has it, independently of the
// firmware's own reader: null unless magic, version and CRC hold.
import { crc32Str } from "./fake-flash";

export interface HeaderFields {
  trusted: number;
  gen: number;
  erases: number;
  seq: number;
  acked: number;
  boot: number;
  session: number;
  anchor: number;
  uptime: number;
}

export function readHeader(s: string | undefined): HeaderFields | null {
  if (s === undefined || s.length < 40 || s.substr(0, 3) !== "VJ\x01") return null;
  const b = Buffer.from(s, "latin1");
  let c = crc32Str(s.substr(0, 36)) >>> 0;
  if (c === 0xffffffff) c = 0xfffffffe;
  if (c !== b.readUInt32BE(36)) return null;
  const f = [4, 8, 12, 16, 20, 24, 28, 32].map((at) => b.readUInt32BE(at));
  return { trusted: s.charCodeAt(3), gen: f[0], erases: f[1], seq: f[2], acked: f[3], boot: f[4], session: f[5], anchor: f[6], uptime: f[7] };
}
