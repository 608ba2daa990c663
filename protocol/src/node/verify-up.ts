// The checks every up frame passes before its fields are read, in order: size limit, CBOR
// (cbor-x), outer array, CRC, device key, tag. Throws a Rejection (see frame/reject.ts).
import type { Hashing } from "../frame/types";
import type { Item } from "../cbor/item";
import { checkOuter, checkSize } from "../frame/envelope";
import { reject } from "../frame/reject";
import { cborxDecode, fromCborX } from "./cbor";
import { sealMatches } from "./seal-check";

export interface VerifiedUp {
  type: number;
  tree: Item[];
}

/** keyFor: the device's secret, or null for a device the gateway does not know. */
export function verifyUp(bytes: Uint8Array, keyFor: (device: string) => Uint8Array | null, h: Hashing, types: number[], counts: number[]): VerifiedUp {
  checkSize(bytes);
  const read = cborxDecode(bytes);
  if (!read.ok) return reject(read.truncated ? "truncated" : "not-cbor", read.message);
  const tree = fromCborX(read.value, 0);
  if (tree === null) return reject("bad-structure", "uses CBOR features frames never use");
  const type = checkOuter(bytes, tree, types, counts);
  const t = tree as Item[];
  sealMatches(bytes, t[2] as string, keyFor, h);
  return { type: type, tree: t };
}
