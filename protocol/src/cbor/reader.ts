// Minimal strict CBOR reader for frames coming down to a board. It accepts exactly what
// writer.ts produces: shortest-form heads, definite lengths, no tags, no floats, map keys
// unsigned and strictly ascending, ASCII text. Anything else is an error, never a guess.
// Because every accepted item has exactly one spelling, an item read here re-encodes to
// the same bytes. Nesting is bounded so hostile input cannot exhaust the stack. Messages
// are short: they travel in the board's bundle.
import type { Item, IntMap } from "./item";

export type ReadResult = { ok: true; value: Item } | { ok: false; truncated: boolean; message: string };

const MAX_DEPTH = 4;
const TRUNCATED = "truncated";

/** Decodes exactly one item spanning all of `bytes`. Never throws. */
export function decodeItem(bytes: Uint8Array): ReadResult {
  // The read position and the item reader are locals of this call (one-byte names on the board).
  let p = 0;
  const need = (n: number) => {
    if (n > bytes.length - p) throw TRUNCATED;
  };
  const readItem = (depth: number): Item => {
    need(1);
    const ib = bytes[p++];
    const major = ib >> 5;
    if (major === 7) {
      if (ib === 0xf4) return false;
      if (ib === 0xf5) return true;
      if (ib === 0xf6) return null;
      throw "bad simple";
    }
    if (major === 6) throw "tag";
    // The head's argument: in the low five bits, or in the 1, 2 or 4 bytes after (shortest form only).
    let arg = ib & 31;
    if (arg >= 24) {
      if (arg > 26) throw "bad head";
      const n = 1 << (arg - 24);
      arg = 0;
      need(n);
      for (let i = 0; i < n; i++) arg = arg * 256 + bytes[p++];
      if (arg < (n === 1 ? 24 : 1 << (n * 4))) throw "long head";
    }
    if (major < 2) return major === 0 ? arg : -1 - arg;
    if (major < 4) {
      need(arg);
      const sub = bytes.subarray(p, p + arg);
      p += arg;
      if (major === 2) return sub;
      let s = "";
      for (let i = 0; i < arg; i++) {
        const ch = sub[i];
        if (ch < 0x20 || ch > 0x7e) throw "bad text";
        s += String.fromCharCode(ch);
      }
      return s;
    }
    if (depth >= MAX_DEPTH) throw "too deep";
    need(major === 4 ? arg : arg * 2); // every item takes at least one byte
    if (major === 4) {
      const arr: Item[] = [];
      for (let i = 0; i < arg; i++) arr.push(readItem(depth + 1));
      return arr;
    }
    // major 5: map with unsigned integer keys, strictly ascending
    const m: IntMap = { keys: [], vals: [] };
    let last = -1;
    for (let i = 0; i < arg; i++) {
      const k = readItem(depth + 1);
      if (typeof k !== "number" || k <= last) throw "bad key";
      last = k;
      m.keys.push(k);
      m.vals.push(readItem(depth + 1));
    }
    return m;
  };
  try {
    const value = readItem(0);
    if (p !== bytes.length) return { ok: false, truncated: false, message: "trailing bytes" };
    return { ok: true, value: value };
  } catch (e) {
    return { ok: false, truncated: e === TRUNCATED, message: String(e) };
  }
}
