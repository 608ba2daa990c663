// Board-safe cryptographic and byte helpers, one import for firmware and gateway alike.
import { crc32 } from "./crc32";
import { sha256 } from "./sha256";
import type { Hashing } from "../frame/types";

export { crc32, crc32Range } from "./crc32";
export { sha256 } from "./sha256";
export { hmacSha256 } from "./hmac";
export { bytesEqual, toHex, fromHex, bytesFromString, stringFromBytes, concatBytes, getU32, putU32 } from "./bytes";

/** The pure-JavaScript Hashing: what a board uses when it has no native SHA256. */
export const pureHashing: Hashing = { sha256: sha256, crc32: crc32 };
