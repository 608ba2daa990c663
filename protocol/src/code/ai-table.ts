// The GS1 table of application identifiers with a predefined length: only these may be
// followed by the next AI without a GS. Every other AI is variable-length and ends at GS
// or at the end of the read (GS1 General Specifications, figure 7.8.5-2).
import { digitsValue, isDigits } from "./chars";

/**
 * For the first two digits of an AI: [AI digits, data characters] when the AI has a
 * predefined length, or null when it is variable-length (or not two digits).
 */
export function predefinedLength(ai2: string): number[] | null {
  if (ai2.length < 2 || !isDigits(ai2.slice(0, 2))) return null;
  const p = digitsValue(ai2, 0, 2);
  if (p === 0) return [2, 18]; // SSCC
  if (p <= 3) return [2, 14]; // GTINs
  if (p === 4) return [2, 16];
  if (p >= 11 && p <= 19) return [2, 6]; // dates
  if (p === 20) return [2, 2];
  if (p >= 31 && p <= 36) return [4, 6]; // measures
  if (p === 41) return [3, 13]; // GLNs
  return null;
}
