// Shared test vectors: real-looking packs with correct check digits.
import type { CodeResult } from "../../../protocol/src/code";

export const GS = "\x1d";

/** GS1's own example GTIN and a few more, check digits computed by hand (weights 3,1 from the right). */
export const GTIN_EXAMPLE = "09506000134352";
export const GTIN_STABILO = "04006381333931";
export const GTIN_CN = "06901234567892";

/** The 20-digit code as printed on a box, and without its space. */
export const CN20_PRINTED = "8385793 0000879766660";
export const CN20 = "83857930000879766660";

/** Independent mod-10 check digit (not the module's) for generated GTINs. */
export function checkDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const fromRight = body.length - i;
    sum += Number(body[i]) * (fromRight % 2 === 1 ? 3 : 1);
  }
  return String((10 - (sum % 10)) % 10);
}

/** The rejection reason, or "ok". */
export function reasonOf(r: CodeResult): string {
  return r.ok ? "ok" : r.reason;
}
