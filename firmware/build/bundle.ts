// Step 1: esbuild bundles a board entry into one script for the board's interpreter.
import { build, transform, type Plugin } from "esbuild";
import { parse, tokenizer } from "acorn";
import { simple } from "acorn-walk";
import { reservedMangleCache } from "./reserved-props";
import type { BoardFlags } from "./boards";

/**
 * Bare specifiers (`require("Storage")`, `require("SSD1306")`) are Espruino modules: built
 * into the interpreter or embedded later by espruino-tools, never resolved by esbuild.
 */
const espruinoModulesExternal: Plugin = {
  name: "espruino-modules",
  setup(b) {
    b.onResolve({ filter: /^[A-Za-z@]/ }, (args) => (args.kind === "entry-point" ? undefined : { path: args.path, external: true }));
  },
};

/** protocol/src/board-flags.ts with the board's own values, so unused paths fold away. */
function boardFlagsModule(flags: BoardFlags): Plugin {
  return {
    name: "board-flags",
    setup(b) {
      b.onLoad({ filter: /[\\/]protocol[\\/]src[\\/]board-flags\.ts$/ }, () => ({ contents: `export const HAS_DISPLAY = ${flags.display};\nexport const LARGE_STORAGE = ${flags.largeStorage};\nexport const HAS_NET = ${flags.net};\n`, loader: "ts" }));
    },
  };
}

// What the board's interpreter parses as written (see target below).
const SUPPORTED = {
    "optional-chain": false,
    "nullish-coalescing": true,
    "exponent-operator": true,
    "object-rest-spread": true,
    "async-await": true,
    "async-generator": true,
    generator: true,
    "class-static-blocks": true,
    "class-private-field": true,
    "class-private-method": true,
    "class-private-accessor": true,
    "class-private-static-field": true,
    "class-private-static-method": true,
    "class-private-static-accessor": true,
    "class-private-brand-check": true,
    "class-static-field": false,
  "class-field": false,
};

/* eslint-disable @typescript-eslint/no-explicit-any -- ESTree nodes are walked generically */
/**
 * A constant expression of numbers only (`4096`, `1 << 20`, `-1`, or `1 + CRC_BYTES` when
 * CRC_BYTES is already among `folded`), or `true` / `false`.
 */
function isNumericConstant(n: any, folded: Set<string>): boolean {
  if (n.type === "Literal") return typeof n.value === "number" || typeof n.value === "boolean";
  if (n.type === "Identifier") return folded.has(n.name);
  if (n.type === "UnaryExpression") return (n.operator === "-" || n.operator === "~") && isNumericConstant(n.argument, folded);
  if (n.type === "BinaryExpression") return ["<<", ">>", ">>>", "|", "&", "+", "-", "*"].includes(n.operator) && isNumericConstant(n.left, folded) && isNumericConstant(n.right, folded);
  return false;
}

/**
 * Top-level `var NAME = <numeric or boolean constant>` never assigned anywhere becomes `const`, so that
 * the minifier folds NAME into every use and drops the binding. esbuild bundles modules'
 * `const`s as `var`s and so keeps them: on the board each would be a variable for the whole
 * run (every module-level binding a function closes over is), and its name bytes in the
 * upload. Any assignment to the name anywhere, shadowed or not, keeps the `var`.
 */
