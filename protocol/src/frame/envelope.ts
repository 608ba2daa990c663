// Checks shared by every decoder: the size limit before any parsing, then the outer array
// (version, type, count, the fixed CRC and tag slots at the end), then CRC and tag.
import type { Item } from "../cbor/item";
import type { Hashing } from "./types";
import { FRAME_VERSION, MAX_FRAME_BYTES } from "./types";
import { CRC_BYTES, CRC_HEAD, SEAL_BYTES, TAG_BYTES, TAG_HEAD } from "./layout";
import { crcMatches, tagMatches } from "./seal";
import { bad, reject } from "./reject";
import { charsIn, TOKEN } from "./text";

/** Smallest conceivable frame: array head, version, type, one-char device, the seal. */
const MIN_FRAME_BYTES = 5 + SEAL_BYTES;

export function checkSize(bytes: Uint8Array): void {
  if (!(bytes instanceof Uint8Array)) bad("input");
  if (bytes.length === 0) reject("empty", "empty");
  if (bytes.length > MAX_FRAME_BYTES) reject("too-large", "> " + MAX_FRAME_BYTES + " bytes");
  if (bytes.length < MIN_FRAME_BYTES) reject("truncated", "short");
}

/** Validates the outer array of a decoded frame; returns its frame type. */
export function checkOuter(bytes: Uint8Array, tree: Item, allowedTypes: number[], counts: number[]): number {
  if (!Array.isArray(tree) || tree.length < 3) return bad("frame");
  if (tree[0] !== FRAME_VERSION) reject("bad-version", "version " + tree[0]);
  const type = allowedTypes.indexOf(tree[1] as number);
  if (type < 0) reject("bad-type", "type " + tree[1]);
  if (tree.length !== counts[type]) bad("item count");
  const crc = tree[tree.length - 2];
  const tag = tree[tree.length - 1];
  const n = bytes.length;
  if (!(crc instanceof Uint8Array) || crc.length !== CRC_BYTES || bytes[n - SEAL_BYTES] !== CRC_HEAD) bad("crc slot");
  if (!(tag instanceof Uint8Array) || tag.length !== TAG_BYTES || bytes[n - TAG_BYTES - 1] !== TAG_HEAD) bad("tag slot");
  if (!charsIn(tree[2], 1, 64, TOKEN)) bad("device");
  return tree[1] as number;
}

export function checkSeal(bytes: Uint8Array, key: Uint8Array, h: Hashing): void {
  if (!crcMatches(bytes, h)) reject("bad-crc", "crc mismatch");
  if (!tagMatches(bytes, key, h)) reject("bad-tag", "tag mismatch");
}

/** The frame must be the canonical encoding of what it decoded to (seal excluded). */
export function checkCanonical(bytes: Uint8Array, again: Uint8Array): void {
  const n = bytes.length - SEAL_BYTES;
  let same = again.length === bytes.length;
  for (let i = 0; same && i < n; i++) if (again[i] !== bytes[i]) same = false;
  if (!same) reject("bad-structure", "not canonical");
}
