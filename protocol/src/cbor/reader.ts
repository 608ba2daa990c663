// Minimal strict CBOR reader for frames coming down to a board. It accepts exactly what
// writer.ts produces: shortest-form heads, definite lengths, no tags, no floats, map keys
// unsigned and strictly ascending, ASCII text. Anything else is an error, never a guess.
// Nesting is bounded so hostile input cannot exhaust the stack.
import type { Item, IntMap } from "./item";

export type ReadResult = { ok: true; value: Item } | { ok: false; truncated: boolean; message: string };

interface Cursor {
  b: Uint8Array;
  p: number;
}

const MAX_DEPTH = 4;
const TRUNCATED = "truncated";

function byte(c: Cursor): number {
  if (c.p >= c.b.length) throw TRUNCATED;
  return c.b[c.p++];
}

/** Reads the argument of a head whose low five bits are `info`; insists on the shortest form. */
function readArg(c: Cursor, info: number): number {
  if (info < 24) return info;
  let v: number;
  if (info === 24) {
    v = byte(c);
    if (v < 24) throw "non-shortest integer";
  } else if (info === 25) {
    v = byte(c) * 0x100 + byte(c);
    if (v < 0x100) throw "non-shortest integer";
  } else if (info === 26) {
    v = byte(c) * 0x1000000 + byte(c) * 0x10000 + byte(c) * 0x100 + byte(c);
    if (v < 0x10000) throw "non-shortest integer";
  } else throw "unsupported head " + info;
  return v;
}

function need(c: Cursor, n: number): void {
  if (n > c.b.length - c.p) throw TRUNCATED;
}

function readItem(c: Cursor, depth: number): Item {
  const ib = byte(c);
  const major = ib >> 5;
  const info = ib & 31;
  if (major === 7) {
    if (ib === 0xf4) return false;
    if (ib === 0xf5) return true;
    if (ib === 0xf6) return null;
    throw "unsupported simple value or float";
  }
  if (major === 6) throw "tags are not used";
  const arg = readArg(c, info);
  if (major === 0) return arg;
  if (major === 1) return -1 - arg;
  if (major === 2) {
    need(c, arg);
    const out = c.b.subarray(c.p, c.p + arg);
    c.p += arg;
    return out;
  }
  if (major === 3) {
    need(c, arg);
    let s = "";
    for (let i = 0; i < arg; i++) {
      const ch = c.b[c.p + i];
      if (ch < 0x20 || ch > 0x7e) throw "text is not printable ASCII";
      s += String.fromCharCode(ch);
    }
    c.p += arg;
    return s;
  }
  if (depth >= MAX_DEPTH) throw "nested too deep";
  if (major === 4) {
    need(c, arg); // every item takes at least one byte
    const arr: Item[] = [];
    for (let i = 0; i < arg; i++) arr.push(readItem(c, depth + 1));
    return arr;
  }
  // major 5: map with unsigned integer keys, strictly ascending
  need(c, arg * 2);
  const m: IntMap = { keys: [], vals: [] };
  let last = -1;
  for (let i = 0; i < arg; i++) {
    const k = readItem(c, depth + 1);
    if (typeof k !== "number" || k < 0) throw "map key is not an unsigned integer";
    if (k <= last) throw "map keys not strictly ascending";
    last = k;
    m.keys.push(k);
    m.vals.push(readItem(c, depth + 1));
  }
  return m;
}

/** Decodes exactly one item spanning all of `bytes`. Never throws. */
export function decodeItem(bytes: Uint8Array): ReadResult {
  const c: Cursor = { b: bytes, p: 0 };
  try {
    const value = readItem(c, 0);
    if (c.p !== bytes.length) return { ok: false, truncated: false, message: "trailing bytes after the item" };
    return { ok: true, value: value };
  } catch (e) {
    if (e === TRUNCATED) return { ok: false, truncated: true, message: "input ends inside an item" };
    return { ok: false, truncated: false, message: typeof e === "string" ? e : String(e) };
  }
}
