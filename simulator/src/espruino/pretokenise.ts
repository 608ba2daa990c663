// Reads a pretokenised upload file as Espruino 2v29's lexer does, giving back plain JavaScript
// for the subset gate and for evaluation. espruino-tools' pretokenise step stores keywords and
// multi-character operators as single bytes 0x8A..0xC6 (`_LEX_OPERATOR1_START` = 138 in jslex),
// `??` as 0xD0 and, in its newer mode, length-prefixed strings and small integers as
// 0xD1..0xD5. Inside string, template and regex literals the lexer reads bytes as they are, so
// those are copied untouched; any other byte >= 0x80 would be a token the lexer does not know.

const OPERATOR_START = 0x8a;

/** Token texts from 0x8A in the order of jslex.h's LEX_TYPES (2v29): operators, then reserved words. */
export const PRETOKENISED_TOKENS: readonly string[] = [
  "==", "===", "!=", "!==", "<=", "<<", "<<=", ">=", ">>", ">>>", ">>=", ">>>=", "+=", "-=", "++", "--",
  "*=", "/=", "%=", "&=", "&&", "|=", "||", "^=", "=>",
  "if", "else", "do", "while", "for", "break", "continue", "function", "return", "var", "let", "const",
  "this", "throw", "try", "catch", "finally", "true", "false", "null", "undefined", "new", "in",
  "instanceof", "switch", "case", "default", "delete", "typeof", "void", "debugger", "class", "extends",
  "super", "static", "of",
];

const LEX_NULLISH = 0xd0;
const LEX_RAW_STRING8 = 0xd1;
const LEX_RAW_STRING16 = 0xd2;
const LEX_RAW_INT0 = 0xd3;
const LEX_RAW_INT8 = 0xd4;
const LEX_RAW_INT16 = 0xd5;

/** Tokens after which `/` divides rather than starting a regex (as jslex decides). */
const VALUE_TOKENS = new Set(["this", "true", "false", "null", "undefined", "super"]);

export class PretokenisedSourceError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
    this.name = "PretokenisedSourceError";
  }
}

/** Escapes a raw string token's bytes as an ASCII JavaScript string literal. */
function stringLiteral(bytes: string): string {
  let out = '"';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) out += "\\" + bytes[i];
    else if (c >= 0x20 && c < 0x7f) out += bytes[i];
    else out += "\\x" + c.toString(16).padStart(2, "0");
  }
  return out + '"';
}

const isWordChar = (ch: string) => /[A-Za-z0-9_$]/.test(ch);

/**
 * Plain JavaScript equivalent to a (possibly) pretokenised upload: the same token stream the
 * board's lexer produces. Each expanded token is set off by spaces, which never changes the
 * meaning of JavaScript outside literals (no newline is added, so no semicolon is inserted).
 * Text without bytes >= 0x80 comes back unchanged. Throws PretokenisedSourceError on a byte the
 * lexer has no token for, a character above 0xFF (the file was not read as bytes, e.g. as
 * UTF-8) or a raw token cut short.
 */
