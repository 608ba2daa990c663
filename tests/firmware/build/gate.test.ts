// The Espruino subset gate: every rule catches its construct (the silent traps above all),
// and the features the board does run pass without a single false positive.
import { checkEspruinoSubset, assertEspruinoSubset, EspruinoSubsetError } from "../../../firmware/build/gate";

const rules = (src: string) => checkEspruinoSubset(src).map((v) => v.rule);

/** [rule, source that must trip it] */
const NEGATIVE: Array<[string, string]> = [
  ["destructuring", "let {a, b} = o;"],
  ["destructuring", "var [a, b] = arr;"],
  ["destructuring", "function f({x}) { return x; }"],
  ["destructuring", "for (const [k, v] of pairs) g(k, v);"],
  ["destructuring", "({a} = o);"],
  ["destructuring", "try { f(); } catch ({message}) { g(message); }"],
  ["rest-spread", "function f(a, ...r) { return r; }"],
  ["rest-spread", "var b = [...a];"],
  ["rest-spread", "var o2 = {...o};"],
  ["rest-spread", "f(...args);"],
  ["default-parameter", "function f(a = 3) { return a; }"],
  ["default-parameter", "var f = (a, b = 1) => a + b;"],
  ["optional-chaining", "var x = o?.a;"],
  ["optional-chaining", "o.f?.();"],
  ["exponent-operator", "var x = 2 ** 10;"],
  ["exponent-operator", "x **= 2;"],
  ["async-await", "async function f() { return 1; }"],
  ["async-await", "var f = async () => { await g(); };"],
  ["generator", "function* g() { yield 1; }"],
  ["labelled-jump", "outer: for (var i = 0; i < 3; i++) { for (var j = 0; j < 3; j++) { if (j) continue outer; } }"],
  ["labelled-jump", "outer: for (var i = 0; i < 3; i++) { for (;;) { break outer; } }"],
  ["bigint-literal", "var n = 10n;"],
  ["class-static-block", "class A { static { init(); } }"],
  ["private-member", "class A { #x = 1; get() { return this.#x; } }"],
  ["extends-error", "class E2 extends Error { constructor(m) { super(m); } }"],
  ["extends-error", "var E3 = class extends TypeError {};"],
  ["inherited-static-call", "class A { static s() { return 1; } } class B extends A {} B.s();"],
  ["inherited-static-call", "class A { static s() {} } class B extends A {} class C extends B {} C.s();"],
  ["loop-closure-capture", "var fns = []; for (let i = 0; i < 3; i++) fns.push(() => i);"],
  ["loop-closure-capture", "for (const x of xs) setTimeout(function () { use(x); }, 10);"],
  ["loop-closure-capture", "for (let k in o) later(() => k);"],
  ["loop-closure-capture", "for (let i = 0; i < 3; i++) xs.forEach(() => keep(() => i));"],
  ["tagged-template", "var s = tag`a${1}`;"],
  ["new-target", "function F() { if (!new.target) throw new Error('new'); }"],
  ["import-meta", "var u = import.meta.url;"],
  ["dynamic-import", "import('./x');"],
  ["regex-counted-quantifier", "var ok = /^[0-9]{20}$/.test(code);"],
  ["regex-counted-quantifier", "var r = /a{2,}/;"],
  ["regex-counted-quantifier", "var r = /\\d{3,5}/;"],
  ["regex-counted-quantifier", "var r = new RegExp('^[0-9]{20}$');"],
  ["regex-counted-quantifier", "var r = RegExp(`x{2}`);"],
  ["regex-group-syntax", "var r = /(?:ab)+/;"],
  ["regex-group-syntax", "var r = /(?<=a)b/;"],
  ["regex-group-syntax", "var r = new RegExp('(?:01)', 'g');"],
  ["regex-flag", "var r = /a/u;"],
  ["regex-flag", "var r = /a/y;"],
  ["unsafe-integer-literal", "var n = 81234567890123456789;"],
  ["unsafe-integer-literal", "var n = 9007199254740992;"],
  ["unsafe-integer-literal", "var n = 0x20000000000000;"],
  ["missing-global", "var m = new Map();"],
  ["missing-global", "var s = new Set([1]);"],
  ["missing-global", "var w = new WeakMap();"],
  ["missing-global", "var k = Symbol('k');"],
  ["missing-global", "var b = BigInt(1);"],
  ["missing-global", "var p = new Proxy({}, {});"],
  ["missing-global", "Reflect.ownKeys(o);"],
  ["missing-global", "var e = new TextEncoder();"],
  ["missing-global", "var d = new TextDecoder();"],
  ["missing-global", "queueMicrotask(f);"],
  ["missing-global", "var c = structuredClone(o);"],
  ["missing-global", "function f(x) { return new Map(x); }"],
  ["missing-builtin-member", "var a = Array.from(x);"],
  ["missing-builtin-member", "var a = Array.of(1, 2);"],
  ["missing-builtin-member", "Object.freeze(o);"],
  ["missing-builtin-member", "var o = Object.fromEntries(pairs);"],
  ["missing-builtin-member", "Number.isInteger(x);"],
  ["missing-builtin-member", "Number.isFinite(x);"],
  ["missing-builtin-member", "Number.parseInt(s, 10);"],
  ["missing-builtin-member", "Number.parseFloat(s);"],
  ["missing-builtin-member", "var m = Math.imul(a, b);"],
  ["missing-builtin-member", "var t = Math.trunc(x);"],
  ["missing-builtin-member", "var p = Math.pow(10, 15);"],
  ["missing-builtin-member", "var u = Uint8Array.from([1, 2]);"],
  ["missing-builtin-member", "var s = String.raw`a\\n`;"],
  ["missing-builtin-member", "var f = Array['from'];"],
  ["missing-method", "var f = a.flat();"],
  ["missing-method", "var f = a.flatMap(g);"],
  ["missing-method", "var s = t.replaceAll('a', 'b');"],
  ["missing-method", "var last = a.at(-1);"],
  ["object-create-two-args", "var o = Object.create(p, { x: { value: 1 } });"],
  ["arraybuffer-slice", "var b = u8.buffer.slice(0, 4);"],
];

