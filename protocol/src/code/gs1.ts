// Turns the fields of one GS1 element string into a pack (GTIN + serial), or says why not.
import type { CodeResult, TraceCode } from "./types";
import { isCset82 } from "./chars";
import { isValidGtin } from "./gtin";
import { isGs1Date } from "./date";
import { reject, GARBAGE } from "./messages";
import { Gs1Fields, splitElementString } from "./gs1-split";

/** Longest batch (AI 10) or serial (AI 21) GS1 allows. */
export const MAX_GS1_FIELD = 20;

/**
 * True when a variable-length field has swallowed a following field because its GS was
 * dropped or typed as something else ("/", "0029"): the field contains an AI this read
 * lacks, and from there on the rest is itself a well-formed element string with that AI.
 * Medicine packs carry batch and expiry as well as the serial, so a missing (10) or (17)
 * hidden in another field counts too.
 */
function hasSwallowedField(fields: Gs1Fields): boolean {
  for (const holder of ["10", "21"]) {
    const value = fields[holder];
    if (value === undefined) continue;
    for (let p = 1; p < value.length - 2; p++) {
      const ai = value.slice(p, p + 2);
      if ((ai !== "21" && ai !== "10" && ai !== "17") || fields[ai] !== undefined) continue;
      const tail = splitElementString(value.slice(p));
      if (!tail.ok) continue;
      const found = tail.fields[ai];
      if (found !== undefined && (ai !== "17" || isGs1Date(found))) return true;
    }
  }
  return false;
}

/**
 * Builds the pack from split fields. `delimited` is true for the printed form with
 * parentheses, where field boundaries are explicit and no separator can be lost.
 */
export function codeFromFields(fields: Gs1Fields, delimited: boolean): CodeResult {
  const gtin = fields["01"];
  if (gtin === undefined) return reject("missing-gtin");
  if (!isValidGtin(gtin)) return reject("bad-gtin-check");
  const expiry = fields["17"];
  if (expiry !== undefined && !isGs1Date(expiry)) return reject("bad-date");
  if (!delimited && hasSwallowedField(fields)) return reject("lost-separator");
  const batch = fields["10"];
  const serial = fields["21"];
  if ((batch !== undefined && batch.length > MAX_GS1_FIELD) || (serial !== undefined && serial.length > MAX_GS1_FIELD)) {
    return reject("field-too-long");
  }
  if (serial === undefined) return reject("missing-serial");
  if (!isCset82(batch) || !isCset82(serial)) return reject(GARBAGE);
  const code: TraceCode = { kind: "gs1", key: gs1Key(gtin, serial), product: gtin, serial: serial };
  if (batch !== undefined) code.batch = batch;
  if (expiry !== undefined) code.expiry = expiry;
  return { ok: true, code: code };
}

/** The canonical key of a GS1 pack: the same for every spelling of it. */
export function gs1Key(gtin: string, serial: string): string {
  return "(01)" + gtin + "(21)" + serial;
}
