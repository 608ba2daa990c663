// Regular-expression traps: Espruino 2v29's matcher silently never matches a pattern with a
// counted quantifier ({n}, {n,}, {n,m}) or any "(?" group, so these are found by scanning
// the pattern source the way a regex parser would (escapes and [classes] are literal).

export interface RegexProblem {
  rule: "regex-counted-quantifier" | "regex-group-syntax" | "regex-flag";
  message: string;
}

/** Flags the board's matcher understands. */
const SUPPORTED_FLAGS = "gim";

const GROUP_KINDS: Array<[string, string]> = [
  ["(?:", "non-capturing group"],
  ["(?<=", "lookbehind"],
  ["(?<!", "negative lookbehind"],
  ["(?=", "lookahead"],
  ["(?!", "negative lookahead"],
  ["(?<", "named group"],
];

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

/** Length of a counted quantifier `{n}`, `{n,}` or `{n,m}` starting at `i`, or 0. */
function countedQuantifierAt(src: string, i: number): number {
  let j = i + 1;
  if (!isDigit(src[j])) return 0;
  while (isDigit(src[j])) j++;
  if (src[j] === ",") {
    j++;
    while (isDigit(src[j])) j++;
  }
  return src[j] === "}" ? j - i + 1 : 0;
}

export function regexProblems(pattern: string, flags: string): RegexProblem[] {
  const problems: RegexProblem[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      i++; // the escaped character is literal, whatever it is
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") {
      inClass = true;
    } else if (c === "{") {
      const len = countedQuantifierAt(pattern, i);
      if (len) {
        const q = pattern.slice(i, i + len);
        problems.push({ rule: "regex-counted-quantifier", message: `counted quantifier ${q} in /${pattern}/ never matches on Espruino; check lengths in code or use +` });
        i += len - 1;
      }
    } else if (c === "(" && pattern[i + 1] === "?") {
      const kind = GROUP_KINDS.find(([prefix]) => pattern.startsWith(prefix, i));
      const what = kind ? kind[1] : "(? group";
      problems.push({ rule: "regex-group-syntax", message: `${what} in /${pattern}/ is not understood by Espruino's matcher (it never matches); use a plain ( ) group` });
    }
  }
  for (const f of flags) {
    if (!SUPPORTED_FLAGS.includes(f)) {
      problems.push({ rule: "regex-flag", message: `regex flag "${f}" on /${pattern}/ is not supported by Espruino (only ${SUPPORTED_FLAGS.split("").join(", ")})` });
    }
  }
  return problems;
}
