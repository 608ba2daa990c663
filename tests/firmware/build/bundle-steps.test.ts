// The bundle steps after esbuild: module-level constants folded into their uses (without
// touching assigned or shadowed names), the minifier's !0 / !1 / void 0 spelt as keywords, and
// the board flags leaving out what a board never uses, on the real board entries.
import vm from "node:vm";
import { transform } from "esbuild";
import { bundleEntry, constifyNumbers, spellConstants } from "../../../firmware/build/bundle";
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
