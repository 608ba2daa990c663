// Splits the two spellings of a GS1 element string into fields by AI:
// - as transmitted: "0109506000134352" "17271231" "10A1B2" GS "21SN123", where predefined-
//   length AIs run into the next AI and the others end at GS or at the end of the read;
// - as printed: "(01)09506000134352(17)271231(10)A1B2(21)SN123".
// Only AIs 01, 10, 17, 21 are kept; the others are skipped by their length.
import { GS, isDigits } from "./chars";
import { predefinedLength } from "./ai-table";
import { reject, Rejection, TRUNCATED, UNKNOWN_AI, GARBAGE } from "./messages";

/** Field values by AI ("01", "10", "17", "21"). */
export type Gs1Fields = { [ai: string]: string };

export type Gs1Split = { ok: true; fields: Gs1Fields } | Rejection;

/** Records one field of the AIs kept (01, 10, 17, 21; others are skipped); the same AI twice with different values means two codes in one read. */
function keep(fields: Gs1Fields, ai: string, value: string): Rejection | null {
  if (ai !== "01" && ai !== "10" && ai !== "17" && ai !== "21") return null;
  const seen = fields[ai];
  if (seen !== undefined && seen !== value) return reject(GARBAGE, true);
  fields[ai] = value;
  return null;
}

/** Splits an element string as a reader transmits it (symbology identifier already removed). */
export function splitElementString(s: string): Gs1Split {
  const fields: Gs1Fields = {};
  const n = s.length;
  let i = 0;
  while (i < n) {
    if (s.charAt(i) === GS) {
      i++; // a leading FNC1, or a GS after a predefined-length field: both allowed
      continue;
    }
    const ai2 = s.slice(i, i + 2);
    if (ai2.length < 2) return reject(isDigits(ai2) ? TRUNCATED : UNKNOWN_AI);
    if (!isDigits(ai2)) return reject(UNKNOWN_AI);
    const fixed = predefinedLength(ai2);
    let err: Rejection | null;
    if (fixed) {
      const end = i + fixed[0] + fixed[1];
      const ai = s.slice(i, i + fixed[0]);
      const value = s.slice(i + fixed[0], end);
      if (end > n || value.indexOf(GS) >= 0) return reject(TRUNCATED);
      if (!isDigits(ai)) return reject(UNKNOWN_AI);
      err = keep(fields, ai, value);
      i = end;
    } else {
      let end = s.indexOf(GS, i);
      if (end < 0) end = n;
      const value = s.slice(i + 2, end);
      if (value === "" && (ai2 === "10" || ai2 === "21")) return reject(TRUNCATED);
      err = keep(fields, ai2, value);
      i = end + 1;
    }
    if (err) return err;
  }
  return { ok: true, fields: fields };
}

/** Index of the ")" closing an AI token "(" + 2..4 digits + ")" starting at i, or -1. */
export function aiTokenEnd(s: string, i: number): number {
  if (s.charAt(i) !== "(") return -1;
  let j = i + 1;
  while (j < s.length && j - i <= 5 && isDigits(s.charAt(j))) j++;
  const digits = j - i - 1;
  return digits >= 2 && digits <= 4 && s.charAt(j) === ")" ? j : -1;
}

/** Splits the printed form; spaces between groups, as some labels print them, are ignored. */
export function splitHumanReadable(printed: string): Gs1Split {
  const s = printed.split(" ").join("");
  const fields: Gs1Fields = {};
  let i = 0;
  while (i < s.length) {
    const close = aiTokenEnd(s, i);
    if (close < 0) return reject(UNKNOWN_AI);
    let next = close + 1;
    while (next < s.length && aiTokenEnd(s, next) < 0) next++;
    const ai = s.slice(i + 1, close);
    const value = s.slice(close + 1, next);
    if (value === "") return reject(TRUNCATED);
    const fixed = predefinedLength(ai);
    if (fixed) {
      if (ai.length !== fixed[0]) return reject(UNKNOWN_AI);
      if (value.length !== fixed[1]) {
        return reject(next >= s.length && value.length < fixed[1] ? TRUNCATED : "bad-length");
      }
    }
    const err = keep(fields, ai, value);
    if (err) return err;
    i = next;
  }
  return { ok: true, fields: fields };
}
