// The CBOR data model the frames use, and nothing more: unsigned and negative integers
// (32-bit arguments), byte strings, ASCII text strings, arrays, maps with unsigned
// integer keys, true, false and null. Board-safe (no Map: maps are two parallel arrays).

export interface IntMap {
  keys: number[];
  vals: Item[];
}

export type Item = number | string | boolean | null | Uint8Array | Item[] | IntMap;

export function isIntMap(v: Item): v is IntMap {
  return typeof v === "object" && v !== null && !(v instanceof Uint8Array) && !Array.isArray(v);
}
