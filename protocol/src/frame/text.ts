// Character-class checks by walking char codes (Espruino regexes lack counted quantifiers).
// One walker over a class given as inclusive ranges ("09af" = 0-9 or a-f). Board-side code
// calls charsIn with a class below; the named checks are for the gateway (on the board every
// function costs RAM for as long as it runs).

/** Printable ASCII, 0x20..0x7e. */
export const PRINTABLE = " ~";
export const DIGITS = "09";
export const LOWER_HEX = "09af";
/** [A-Za-z0-9._-]: safe inside one MQTT topic level. */
export const TOKEN = "09AZaz..__--";

/** Every character is in the class `ranges` and the length is within [min, max]. */
export function charsIn(s: unknown, min: number, max: number, ranges: string): boolean {
  if (typeof s !== "string" || s.length < min || s.length > max) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let ok = false;
    for (let r = 0; r < ranges.length && !ok; r += 2) ok = c >= ranges.charCodeAt(r) && c <= ranges.charCodeAt(r + 1);
    if (!ok) return false;
  }
  return true;
}

/** Every character is printable ASCII (0x20..0x7e) and the length is within [min, max]. */
export function isPrintable(s: unknown, min: number, max: number): boolean {
  return charsIn(s, min, max, PRINTABLE);
}

/** Exactly `len` decimal digits. */
export function isDigits(s: unknown, len: number): boolean {
  return charsIn(s, len, len, DIGITS);
}

/** Exactly `len` lowercase hex digits. */
export function isLowerHex(s: unknown, len: number): boolean {
  return charsIn(s, len, len, LOWER_HEX);
}

/** [A-Za-z0-9._-], length within [min, max]: safe inside one MQTT topic level. */
export function isToken(s: unknown, min: number, max: number): boolean {
  return charsIn(s, min, max, TOKEN);
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