describe("gate catches every construct outside the Espruino subset", () => {
  test.each(NEGATIVE)("%s: %s", (rule, src) => {
    expect(rules(src)).toContain(rule);
  });

  test("every rule name has at least one negative case", () => {
    const covered = new Set(NEGATIVE.map(([r]) => r));
    const all = ["destructuring", "rest-spread", "default-parameter", "optional-chaining", "exponent-operator", "async-await", "generator", "labelled-jump", "bigint-literal", "class-static-block", "private-member", "extends-error", "inherited-static-call", "loop-closure-capture", "tagged-template", "new-target", "import-meta", "dynamic-import", "regex-counted-quantifier", "regex-group-syntax", "regex-flag", "unsafe-integer-literal", "missing-global", "missing-builtin-member", "missing-method", "object-create-two-args", "arraybuffer-slice"];
    expect(all.filter((r) => !covered.has(r))).toEqual([]);
  });

  test("reports 1-based line and column of the construct", () => {
    const v = checkEspruinoSubset("var a = 1;\n  var m = new Map();\n");
    expect(v).toEqual([{ rule: "missing-global", message: expect.stringContaining("Map"), line: 2, column: 15 }]);
  });

  test("unparseable source is one parse-error violation, not a crash", () => {
    const v = checkEspruinoSubset("var = ;", "bad.js");
    expect(v).toHaveLength(1);
    expect(v[0].rule).toBe("parse-error");
    expect(v[0].message).toContain("bad.js");
  });

  test("lists every violation of a file, in source order", () => {
    const v = checkEspruinoSubset("var a = o?.b;\nvar c = 2 ** 3;\nvar d = new Set();\n");
    expect(v.map((x) => [x.rule, x.line])).toEqual([
      ["optional-chaining", 1],
      ["exponent-operator", 2],
      ["missing-global", 3],
    ]);
  });

  test("assertEspruinoSubset throws with all violations listed", () => {
    let err: unknown;
    try {
      assertEspruinoSubset("var a = [...b];\nvar r = /^[0-9]{20}$/;\n", "upload.js");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EspruinoSubsetError);
    const e = err as EspruinoSubsetError;
    expect(e.violations.map((v) => v.rule)).toEqual(["rest-spread", "regex-counted-quantifier"]);
    expect(e.message).toContain("upload.js:1:");
    expect(e.message).toContain("upload.js:2:");
  });
});

