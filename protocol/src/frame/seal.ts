// The CRC-32 and the tag at the end of every frame, filled in place after encoding.
//   crc = CRC-32 of every byte before the CRC item
//   tag = first 16 bytes of HMAC-SHA256(device secret, every byte before the tag item)
// Checking the CRC first tells line noise ("bad-crc") apart from a wrong key or a forgery
// ("bad-tag") in the gateway's counters.
import type { Hashing } from "./types";
import { hmacSha256 } from "../crypto/hmac";
import { bytesEqual, getU32, putU32 } from "../crypto/bytes";
import { SEAL_BYTES, TAG_BYTES } from "./layout";

function tagOf(bytes: Uint8Array, key: Uint8Array, h: Hashing): Uint8Array {
  return hmacSha256(h.sha256, key, bytes.subarray(0, bytes.length - TAG_BYTES - 1)).subarray(0, TAG_BYTES);
}

/** Fills the zeroed CRC and tag slots of an encoded frame; returns the same array. */
export function sealFrame(bytes: Uint8Array, key: Uint8Array, h: Hashing): Uint8Array {
  const crcAt = bytes.length - SEAL_BYTES + 1;
  const crc = h.crc32(bytes.subarray(0, crcAt - 1));
  putU32(bytes, crcAt, crc);
  bytes.set(tagOf(bytes, key, h), bytes.length - TAG_BYTES);
  return bytes;
}

export function crcMatches(bytes: Uint8Array, h: Hashing): boolean {
  const crcAt = bytes.length - SEAL_BYTES + 1;
  return h.crc32(bytes.subarray(0, crcAt - 1)) >>> 0 === getU32(bytes, crcAt);
}

export function tagMatches(bytes: Uint8Array, key: Uint8Array, h: Hashing): boolean {
  return bytesEqual(tagOf(bytes, key, h), bytes.subarray(bytes.length - TAG_BYTES));
}
