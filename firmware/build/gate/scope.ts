// Just enough scope analysis for the gate: which enclosing node declares a name. A local
// `var Map` or a parameter named `Set` is not the missing global, and a closure that reads a
// `for (let i ...)` binding is told apart from one that reads its own `i`.
import type { Node } from "acorn";

/* eslint-disable @typescript-eslint/no-explicit-any -- ESTree nodes are walked generically */
type AnyNode = any;

const declared = new WeakMap<object, Set<string>>();

/** Names bound by a pattern: `a`, `{a, b: [c]}`, `...r`, `x = 1`. */
export function patternNames(p: AnyNode, out: string[] = []): string[] {
  if (!p) return out;
  switch (p.type) {
    case "Identifier":
      out.push(p.name);
      break;
    case "ObjectPattern":
      for (const prop of p.properties) patternNames(prop.type === "RestElement" ? prop.argument : prop.value, out);
      break;
    case "ArrayPattern":
      for (const el of p.elements) patternNames(el, out);
      break;
    case "RestElement":
      patternNames(p.argument, out);
      break;
    case "AssignmentPattern":
      patternNames(p.left, out);
      break;
  }
  return out;
}

function isFunction(n: AnyNode): boolean {
  return n.type === "FunctionDeclaration" || n.type === "FunctionExpression" || n.type === "ArrowFunctionExpression";
}

/** `var` and function declarations hoisted to the function (or program) owning `body`. */
function collectHoisted(node: AnyNode, out: Set<string>): void {
  if (!node || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const n of node) collectHoisted(n, out);
    return;
  }
  if (typeof node.type !== "string") return;
  if (node.type === "VariableDeclaration" && node.kind === "var") {
    for (const d of node.declarations) for (const name of patternNames(d.id)) out.add(name);
  }
  if (node.type === "FunctionDeclaration" && node.id) out.add(node.id.name);
  if (isFunction(node) || node.type === "ClassDeclaration" || node.type === "ClassExpression") return;
  for (const key of Object.keys(node)) {
    if (key === "loc" || key === "start" || key === "end") continue;
    const v = node[key];
    if (v && typeof v === "object") collectHoisted(v, out);
  }
}

/** Block-level declarations (let, const, class, function, import) directly in `stmts`. */
function collectLexical(stmts: AnyNode[], out: Set<string>): void {
  for (let s of stmts) {
    if (s.type === "ExportNamedDeclaration" || s.type === "ExportDefaultDeclaration") s = s.declaration ?? s;
    if (!s) continue;
    if (s.type === "VariableDeclaration") {
      for (const d of s.declarations) for (const name of patternNames(d.id)) out.add(name);
    } else if ((s.type === "ClassDeclaration" || s.type === "FunctionDeclaration") && s.id) {
      out.add(s.id.name);
    } else if (s.type === "ImportDeclaration") {
      for (const sp of s.specifiers) out.add(sp.local.name);
    }
  }
}

/** Every name `node` introduces into the scope it opens (empty for nodes opening none). */
export function namesDeclaredBy(node: Node): Set<string> {
  const n = node as AnyNode;
  const cached = declared.get(n);
  if (cached) return cached;
  const out = new Set<string>();
  switch (n.type) {
    case "Program":
      collectHoisted(n.body, out);
      collectLexical(n.body, out);
      break;
    case "FunctionDeclaration":
    case "FunctionExpression":
    case "ArrowFunctionExpression":
      for (const p of n.params) for (const name of patternNames(p)) out.add(name);
      if (n.type === "FunctionExpression" && n.id) out.add(n.id.name);
      if (n.type !== "ArrowFunctionExpression") out.add("arguments");
      if (n.body.type === "BlockStatement") {
        collectHoisted(n.body.body, out);
        collectLexical(n.body.body, out);
      }
      break;
    case "BlockStatement":
    case "StaticBlock":
      collectLexical(n.body, out);
      break;
    case "SwitchStatement":
      for (const c of n.cases) collectLexical(c.consequent, out);
      break;
    case "ForStatement":
      if (n.init && n.init.type === "VariableDeclaration" && n.init.kind !== "var") collectLexical([n.init], out);
      break;
    case "ForInStatement":
    case "ForOfStatement":
      if (n.left.type === "VariableDeclaration" && n.left.kind !== "var") collectLexical([n.left], out);
      break;
    case "CatchClause":
      for (const name of patternNames(n.param)) out.add(name);
      break;
    case "ClassExpression":
      if (n.id) out.add(n.id.name);
      break;
  }
  declared.set(n, out);
  return out;
}

/**
 * The nearest ancestor that declares `name`, or null when it is a global. `ancestors` runs
 * from the Program to the node itself (acorn-walk's ancestor order).
 */
export function resolveName(name: string, ancestors: readonly Node[]): Node | null {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    if (namesDeclaredBy(ancestors[i]).has(name)) return ancestors[i];
  }
  return null;
}

export { isFunction };