export function detokenise(code: string): string {
  if (!/[\x80-\uffff]/.test(code)) return code;
  let out = "";
  // what the last significant token was, to tell a regex `/` from a division
  let lastIsValue = false;
  let i = 0;
  const n = code.length;
  const emitToken = (text: string, isValue: boolean) => {
    out += " " + text + " ";
    lastIsValue = isValue;
  };
  while (i < n) {
    const c = code.charCodeAt(i);
    if (c > 0xff) throw new PretokenisedSourceError("character above 0xFF (read the upload file as latin1 bytes)", i);
    if (c >= 0x80) {
      if (c >= OPERATOR_START && c < OPERATOR_START + PRETOKENISED_TOKENS.length) {
        const text = PRETOKENISED_TOKENS[c - OPERATOR_START];
        emitToken(text, VALUE_TOKENS.has(text));
        i++;
      } else if (c === LEX_NULLISH) {
        emitToken("??", false);
        i++;
      } else if (c === LEX_RAW_STRING8 || c === LEX_RAW_STRING16) {
        const head = c === LEX_RAW_STRING8 ? 2 : 3;
        if (i + head > n) throw new PretokenisedSourceError("raw string token cut short", i);
        const len = c === LEX_RAW_STRING8 ? code.charCodeAt(i + 1) : code.charCodeAt(i + 1) | (code.charCodeAt(i + 2) << 8);
        if (i + head + len > n) throw new PretokenisedSourceError("raw string token cut short", i);
        emitToken(stringLiteral(code.substring(i + head, i + head + len)), true);
        i += head + len;
      } else if (c === LEX_RAW_INT0) {
        emitToken("0", true);
        i++;
      } else if (c === LEX_RAW_INT8 || c === LEX_RAW_INT16) {
        const size = c === LEX_RAW_INT8 ? 1 : 2;
        if (i + size >= n) throw new PretokenisedSourceError("raw integer token cut short", i);
        const raw = size === 1 ? code.charCodeAt(i + 1) : code.charCodeAt(i + 1) | (code.charCodeAt(i + 2) << 8);
        const value = size === 1 ? (raw << 24) >> 24 : (raw << 16) >> 16;
        emitToken(String(value), true);
        i += 1 + size;
      } else {
        throw new PretokenisedSourceError(`byte 0x${c.toString(16)} is no token of the 2v29 lexer`, i);
      }
      continue;
    }
    const ch = code[i];
    if (ch === '"' || ch === "'") {
      const end = skipQuoted(code, i);
      out += code.substring(i, end);
      i = end;
      lastIsValue = true;
    } else if (ch === "`") {
      const end = skipTemplate(code, i);
      out += code.substring(i, end);
      i = end;
      lastIsValue = true;
    } else if (ch === "/" && code[i + 1] === "/") {
      const nl = code.indexOf("\n", i);
      const end = nl < 0 ? n : nl;
      out += code.substring(i, end);
      i = end;
    } else if (ch === "/" && code[i + 1] === "*") {
      const close = code.indexOf("*/", i + 2);
      const end = close < 0 ? n : close + 2;
      out += code.substring(i, end);
      i = end;
    } else if (ch === "/" && !lastIsValue) {
      const end = skipRegex(code, i);
      out += code.substring(i, end);
      i = end;
      lastIsValue = true;
    } else if (isWordChar(ch)) {
      let end = i + 1;
      while (end < n && isWordChar(code[end])) end++;
      const word = code.substring(i, end);
      out += word;
      i = end;
      lastIsValue = VALUE_TOKENS.has(word) || !PRETOKENISED_TOKENS.includes(word);
    } else {
      out += ch;
      i++;
      if (!/\s/.test(ch)) lastIsValue = ch === ")" || ch === "]";
    }
  }
  return out;
}

/** End (exclusive) of the '...' or "..." literal starting at `start`. */
function skipQuoted(code: string, start: number): number {
  const q = code[start];
  let i = start + 1;
  while (i < code.length && code[i] !== q) i += code[i] === "\\" ? 2 : 1;
  return Math.min(i + 1, code.length);
}

/** End of the template literal at `start`, nesting `${ }` as the board's lexer does. */
function skipTemplate(code: string, start: number): number {
  let nesting = 0;
  let i = start + 1;
  let last = "`";
  while (i < code.length && (code[i] !== "`" || nesting)) {
    const ch = code[i];
    if (ch === "\\") {
      i += 2;
      last = "";
      continue;
    }
    if ((last === "$" || nesting) && ch === "{") nesting++;
    else if (nesting && ch === "}") nesting--;
    last = ch;
    i++;
  }
  return Math.min(i + 1, code.length);
}

/** End of the regex literal at `start`: to the closing `/` outside a class, then its flags. */
function skipRegex(code: string, start: number): number {
  let i = start + 1;
  let inClass = false;
  while (i < code.length) {
    const ch = code[i];
    if (ch === "\\") {
      i += 2;
      continue;
    }
    if (ch === "\n") break;
    if (ch === "[") inClass = true;
    else if (ch === "]") inClass = false;
    else if (ch === "/" && !inClass) break;
    i++;
  }
  i++;
  while (i < code.length && /[a-z]/.test(code[i])) i++;
  return Math.min(i, code.length);
}
