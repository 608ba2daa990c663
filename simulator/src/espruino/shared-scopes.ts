// Which functions of a program provably share their closure scopes, read from its source once.
// A bundle is one IIFE run once: every function created directly in it (module functions,
// class methods, object-literal methods) closes over the same contexts, so the memory walk
// needs to read those contexts through the inspector for one of them only. A function is
// grouped only when every scope-making node between it and the IIFE is evaluated exactly
// once: no enclosing function other than the IIFE, no loop. Everything else (closures made by
// a factory or a method, per call) is read one by one.
import { parse, type Node } from "acorn";
import { ancestor } from "acorn-walk";

type AnyNode = Node & { [k: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

const FUNCTION = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);
const LOOP = new Set(["ForStatement", "ForInStatement", "ForOfStatement", "WhileStatement", "DoWhileStatement"]);
/** Nodes that may hold a context of their own (V8 gives classes and blocks one when captured). */
const SCOPING = new Set(["ClassDeclaration", "ClassExpression", "BlockStatement", "StaticBlock", "SwitchStatement", "CatchClause"]);

/** A function source's text span as Function.prototype.toString gives it -> its group. */
export interface SharedScopes {
  /** Group of the function whose toString() is `text`, or null when it must be read alone. */
  groupOf(text: string): string | null;
}

function isRunOnceIife(fn: AnyNode, ancestors: AnyNode[]): boolean {
  // (function(){...})() or (()=>{...})() as a statement of the program itself
  const i = ancestors.indexOf(fn);
  const call = ancestors[i - 1];
  const stmt = ancestors[i - 2];
  const program = ancestors[i - 3];
  return !!call && call.type === "CallExpression" && call.callee === fn && !!stmt && stmt.type === "ExpressionStatement" && !!program && program.type === "Program";
}

export function analyseSharedScopes(source: string): SharedScopes {
  let ast: Node;
  try {
    ast = parse(source, { ecmaVersion: "latest", sourceType: "script" });
  } catch {
    return { groupOf: () => null }; // unparsable here: read every function alone
  }
  /** end offset -> the possible text starts and the group of each function ending there */
  const byEnd = new Map<number, { starts: number[]; group: string | null }[]>();
  const visit = (node: Node, _state: unknown, ancestors: Node[]) => {
    const fn = node as AnyNode;
    const chain = ancestors as AnyNode[];
    let group: string | null = "";
    for (let i = chain.length - 2; i >= 0 && group !== null; i--) {
      const a = chain[i];
      if (FUNCTION.has(a.type)) {
        group = isRunOnceIife(a, chain) ? "iife@" + a.start + group : null;
        break;
      }
      if (LOOP.has(a.type)) group = null;
      else if (SCOPING.has(a.type)) group = "/" + a.type + "@" + a.start + group;
    }
    if (group === "") group = "program"; // defined at the top of the program itself
    // toString() of a method starts at its name (or at `get`/`set`/`static`), not at "("
    const parent = chain[chain.length - 2];
    const starts = [fn.start];
    if (parent && (parent.type === "MethodDefinition" || parent.type === "Property") && parent.value === fn) starts.push(parent.start, parent.key.start);
    const list = byEnd.get(fn.end) ?? [];
    list.push({ starts, group });
    byEnd.set(fn.end, list);
  };
  ancestor(ast, { FunctionDeclaration: visit, FunctionExpression: visit, ArrowFunctionExpression: visit });

  const cache = new Map<string, string | null>();
  return {
    groupOf(text: string): string | null {
      const hit = cache.get(text);
      if (hit !== undefined) return hit;
      let group: string | null = null;
      const at = source.indexOf(text);
      // the same text twice in the program: which one this is cannot be told, read it alone
      if (at >= 0 && source.indexOf(text, at + 1) < 0) {
        const list = byEnd.get(at + text.length) ?? [];
        const exact = list.filter((f) => f.starts.includes(at));
        if (exact.length === 1) group = exact[0].group;
      }
      cache.set(text, group);
      return group;
    },
  };
}
