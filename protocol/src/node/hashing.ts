// Node's native hashing behind the shared Hashing interface. zlib.crc32 exists from
// Node 20.15 / 22.2; older runtimes fall back to the pure implementation.
import { createHash } from "node:crypto";
import * as zlib from "node:zlib";
import { crc32 as pureCrc32 } from "../crypto/crc32";
import type { Hashing } from "../frame/types";

type ZlibCrc = (data: Uint8Array, value?: number) => number;
const zlibCrc32: ZlibCrc | undefined = (zlib as unknown as { crc32?: ZlibCrc }).crc32;

export const nodeHashing: Hashing = {
  sha256: (data: Uint8Array): Uint8Array => new Uint8Array(createHash("sha256").update(data).digest()),
  crc32: zlibCrc32 ? (data: Uint8Array): number => zlibCrc32(data) >>> 0 : pureCrc32,
};
