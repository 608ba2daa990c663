// The bundle steps after esbuild: module-level constants folded into their uses (without
// touching assigned or shadowed names), the minifier's !0 / !1 / void 0 spelt as keywords, and
// the board flags leaving out what a board never uses, on the real board entries.
import vm from "node:vm";
import { transform } from "esbuild";
import { aliasGlobals, bundleEntry, classesAsFunctions, constifyNumbers, spellConstants } from "../../../firmware/build/bundle";
import { boardTarget } from "../../../firmware/build/boards";

/** Runs a script and returns what it left in `out`. */
function run(code: string): unknown {
  const ctx = vm.createContext({ out: undefined });
  vm.runInContext(code, ctx);
  return ctx.out;
}

describe("constant folding", () => {
  const src = [
    "function f() { return A * 2 + B + S.length; }",
    "var A = 1 << 4;",
    "var B = 3;",
    "B = 4;",
    'var S = "vtcfg";',
    'var T = "a string long enough to be kept as one binding, read twice";',
    "function g(S) { return S + T + T; }",
    'out = [f(), g("x")];',
  ].join("\n");

  test("numeric constants move up as consts; assigned ones stay; strings become defines", () => {
    const c = constifyNumbers(src);
    expect(c.code.startsWith("const A = 1 << 4;")).toBe(true);
    expect(c.code).toContain("var B = 3;");
    expect(c.code).not.toContain('var S = "vtcfg"');
    expect(c.strings).toEqual({ S: '"vtcfg"' });
    expect(c.code).toContain("var T = ");
  });

  test("the folded program computes what the original did (a parameter S shadows the define)", async () => {
    const c = constifyNumbers(src);
    const min = await transform(c.code, { define: c.strings, minify: true, format: "esm" });
    expect(run(min.code)).toEqual(run(src));
    expect(min.code).not.toMatch(/\bA\b=16/);
  });
});

describe("keywords for the minifier's short forms", () => {
  test("!0, !1 and void 0 become true, false, undefined; strings and other operands are left", () => {
    expect(spellConstants('x=!0;y=!1;return!0;z=void 0;s="!0 void 0";n=!10;m=!a')).toBe('x=true;y=false;return true;z=undefined;s="!0 void 0";n=!10;m=!a');
    expect(spellConstants("a=b?!0:!1;if(!0 in o)c();case!1:")).toBe("a=b?true:false;if(true in o)c();case false:");
  });
});

describe("constructor-only classes as functions", () => {
  const src = [
    "var C=class{constructor(a){let n=a;this.x=n;this.inc=()=>++n;this.self=()=>this}};",
    "class D{constructor(){this.y=2}}",
    "class E{constructor(){this.z=1}m(){return this.z}}",
    "class F extends D{constructor(){super();this.w=3}}",
    "var c=new C(4);c.inc();",
    "out=[c.x,c.inc(),c.self()===c,c instanceof C,new D().y,new E().m(),new F().y+new F().w];",
  ].join("");

  test("rewrites only classes with nothing but a constructor and no extends", () => {
    const out = classesAsFunctions(src);
    expect(out).toContain("var C=function(a){let n=a;");
    expect(out).toContain("function D(){this.y=2}");
    expect(out).toContain("class E{");
    expect(out).toContain("class F extends D{");
  });

  test("the rewritten program computes what the original did", () => {
    expect(run(classesAsFunctions(src))).toEqual(run(src));
    expect(run(src)).toEqual([4, 6, true, true, 2, 1, 5]);
  });

  test("a class nested in a constructor-only class is rewritten too", () => {
    const nested = "var A=class{constructor(){this.b=new (class{constructor(){this.v=7}})()}};out=new A().b.v;";
    const out = classesAsFunctions(nested);
    expect(out).not.toContain("class");
    expect(run(out)).toBe(7);
  });
});

describe("built-in objects through aliases", () => {
  const uses = "var a=new Uint8Array(4),b=new Uint8Array(2),c=new Uint8Array(a.length+b.length);c.set(a);c.set(b,4);var d=a instanceof Uint8Array&&c instanceof Uint8Array;";
  test("a built-in read often enough gets one alias; properties and rarer ones are left", () => {
    const src = uses + "var o={Uint8Array:1};o.Uint8Array=Math.max(1,2);out=[c.length,d,o.Uint8Array];";
    const a = aliasGlobals(src);
    expect(a.decl).toBe("var A0=Uint8Array;");
    expect(a.code).not.toMatch(/new Uint8Array|instanceof Uint8Array/);
    expect(a.code).toContain("o={Uint8Array:1};o.Uint8Array=Math.max(");
    expect(run(a.decl + a.code)).toEqual(run(src));
    expect(run(src)).toEqual([6, true, 2]);
  });

  test("a string or number literal written often enough gets one alias; object keys and rarer ones stay", () => {
    // 8 x "number" saves 8 x 6 - 12 = 36 bytes, 6 x 4294967295 saves 6 x 8 - 14 = 34; 4 x "string" only 12
    const checks = [0, 1, 2, 3, 0, 1, 2, 3].map((i) => 'typeof t[' + i + ']=="number"').join(",");
    const big = ["4294967295-1", "4294967295>>>0", "4294967295|0", "4294967295%7", "4294967295/5"].join(",");
    const src = 'var t=[1,"a",null,2];var o={"number":4294967295};out=[' + checks + "," + big + ',o.number===4294967295,typeof t[1]=="string",typeof t[0]=="string",typeof t[2]=="string",typeof t[3]=="string"];';
    const a = aliasGlobals(src);
    expect(a.decl).toBe('var A0=4294967295,A1="number";');
    expect(a.code).toContain('o={"number":A0}');
    expect(a.code).toContain('=="string"');
    expect(run(a.decl + a.code)).toEqual(run(src));
  });

  test("nothing is aliased where the name is bound in the code or already taken as an alias name", () => {
    expect(aliasGlobals("function f(Uint8Array){return Uint8Array}" + uses).decl).toBe("");
    expect(aliasGlobals("var A0=1;" + uses).decl).toBe("var A1=Uint8Array;");
  });
});

describe("board flags", () => {
  const entry = (board: string) => boardTarget(board).entry;
  let pico = "";
  let esp32 = "";
  beforeAll(async () => {
    pico = await bundleEntry(entry("pico"), true, boardTarget("pico").flags);
    esp32 = await bundleEntry(entry("esp32"), true, boardTarget("esp32").flags);
  }, 60_000);

  test("the Pico (no display, 48 KB Storage, no network) is built without their code", () => {
    expect(pico).not.toContain("Nothing read, scan again"); // rejection message
    expect(pico).not.toContain("Scan patient first"); // feedback text
    expect(pico).not.toContain("Sync to free space"); // signal detail
    expect(pico).not.toContain("vtcfg.pad"); // Storage page pad
    expect(pico).not.toContain("ssid"); // WiFi provisioning
    expect(pico).toContain("vtcfg.copy");
  });

  test("the ESP32 keeps them", () => {
    for (const s of ["Nothing read, scan again", "Scan patient first", "Sync to free space", "vtcfg.pad", "ssid"]) expect(esp32).toContain(s);
  });

  test("a bundle is one function call with no module-level constants left as bindings", () => {
    expect(pico.startsWith("(function(){")).toBe(true);
    expect(pico.trimEnd().endsWith("})();")).toBe(true);
    expect(pico).not.toMatch(/(var|const) [A-Za-z_$]+=4096[,;]/);
  });
});
