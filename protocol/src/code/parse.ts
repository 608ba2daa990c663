// parseCode: one scanner read in, one trace code or one reason out. Never throws.
//
// Order of decisions:
// 1. empty / control bytes / absurdly long -> empty / garbage / not-a-code;
// 2. the same code twice in one line (the reader fired twice on one box) is accepted as
//    that one code: both halves name the same box, so nothing is lost or double-counted,
//    and a rescan would only read the same box again. Two DIFFERENT codes in one line are
//    rejected as "garbage" (which box was meant is unknowable);
// 3. AIM identifier, printed "(01)..." form, keyboard-wedge GS, GS1 element string,
//    digits (with printed spacing for the 20-digit code), anything else is not-a-code.
import type { CodeResult } from "./types";
import { GS, isDigits, isPrintable } from "./chars";
import { hasWedgeGs, MAX_READ_CHARS, stripSymbology, trimRead } from "./noise";
import { aiTokenEnd, splitElementString, splitHumanReadable } from "./gs1-split";
import { codeFromFields } from "./gs1";
import { CN20_LENGTH, parseDigits } from "./cn20";
import { reject, TRUNCATED, GARBAGE } from "./messages";

function parseOne(text: string): CodeResult {
  const sym = stripSymbology(text);
  const t = sym.text;
  if (t === "") return reject(TRUNCATED);
  if (sym.id !== "" && t.indexOf(sym.id) >= 0) return reject(GARBAGE, true);
  // The printed form starts with "(" + AI + ")" (so never with a digit).
  const human = aiTokenEnd(t, 0) > 0;
  const digitFirst = isDigits(t.charAt(0));
  if (digitFirst && hasWedgeGs(t)) return reject("lost-separator");
  // GS1 by its identifier, by a GS, or by starting with AI (01) and 14 digits (a bare "01"
  // prefix alone would catch one e-voucher token in a few thousand).
  if (human || sym.gs1 || t.indexOf(GS) >= 0 || (t.slice(0, 2) === "01" && isDigits(t.slice(2, 16)) && t.length >= 16)) {
    const split = human ? splitHumanReadable(t) : splitElementString(t);
    return split.ok ? codeFromFields(split.fields, human) : split;
  }
  // Without identifier or GS, other AIs may come first: "17271231" "0109506000134352" ...
  if (digitFirst) {
    const split = splitElementString(t);
    if (split.ok && split.fields["01"] !== undefined) return codeFromFields(split.fields, false);
  }
  if (isDigits(t)) return parseDigits(t);
  // The printed 20-digit code may carry spaces ("8385793 0000879766660"): drop them only then.
  if (t.indexOf(" ") >= 0) {
    const joined = t.split(" ").join("");
    if (joined.length === CN20_LENGTH && isDigits(joined)) return parseDigits(joined);
  }
  return reject("not-a-code");
}

/** Parses one scanner read (one line from the reader, line ending included or not). */
export function parseCode(raw: string): CodeResult {
  if (raw === undefined || raw === null) return reject("empty");
  if (typeof raw !== "string") return reject(GARBAGE);
  const text = trimRead(raw);
  if (text === "") return reject("empty");
  if (!isPrintable(text)) return reject(GARBAGE);
  if (text.length > MAX_READ_CHARS) return reject("not-a-code");
  const half = text.length >> 1;
  if (text.length % 2 === 0 && text.slice(0, half) === text.slice(half)) {
    const once = parseOne(text.slice(0, half));
    if (once.ok) return once;
  }
  return parseOne(text);
}
