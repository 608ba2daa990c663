// Character-class checks by walking char codes (Espruino regexes lack counted quantifiers).

/** Every character is printable ASCII (0x20..0x7e) and the length is within [min, max]. */
export function isPrintable(s: unknown, min: number, max: number): boolean {
  if (typeof s !== "string" || s.length < min || s.length > max) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** Exactly `len` decimal digits. */
export function isDigits(s: unknown, len: number): boolean {
  if (typeof s !== "string" || s.length !== len) return false;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Exactly `len` lowercase hex digits. */
export function isLowerHex(s: unknown, len: number): boolean {
  if (typeof s !== "string" || s.length !== len) return false;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/** A device id that is also safe inside an MQTT topic level: [A-Za-z0-9._-], 1..64. */
export function isDeviceId(s: unknown): boolean {
  if (typeof s !== "string" || s.length < 1 || s.length > 64) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 95 || c === 45;
    if (!ok) return false;
  }
  return true;
}

/** An integer in [min, max] (no Number.isInteger on the board). */
export function isIntIn(v: unknown, min: number, max: number): boolean {
  return typeof v === "number" && v >= min && v <= max && Math.floor(v) === v;
}

export const U32 = 0xffffffff;
