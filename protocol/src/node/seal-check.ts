// The CRC, device key and tag checks of verify-up.ts for a frame whose body is already
// read: same order, same reasons and messages. Throws a Rejection (frame/reject.ts).
import type { Hashing } from "../frame/types";
import { crcMatches, tagMatches } from "../frame/seal";
import { reject } from "../frame/reject";

export function sealMatches(bytes: Uint8Array, device: string, keyFor: (device: string) => Uint8Array | null, h: Hashing): void {
  if (!crcMatches(bytes, h)) reject("bad-crc", "CRC-32 mismatch");
  const key = keyFor(device);
  if (!key) reject("unknown-device", "no secret for device " + device);
  if (!tagMatches(bytes, key as Uint8Array, h)) reject("bad-tag", "authentication tag mismatch for device " + device);
}