export function constifyNumbers(code: string): { code: string; strings: Record<string, string> } {
  const ast = parse(code, { ecmaVersion: 2022, sourceType: "script" }) as any;
  const assigned = new Set<string>();
  const target = (n: any) => {
    if (n && n.type === "Identifier") assigned.add(n.name);
  };
  simple(ast, {
    AssignmentExpression: (n: any) => target(n.left),
    UpdateExpression: (n: any) => target(n.argument),
    ForInStatement: (n: any) => target(n.left),
    ForOfStatement: (n: any) => target(n.left),
  });
  const topCount = new Map<string, number>();
  for (const st of ast.body) {
    if (st.type === "VariableDeclaration") for (const d of st.declarations) if (d.id.type === "Identifier") topCount.set(d.id.name, (topCount.get(d.id.name) ?? 0) + 1);
    if (st.type === "FunctionDeclaration" || st.type === "ClassDeclaration") topCount.set(st.id.name, (topCount.get(st.id.name) ?? 0) + 1);
  }
  // Moved to the top as well: the minifier folds a const only into uses that follow it in the
  // text, and a function declared earlier may read it. Their values reference only literals and
  // constants moved before them (in their original order).
  const consts: string[] = [];
  const folded = new Set<string>();
  const strings: Record<string, string> = {};
  let out = "";
  let at = 0;
  const single = (d: any) => d.id.type === "Identifier" && d.init && !assigned.has(d.id.name) && topCount.get(d.id.name) === 1;
  for (const st of ast.body) {
    if (st.type !== "VariableDeclaration" || st.kind !== "var" || !st.declarations.every(single)) continue;
    if (st.declarations.every((d: any) => isNumericConstant(d.init, folded))) {
      consts.push("const" + code.slice(st.start + 3, st.end));
      for (const d of st.declarations) folded.add(d.id.name);
    }
    else if (st.declarations.every((d: any) => d.init.type === "Literal" && typeof d.init.value === "string" && inlineString(code, d.id.name, d.init.value)))
      for (const d of st.declarations) strings[d.id.name] = JSON.stringify(d.init.value);
    else continue;
    out += code.slice(at, st.start);
    at = st.end;
  }
  return { code: consts.join("\n") + "\n" + out + code.slice(at), strings: strings };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * Whether a string constant is better written at each use: when read once, or when short and
 * its literal at every use costs less than 20 bytes more than one binding read by a two-letter
 * name (the binding and the string stay in RAM for the whole run; a literal in the code lives
 * in flash and is only a variable while an expression holds it).
 */
function inlineString(code: string, name: string, value: string): boolean {
  const uses = (code.match(new RegExp("\\b" + name.replace(/\$/g, "\\$") + "\\b", "g")) ?? []).length - 1;
  const literal = JSON.stringify(value).length;
  return uses <= 1 || (value.length <= 24 && (uses - 1) * literal - 2 * uses - 5 < 20);
}

/**
 * `!0`, `!1` and `void 0` (the minifier's short forms) written as `true`, `false` and
 * `undefined`: each is one byte once pretokenised (LEX_R_TRUE, LEX_R_FALSE, LEX_R_UNDEFINED)
 * against two, and the board reads a constant instead of evaluating an operator.
 */
export function spellConstants(code: string): string {
  const word = /[A-Za-z0-9_$]/;
  let out = "";
  let at = 0;
  let prev: { label: string; start: number; end: number } | null = null;
  for (const t of tokenizer(code, { ecmaVersion: 2022 })) {
    const label = t.type.label;
    if (prev && label === "num" && t.end - t.start === 1 && (code[t.start] === "0" || code[t.start] === "1") && prev.end === t.start - (prev.label === "void" ? 1 : 0)) {
      const bang = prev.label === "!/~" && code.slice(prev.start, prev.end) === "!";
      const isVoid = prev.label === "void" && code[t.start] === "0" && code[prev.end] === " ";
      if (bang || isVoid) {
        const text = isVoid ? "undefined" : code[t.start] === "0" ? "true" : "false";
        out += code.slice(at, prev.start);
        if (word.test(out.charAt(out.length - 1))) out += " ";
        out += text;
        if (word.test(code.charAt(t.end))) out += " ";
        at = t.end;
      }
    }
    prev = { label: label, start: t.start, end: t.end };
  }
  return out + code.slice(at);
}

/* eslint-disable @typescript-eslint/no-explicit-any -- ESTree nodes are walked generically */
/**
 * A class with nothing but a constructor and no `extends` written as the plain function it
 * is (`class{constructor(a){...}}` as `function(a){...}`): the same constructor, prototype
 * and `instanceof`, 13 bytes fewer once pretokenised (`class`, braces and `constructor`
 * against one `function` token). The firmware writes its small state machines this way: their
 * members are locals of the constructor.
 */
export function classesAsFunctions(code: string): string {
  for (;;) {
    let last: any = null;
    simple(parse(code, { ecmaVersion: 2022, sourceType: "module" }) as any, {
      Class: (n: any) => {
        const body = n.body.body;
        if (!n.superClass && body.length === 1 && body[0].kind === "constructor" && (!last || n.start > last.start)) last = n;
      },
    });
    if (!last) return code;
    const ctor = last.body.body[0].value;
    const head = "function" + (last.id ? " " + last.id.name : "");
    code = code.slice(0, last.start) + head + code.slice(ctor.start, ctor.end) + code.slice(last.end);
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Built-in objects the board reaches as `X.member` or `new X(...)`, safe to reach through an alias. */
const ALIASABLE = ["Uint8Array", "Uint32Array", "String", "Math", "Array", "Object", "JSON"];

/* eslint-disable @typescript-eslint/no-explicit-any -- ESTree nodes are walked generically */
/**
 * Built-in objects read often enough (`Uint8Array`, `String`, `Math`...) and string or number
 * literals written often enough (`"string"` of `typeof`, `4294967295`) read through one
 * two-character alias declared first in the wrapper, when that saves at least 20 bytes
 * (uses x (length - 2) against the declaration). The gate has already checked the bundle
 * with the names and literals as written. Returns the declarations to put first and the code.
 */
export function aliasGlobals(code: string): { decl: string; code: string } {
  const ast = parse(code, { ecmaVersion: 2022, sourceType: "module" }) as any;
  const refs = new Map<string, number[]>();
  const literals = new Map<string, number[]>();
  const declared = new Set<string>();
  const names = new Set<string>();
  for (const t of tokenizer(code, { ecmaVersion: 2022, sourceType: "module" })) if (t.type.label === "name") names.add(code.slice(t.start, t.end));
  // VariablePattern: every name a declaration, parameter or catch clause binds
  simple(ast, {
    Identifier: (n: any) => {
      if (ALIASABLE.includes(n.name)) refs.set(n.name, (refs.get(n.name) ?? []).concat([n.start]));
    },
    VariablePattern: (n: any) => declared.add(n.name),
    Function: (n: any) => {
      if (n.id) declared.add(n.id.name);
    },
    Class: (n: any) => {
      if (n.id) declared.add(n.id.name);
    },
    Property: (n: any) => {
      if (n.shorthand) declared.add(n.key.name); // `{ Math }` names the key too: left alone
    },
    // a key written as a literal ({"a": 1}) is not visited as one: only values are
    Literal: (n: any) => {
      if (typeof n.value !== "string" && typeof n.value !== "number") return;
      const raw = code.slice(n.start, n.end);
      literals.set(raw, (literals.get(raw) ?? []).concat([n.start]));
    },
  } as any);
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let next = 0;
  const fresh = (): string => {
    for (;;) {
      const name = chars[Math.floor(next / 10) % 26] + (next % 10);
      next++;
      if (!names.has(name)) return name;
    }
  };
  const edits: { at: number; len: number; alias: string }[] = [];
  const decls: string[] = [];
  // An alias costs about 3 variables on the board (its name and value): a literal's alias must
  // save 30 bytes (written at each use a literal is only a variable while evaluated), a
  // built-in's 20 (the built-in object exists anyway).
  const candidates: [string, number[], number][] = ALIASABLE.filter((g) => !declared.has(g)).map((g) => [g, refs.get(g) ?? [], 20]);
  for (const [raw, at] of literals) candidates.push([raw, at, 30]);
  for (const [text, at, least] of candidates) {
    if (at.length * (text.length - 2) - (text.length + 4) < least) continue;
    const alias = fresh();
    decls.push(alias + "=" + text);
    for (const a of at) edits.push({ at: a, len: text.length, alias: alias });
  }
  edits.sort((a, b) => b.at - a.at);
  for (const e of edits) code = code.slice(0, e.at) + e.alias + code.slice(e.at + e.len);
  return { decl: decls.length ? "var " + decls.join(",") + ";" : "", code: code };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export async function bundleEntry(entry: string, minify: boolean, flags: BoardFlags = { display: true, largeStorage: true, net: true }): Promise<string> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    // "cjs", wrapped in a function below, rather than "iife": for an unbound `require` the
    // iife format emits a __require shim that probes Proxy; cjs leaves Espruino's require as is.
    format: "cjs",
    platform: "neutral",
    mainFields: ["module", "main"],
    // ES2015 is what the board runs (arrows, classes, let/const, template literals, for-of).
    // Lowered because esbuild's output stays inside the subset: `?.` becomes `== null`
    // ternaries, class fields become constructor assignments (useDefineForClassFields off,
    // so no __publicField helper). Kept as written so the gate names the construct rather
    // than a helper that would smuggle in Math.pow, generators or Symbol checks: `**`,
    // object spread, async/await, generators, private members, static blocks. `??` runs.
    target: "es2015",
    supported: SUPPORTED,
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
    charset: "ascii", // Espruino strings are bytes: keep every non-ASCII character escaped
    // Every property name is shortened except the reserved ones (reserved-props.ts: built-ins,
    // Espruino's API, keys kept in Storage) and quoted ones (`o["device"]`), which is how
    // names read from Storage JSON are written in firmware/src.
    mangleProps: /^[A-Za-z_$]/,
    mangleCache: reservedMangleCache(),
    sourcemap: false,
    legalComments: "none",
    minify: false,
    logLevel: "silent",
    plugins: [espruinoModulesExternal, boardFlagsModule(flags)],
  });
  // An entry's exports would make esbuild add CommonJS interop helpers (one of which keeps a
  // `for (let ...)` binding in a getter closure, wrong on Espruino); the board needs none.
  const code = out.outputFiles[0].text;
  if (/\bmodule\.exports\s*=\s*__toCommonJS\(/.test(code)) throw new Error(`${entry} is a board entry and must not export anything`);
  if (!minify) return `(function () {\n${code}})();\n`;
  // Minified from the readable bundle (property names already shortened there) as a module
  // with no exports: every top-level name is local, so it is shortened, numeric and boolean
  // constants are folded, and what the board's flags leave unused is dropped. Then wrapped.
  // String constants are dropped from the text and given back to esbuild as defines: it writes
  // the literal at every free use of the name (a local of the same name shadows it, as it should).
  const c = constifyNumbers(code);
  const min = await transform(c.code, { define: c.strings, minify: true, format: "esm", treeShaking: true, target: "es2015", supported: SUPPORTED, charset: "ascii", legalComments: "none", logLevel: "silent" });
  const aliased = aliasGlobals(classesAsFunctions(min.code));
  return `(function(){${aliased.decl}${spellConstants(aliased.code).trim()}})();\n`;
}
