// Refuses, at load time, a bundle the real interpreter would run wrongly. The project's gate
// (firmware/build/gate: checkEspruinoSubset) is the authority and is used when present; until
// it exists this local check covers what V8 would accept but 2v29 would not: the syntax that
// fails there and the SILENT traps that no runtime shim can reproduce (20-digit literals,
// `let` loop variables captured by closures, inherited static calls are left to the gate).
import * as acorn from "acorn";
import * as walk from "acorn-walk";
import { existsSync } from "node:fs";
import { join } from "node:path";

export interface SubsetViolation {
  rule: string;
  message: string;
  line: number;
  column: number;
}

type Gate = (source: string, fileName: string) => { rule?: string; message?: string; line?: number; column?: number }[];

let gate: Gate | null | undefined;
function projectGate(): Gate | null {
  if (gate !== undefined) return gate;
  gate = null;
  const dir = join(__dirname, "../../../firmware/build/gate");
  if (existsSync(join(dir, "index.ts")) || existsSync(join(dir, "index.js"))) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(dir) as { checkEspruinoSubset?: Gate };
      if (typeof mod.checkEspruinoSubset === "function") gate = mod.checkEspruinoSubset;
    } catch {
      gate = null; // the gate is mid-edit: fall back to the local check
    }
  }
  return gate;
}

export function usingProjectGate(): boolean {
  return projectGate() !== null;
}

const COUNTED = /(^|[^\\])(\{[0-9]+(,[0-9]*)?\}|\(\?:)/;

/** Local check: the constructs 2v29 rejects or silently mis-runs. */
export function localSubsetCheck(source: string): SubsetViolation[] {
  const out: SubsetViolation[] = [];
  let ast: acorn.Node;
  try {
    ast = acorn.parse(source, { ecmaVersion: "latest", sourceType: "script", locations: true, allowHashBang: true });
  } catch (e) {
    return [{ rule: "syntax", message: (e as Error).message, line: 0, column: 0 }];
  }
  const add = (node: acorn.Node, rule: string, message: string): void => {
    out.push({ rule, message, line: node.loc?.start.line ?? 0, column: node.loc?.start.column ?? 0 });
  };
  walk.full(ast, (node) => {
    const n = node as acorn.Node & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- any ESTree node
    switch (n.type) {
      case "ChainExpression": add(n, "optional-chaining", "?. is a SyntaxError on 2v29"); break;
      case "SpreadElement": add(n, "spread", "spread is a SyntaxError on 2v29"); break;
      case "RestElement": add(n, "rest", "rest parameters are a SyntaxError on 2v29"); break;
      case "ObjectPattern": case "ArrayPattern": add(n, "destructuring", "destructuring fails on 2v29"); break;
      case "AssignmentPattern": add(n, "default-parameter", "default parameters are a SyntaxError on 2v29"); break;
      case "AwaitExpression": add(n, "async", "async/await fails on 2v29"); break;
      case "YieldExpression": add(n, "generator", "generators are a SyntaxError on 2v29"); break;
      case "LabeledStatement": add(n, "label", "labelled statements fail on 2v29"); break;
      case "BinaryExpression": case "AssignmentExpression":
        if (n.operator === "**" || n.operator === "**=") add(n, "exponent", "** is a SyntaxError on 2v29");
        break;
      case "FunctionDeclaration": case "FunctionExpression": case "ArrowFunctionExpression":
        if (n.async) add(n, "async", "async functions fail on 2v29");
        if (n.generator) add(n, "generator", "generators are a SyntaxError on 2v29");
        break;
      case "ClassDeclaration": case "ClassExpression":
        if (n.superClass && n.superClass.type === "Identifier" && /Error$/.test(n.superClass.name)) add(n, "error-subclass", "a subclass of Error has no .message on 2v29 (silent)");
        break;
      case "Literal":
        if (n.regex && COUNTED.test(n.regex.pattern)) add(n, "regex-quantifier", "counted quantifiers {n} and (?: never match on 2v29 (silent)");
        if (typeof n.value === "number" && /^[0-9]+$/.test(n.raw) && n.raw.length > 15 && !Number.isSafeInteger(n.value)) add(n, "big-literal", "integer literal above 2^53 is wrong on 2v29 (silent)");
        break;
      case "ForStatement": case "ForInStatement": case "ForOfStatement": {
        const decl = n.type === "ForStatement" ? n.init : n.left;
        if (decl && decl.type === "VariableDeclaration" && decl.kind !== "var") {
          let captured = false;
          walk.full(n.body, (inner) => {
            if (inner.type === "FunctionExpression" || inner.type === "ArrowFunctionExpression" || inner.type === "FunctionDeclaration") captured = true;
          });
          if (captured) add(n, "let-loop-closure", "a let/const loop variable captured by a closure behaves like var on 2v29 (silent)");
        }
        break;
      }
    }
  });
  return out;
}

export function checkBundle(source: string, fileName: string): SubsetViolation[] {
  const g = projectGate();
  if (!g) return localSubsetCheck(source);
  return g(source, fileName).map((v) => ({ rule: v.rule ?? "subset", message: v.message ?? String(v), line: v.line ?? 0, column: v.column ?? 0 }));
}