/** Programs the board runs correctly: the gate must say nothing. */
const POSITIVE: Array<[string, string]> = [
  ["arrow functions", "var f = (a) => a + 1; var g = () => { return 2; };"],
  ["classes with getters, super and own statics", "class A { constructor(x) { this.x = x; } get y() { return this.x; } m() { return 1; } static make() { return new A(1); } } class B extends A { m() { return super.m() + 1; } static make() { return new B(2); } } B.make(); A.make();"],
  ["own static on subclass", "class A {} class B extends A { static s() {} } B.s();"],
  ["template literals", "var s = `a${1 + 2}b`;"],
  ["for-of over arrays", "for (var x of [1, 2]) print(x); for (const y of ys) print(y);"],
  ["nullish coalescing", "var a = b ?? c;"],
  ["typed arrays and DataView", "var u = new Uint8Array(4); var d = new DataView(u.buffer); d.setUint32(0, 1); u.slice(0, 2); u.subarray(1);"],
  ["local Map shadows the global", "var Map = 1; function f(Set) { return Set + Map; }"],
  ["local Array shadows Array.from", "function f(Array) { return Array.from(1); }"],
  ["class named Map", "class Map { get(k) { return k; } } new Map().get(1);"],
  ["typeof guard on a missing global", "var hasMap = typeof Map !== 'undefined';"],
  ["regex that works", "var r = /^[0-9]+$/; var s = /^\\d+$/; var gs = /\\x1d/; var c = /(ab)+/g; var lit = /a\\{2\\}/; var cls = /[{}]/;"],
  ["braces that are not quantifiers", "var r = /a{/; var q = /{x}/;"],
  ["safe integers and floats", "var a = 9007199254740991; var b = 1e21; var c = 8123456789012345 + 1; var d = 0.5;"],
  ["digit strings", "var code = '81234567890123456789';"],
  ["Object.create with one argument", "var o = Object.create(proto);"],
  ["present built-ins", "Object.keys(o); Object.assign({}, o); Array.isArray(a); [1].includes(1); 'x'.padStart(3, '0'); Math.floor(1.5); Math.max(1, 2); parseInt('7', 10); isFinite(3);"],
  ["let loop without closure", "var t = 0; for (let i = 0; i < 3; i++) t += i;"],
  ["closure in loop reading its own parameter", "for (let i = 0; i < 3; i++) fns.push(function (i) { return i; });"],
  ["loop binding copied into a function parameter", "for (let i = 0; i < 3; i++) (function (j) { fns.push(() => j); })(i);"],
  ["synchronous callbacks in a loop", "for (const r of rs) { if (list.some((x) => x === r)) n++; list.forEach((y) => use(y, r)); }"],
  ["var loop with closure (intended sharing)", "for (var i = 0; i < 3; i++) fns.push(() => i);"],
  ["plain labels without jumps", "block: { f(); }"],
  ["object spread is not destructuring", "var o = { a: 1, b: [2, 3] };"],
  ["catch with a plain binding", "try { f(); } catch (e) { print(e.message); }"],
  ["Promise then", "Promise.resolve(1).then((v) => v); Promise.all([]);"],
  ["method named like a global on an object", "var o = { Map: 1, Set: 2 }; o.Map; o.Symbol;"],
];

describe("gate has no false positives on the features the board runs", () => {
  test.each(POSITIVE)("%s", (_name, src) => {
    expect(checkEspruinoSubset(src)).toEqual([]);
  });

  test("modules with import/export parse", () => {
    expect(checkEspruinoSubset("import { a } from './a';\nexport function f() { return a; }\n")).toEqual([]);
  });

  test("sloppy scripts parse", () => {
    expect(checkEspruinoSubset("var s = '\\101'; with (o) { x; }")).toEqual([]);
  });
});
