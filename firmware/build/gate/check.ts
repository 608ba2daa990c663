// The Espruino subset gate: parses JavaScript with acorn and reports every construct the
// Espruino 2v29 interpreter rejects or, worse, runs silently wrong
// (/work/shared/docs/espruino-2v29-profile.md). Pure: source in, violations out.
import { parse, type Options } from "acorn";
import { ancestor, simple } from "acorn-walk";
import type { GateRule, GateViolation } from "./types";
import { resolveName, isFunction } from "./scope";
import { regexProblems } from "./regex";
import { MISSING_GLOBALS, MISSING_MEMBERS, MISSING_METHODS } from "./builtins";

/* eslint-disable @typescript-eslint/no-explicit-any -- ESTree nodes are walked generically */
type AnyNode = any;

const ERROR_CLASSES = new Set(["Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "EvalError", "URIError", "AggregateError"]);

/**
 * Calls that run their callback before returning, so a loop binding read inside that
 * callback still has the current iteration's value even where `let` acts like `var`.
 */
const SYNC_CALLBACK_METHODS = new Set(["forEach", "map", "filter", "some", "every", "find", "findIndex", "reduce", "reduceRight", "sort", "replace"]);

const MAX_SAFE = 9007199254740991;
/** Integer notations (decimal, hex, octal, binary); 1e21 is a float literal and parses exactly. */
const INTEGER_LITERAL = /^([0-9_]+|0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+)$/;

function parseAny(source: string): AnyNode {
  const base: Options = { ecmaVersion: "latest", locations: true, allowHashBang: true };
  try {
    return parse(source, { ...base, sourceType: "module" });
  } catch (moduleErr) {
    try {
      // Sloppy-mode scripts (octal escapes, `with`) are not modules.
      return parse(source, { ...base, sourceType: "script" });
    } catch {
      throw moduleErr;
    }
  }
}

function propertyName(member: AnyNode): string | null {
  if (member.type !== "MemberExpression") return null;
  if (!member.computed && member.property.type === "Identifier") return member.property.name;
  if (member.computed && member.property.type === "Literal" && typeof member.property.value === "string") return member.property.value;
  return null;
}

interface ClassInfo {
  statics: Set<string>;
  superName: string | null;
}

/** Classes declared by name in this source, with their own static methods and parent. */
function collectClasses(ast: AnyNode): Map<string, ClassInfo> {
  const classes = new Map<string, ClassInfo>();
  const add = (name: string, cls: AnyNode) => {
    const statics = new Set<string>();
    for (const el of cls.body.body) {
      if (el.static && el.type === "MethodDefinition" && !el.computed && el.key.type === "Identifier") statics.add(el.key.name);
    }
    classes.set(name, { statics, superName: cls.superClass && cls.superClass.type === "Identifier" ? cls.superClass.name : null });
  };
  simple(ast, {
    ClassDeclaration(n: AnyNode) {
      if (n.id) add(n.id.name, n);
    },
    VariableDeclarator(n: AnyNode) {
      if (n.id.type === "Identifier" && n.init && n.init.type === "ClassExpression") add(n.id.name, n.init);
    },
  });
  return classes;
}

/** The nearest ancestor class (not `cls` itself) declaring `method` as static, or null. */
function inheritedFrom(classes: Map<string, ClassInfo>, cls: string, method: string): string | null {
  const seen = new Set<string>([cls]);
  let parent = classes.get(cls)?.superName ?? null;
  while (parent && !seen.has(parent)) {
    seen.add(parent);
    const info = classes.get(parent);
    if (!info) return null;
    if (info.statics.has(method)) return parent;
    parent = info.superName;
  }
  return null;
}

function isSyncCallback(fn: AnyNode, parent: AnyNode): boolean {
  if (!parent || parent.type !== "CallExpression" || !parent.arguments.includes(fn)) return false;
  const name = propertyName(parent.callee);
  return name !== null && SYNC_CALLBACK_METHODS.has(name);
}

/** Every Espruino-subset violation in `source`, in source order. */
export function checkEspruinoSubset(source: string, fileName?: string): GateViolation[] {
  const where = fileName ? `${fileName}: ` : "";
  let ast: AnyNode;
  try {
    ast = parseAny(source);
  } catch (err) {
    const loc = (err as { loc?: { line: number; column: number } }).loc;
    return [{ rule: "parse-error", message: `${where}cannot parse: ${(err as Error).message}`, line: loc?.line ?? 1, column: (loc?.column ?? 0) + 1 }];
  }

  const out: GateViolation[] = [];
  const seen = new Set<string>();
  const report = (rule: GateRule, node: AnyNode, message: string) => {
    const key = `${rule}:${node.start}:${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ rule, message, line: node.loc.start.line, column: node.loc.start.column + 1 });
  };
  const checkRegex = (node: AnyNode, pattern: string, flags: string) => {
    for (const p of regexProblems(pattern, flags)) report(p.rule, node, p.message);
  };

  const classes = collectClasses(ast);

  ancestor(ast, {
    ObjectPattern(n: AnyNode) {
      report("destructuring", n, "object destructuring fails on Espruino (ReferenceError); read the properties one by one");
    },
    ArrayPattern(n: AnyNode) {
      report("destructuring", n, "array destructuring fails on Espruino (ReferenceError); index the array");
    },
    RestElement(n: AnyNode) {
      report("rest-spread", n, "rest elements (...x) are a SyntaxError on Espruino; use arguments or pass an array");
    },
    SpreadElement(n: AnyNode) {
      report("rest-spread", n, "spread (...x) is a SyntaxError on Espruino; use concat/Object.assign/apply");
    },
    AssignmentPattern(n: AnyNode, _st: unknown, anc: AnyNode[]) {
      const parent = anc[anc.length - 2];
      if (parent && isFunction(parent) && parent.params.includes(n)) {
        report("default-parameter", n, "default parameters are a SyntaxError on Espruino; test for undefined in the body");
      }
    },
    ChainExpression(n: AnyNode) {
      report("optional-chaining", n, "optional chaining (?.) is a SyntaxError on Espruino; test for null explicitly");
    },
    BinaryExpression(n: AnyNode) {
      if (n.operator === "**") report("exponent-operator", n, "** is a SyntaxError on Espruino; multiply in a loop");
      if (n.left.type === "PrivateIdentifier") report("private-member", n, "#private names are not supported on Espruino");
    },
    AssignmentExpression(n: AnyNode) {
      if (n.operator === "**=") report("exponent-operator", n, "**= is a SyntaxError on Espruino; multiply in a loop");
    },
    Function(n: AnyNode) {
      if (n.async) report("async-await", n, "async functions fail on Espruino; use callbacks or Promise.then");
      if (n.generator) report("generator", n, "generators (function*) are a SyntaxError on Espruino");
    },
    AwaitExpression(n: AnyNode) {
      report("async-await", n, "await fails on Espruino; use Promise.then");
    },
    ForOfStatement(n: AnyNode) {
      if (n.await) report("async-await", n, "for await fails on Espruino");
    },
    YieldExpression(n: AnyNode) {
      report("generator", n, "yield (generators) is a SyntaxError on Espruino");
    },
    BreakStatement(n: AnyNode) {
      if (n.label) report("labelled-jump", n, `break ${n.label.name} (labelled jump) fails on Espruino; use a flag or a function return`);
    },
    ContinueStatement(n: AnyNode) {
      if (n.label) report("labelled-jump", n, `continue ${n.label.name} (labelled jump) fails on Espruino; use a flag or a function return`);
    },
    Literal(n: AnyNode) {
      if (n.bigint !== undefined) {
        report("bigint-literal", n, `BigInt literal ${n.raw} is not supported on Espruino; keep big values as digit strings`);
      } else if (n.regex) {
        checkRegex(n, n.regex.pattern, n.regex.flags);
      } else if (typeof n.value === "number" && INTEGER_LITERAL.test(n.raw) && n.value > MAX_SAFE) {
        report("unsafe-integer-literal", n, `integer literal ${n.raw} is above 2^53 - 1 and silently wraps on Espruino; keep it as a digit string`);
      }
    },
    StaticBlock(n: AnyNode) {
      report("class-static-block", n, "class static blocks are not supported on Espruino; run the code after the class");
    },
    Class(n: AnyNode, _st: unknown, anc: AnyNode[]) {
      for (const el of n.body.body) {
        if (el.key && el.key.type === "PrivateIdentifier") report("private-member", el, `#${el.key.name} (private member) is not supported on Espruino; use a plain property`);
      }
      const sup = n.superClass;
      if (sup && sup.type === "Identifier" && ERROR_CLASSES.has(sup.name) && !resolveName(sup.name, anc)) {
        report("extends-error", n, `class extending ${sup.name} silently loses .message on Espruino; throw a plain Error or an object`);
      }
    },
    MemberExpression(n: AnyNode, _st: unknown, anc: AnyNode[]) {
      if (n.property.type === "PrivateIdentifier") {
        report("private-member", n, `#${n.property.name} (private member) is not supported on Espruino`);
        return;
      }
      const obj = n.object;
      const prop = propertyName(n);
      if (obj.type !== "Identifier" || prop === null) return;
      const members = MISSING_MEMBERS[obj.name];
      if (!members || !Object.prototype.hasOwnProperty.call(members, prop) || resolveName(obj.name, anc)) return;
      const hint = members[prop];
      report("missing-builtin-member", n, `${obj.name}.${prop} ${hint.startsWith("is ") ? hint : `is missing on Espruino; ${hint}`}`);
    },
    CallExpression(n: AnyNode, _st: unknown, anc: AnyNode[]) {
      const callee = n.callee;
      const name = propertyName(callee);
      if (name !== null && Object.prototype.hasOwnProperty.call(MISSING_METHODS, name)) {
        report("missing-method", n, `.${name}() is missing on Espruino; ${MISSING_METHODS[name]}`);
      }
      if (name === "slice" && propertyName(callee.object) === "buffer") {
        report("arraybuffer-slice", n, "ArrayBuffer#slice is missing on Espruino; slice the typed array instead (u8.slice)");
      }
      if (name === "create" && callee.object.type === "Identifier" && callee.object.name === "Object" && n.arguments.length >= 2 && !resolveName("Object", anc)) {
        report("object-create-two-args", n, "Object.create(proto, props) throws on Espruino; create with one argument and assign the properties");
      }
      if (name !== null && callee.object.type === "Identifier" && classes.has(callee.object.name)) {
        const owner = inheritedFrom(classes, callee.object.name, name);
        if (owner && !classes.get(callee.object.name)!.statics.has(name)) {
          report("inherited-static-call", n, `${callee.object.name}.${name}() calls a static inherited from ${owner}: Espruino throws "Function not found"; call ${owner}.${name}()`);
        }
      }
      checkRegExpConstructor(n, anc);
    },
    NewExpression(n: AnyNode, _st: unknown, anc: AnyNode[]) {
      checkRegExpConstructor(n, anc);
    },
    TaggedTemplateExpression(n: AnyNode) {
      report("tagged-template", n, "tagged templates are not supported on Espruino; call a function with the parts");
    },
    MetaProperty(n: AnyNode) {
      if (n.meta.name === "new") report("new-target", n, "new.target is not supported on Espruino");
      else report("import-meta", n, "import.meta does not exist on Espruino");
    },
    ImportExpression(n: AnyNode) {
      report("dynamic-import", n, "dynamic import() does not exist on Espruino; use require");
    },
    Identifier(n: AnyNode, _st: unknown, anc: AnyNode[]) {
      const parent = anc[anc.length - 2];
      const declaredAt = resolveName(n.name, anc);
      if (!declaredAt) {
        const isTypeofGuard = parent && parent.type === "UnaryExpression" && parent.operator === "typeof";
        if (Object.prototype.hasOwnProperty.call(MISSING_GLOBALS, n.name) && !isTypeofGuard) {
          report("missing-global", n, `${n.name} does not exist on Espruino; ${MISSING_GLOBALS[n.name]}`);
        }
        return;
      }
      const t = (declaredAt as AnyNode).type;
      if (t !== "ForStatement" && t !== "ForInStatement" && t !== "ForOfStatement") return;
      // A closure between the loop and this read keeps the binding alive past the iteration.
      const loopAt = anc.lastIndexOf(declaredAt);
      for (let i = loopAt + 1; i < anc.length; i++) {
        if (isFunction(anc[i]) && !isSyncCallback(anc[i], anc[i - 1])) {
          report("loop-closure-capture", n, `closure captures loop binding "${n.name}": on Espruino let/const in a for head act like var, so every closure sees the last value; copy it through a function parameter`);
          return;
        }
      }
    },
  });

  function checkRegExpConstructor(n: AnyNode, anc: AnyNode[]): void {
    if (n.callee.type !== "Identifier" || n.callee.name !== "RegExp" || resolveName("RegExp", anc)) return;
    const [pat, flags] = n.arguments;
    const text = (a: AnyNode): string | null => {
      if (!a) return "";
      if (a.type === "Literal" && typeof a.value === "string") return a.value;
      if (a.type === "TemplateLiteral" && a.expressions.length === 0) return a.quasis[0].value.cooked;
      return null;
    };
    const p = text(pat);
    const f = text(flags);
    if (p !== null && f !== null) checkRegex(n, p, f);
  }

  out.sort((a, b) => a.line - b.line || a.column - b.column);
  return out;
}
