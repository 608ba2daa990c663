// E.CRC32 on the board is zlib's CRC-32; Node ships the same function.
import { crc32 } from "node:zlib";

export function zlibCrc32(bytes: Uint8Array): number {
  return crc32(bytes) >>> 0;
}
