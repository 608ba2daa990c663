// Character-class checks by walking char codes (Espruino regexes lack counted quantifiers).
// One walker and small per-class predicates keep this tiny on the board.

function every(s: unknown, min: number, max: number, ok: (c: number) => boolean): boolean {
  if (typeof s !== "string" || s.length < min || s.length > max) return false;
  for (let i = 0; i < s.length; i++) if (!ok(s.charCodeAt(i))) return false;
  return true;
}

function digit(c: number): boolean {
  return c > 47 && c < 58;
}

/** Every character is printable ASCII (0x20..0x7e) and the length is within [min, max]. */
export function isPrintable(s: unknown, min: number, max: number): boolean {
  return every(s, min, max, (c) => c > 31 && c < 127);
}

/** Exactly `len` decimal digits. */
export function isDigits(s: unknown, len: number): boolean {
  return every(s, len, len, digit);
}

/** Exactly `len` lowercase hex digits. */
export function isLowerHex(s: unknown, len: number): boolean {
  return every(s, len, len, (c) => digit(c) || (c > 96 && c < 103));
}

/** [A-Za-z0-9._-], length within [min, max]: safe inside one MQTT topic level. */
export function isToken(s: unknown, min: number, max: number): boolean {
  return every(s, min, max, (c) => digit(c) || (c > 64 && c < 91) || (c > 96 && c < 123) || c === 46 || c === 95 || c === 45);
}

/** A device id that is also safe inside an MQTT topic level: [A-Za-z0-9._-], 1..64. */
export function isDeviceId(s: unknown): boolean {
  return isToken(s, 1, 64);
}

/** An integer in [min, max] (no Number.isInteger on the board). */
export function isIntIn(v: unknown, min: number, max: number): boolean {
  return typeof v === "number" && v >= min && v <= max && Math.floor(v) === v;
}

export const U32 = 0xffffffff;
