// cbor-x configured to write exactly the canonical bytes of protocol/src/cbor/writer.ts
// and to read frames without any cbor-x extensions: no record structures, no tags for
// byte strings, maps as Map (their keys are integers), integers never as floats.
import { Encoder, Decoder } from "cbor-x";
import type { Item } from "../cbor/item";
import { isIntMap } from "../cbor/item";

const encoder = new Encoder({ useRecords: false, tagUint8Array: false, mapsAsObjects: false, pack: false, variableMapSize: true } as never);
const decoder = new Decoder({ useRecords: false, mapsAsObjects: false } as never);

/** The item tree in cbor-x's terms: byte strings as Buffer, integer-keyed maps as Map. */
function toCborX(v: Item): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (Array.isArray(v)) return v.map(toCborX);
  if (v !== null && typeof v === "object" && isIntMap(v)) {
    const m = new Map<number, unknown>();
    for (let i = 0; i < v.keys.length; i++) m.set(v.keys[i], toCborX(v.vals[i]));
    return m;
  }
  return v;
}

export function cborxEncode(tree: Item): Uint8Array {
  const out = encoder.encode(toCborX(tree));
  // A private copy: cbor-x may hand out a view of its reusable buffer.
  return new Uint8Array(out);
}

export type CborXRead = { ok: true; value: unknown } | { ok: false; truncated: boolean; message: string };

/** Decodes one item spanning all of `bytes`; cbor-x errors become a result, never a throw. */
export function cborxDecode(bytes: Uint8Array): CborXRead {
  try {
    return { ok: true, value: decoder.decode(bytes) };
  } catch (e) {
    const err = e as { incomplete?: boolean; message?: string };
    return { ok: false, truncated: err && err.incomplete === true, message: String(err && err.message ? err.message : e) };
  }
}

/**
 * A decoded cbor-x value as an item tree, or null when it holds anything the frames never
 * use (floats, tags, undefined, text keys...). Map values keep integer keys in order.
 */
export function fromCborX(v: unknown, depth: number): Item | null {
  if (depth > 4) return null;
  if (typeof v === "number") return Number.isSafeInteger(v) ? v : null;
  if (typeof v === "string" || typeof v === "boolean" || v === null) return v;
  if (v instanceof Uint8Array) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (Array.isArray(v)) {
    const out: Item[] = [];
    for (const x of v) {
      const y = fromCborX(x, depth + 1);
      if (y === null && x !== null) return null;
      out.push(y);
    }
    return out;
  }
  if (v instanceof Map) {
    const keys: number[] = [];
    const vals: Item[] = [];
    for (const [k, x] of v) {
      if (typeof k !== "number" || !Number.isSafeInteger(k) || k < 0) return null;
      const y = fromCborX(x, depth + 1);
      if (y === null && x !== null) return null;
      keys.push(k);
      vals.push(y);
    }
    return { keys, vals };
  }
  return null;
}
