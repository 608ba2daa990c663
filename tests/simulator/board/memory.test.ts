// Variable accounting grows with what the firmware holds, wherever it holds it: globals,
// closure scopes of a bundled IIFE, timers, handlers.
import { stringVars } from "../../../simulator/src/espruino/memory";
import { BOARDS } from "../../../simulator/src/board";
import { bootWith } from "./helpers";

function usageHolding(n: number, where: "global" | "closure" | "timer"): number {
  const fill = `var a = []; for (var i = 0; i < ${n}; i++) a.push("8123456789012345678" + (i % 10));`;
  const src =
    where === "global" ? fill + "globalThis.held = a;"
    : where === "closure" ? `(function () { ${fill} Serial1.on("data", function () { return a.length; }); })();`
    : `(function () { ${fill} setTimeout(function () { return a.length; }, 100000); })();`;
  return bootWith(src).memoryUsage().usage;
}

describe("memory accounting", () => {
  it.each(["global", "closure", "timer"] as const)("grows monotonically with data held in a %s", (where) => {
    const sizes = [0, 10, 50, 200].map((n) => usageHolding(n, where));
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeGreaterThan(sizes[i - 1]);
    // 150 more 20-char strings: 150 element vars + 150 * stringVars(20)
    expect(sizes[3] - sizes[2]).toBe(150 * (1 + stringVars(20)));
  });

  it("an empty program uses nothing and process.memory() agrees with the host", () => {
    const b = bootWith("");
    expect(b.memoryUsage().usage).toBe(0);
    const m = bootWith("var x = 'abc';").evaluate("JSON.stringify(process.memory())") as string;
    expect(JSON.parse(m)).toMatchObject({ total: BOARDS.pico.totalVars, usage: 1 + stringVars(3) });
  });

  it("counts typed arrays by their bytes", () => {
    const small = bootWith("var u = new Uint8Array(12);").memoryUsage().usage;
    const big = bootWith("var u = new Uint8Array(1200);").memoryUsage().usage;
    expect(big - small).toBe(99);
  });

  it("releases what the firmware let go of", async () => {
    const b = bootWith(`var keep = []; for (var i = 0; i < 100; i++) keep.push("x" + i); setTimeout(function () { keep = null; }, 10);`);
    const before = b.memoryUsage().usage;
    await b.advance(20);
    expect(b.memoryUsage().usage).toBeLessThan(before - 200);
  });

  it("charges a function loaded from flash its header, not its code; one typed in RAM its code too", () => {
    const body = "return a + b + " + "1 + ".repeat(100) + "0;";
    const src = `(function () { var k = 1; Serial1.on("data", function (a, b) { ${body} }); })();`;
    const flash = bootWith(src).memoryWalk();
    const ram = bootWith("");
    ram.evaluate(src);
    const inRam = ram.memoryWalk();
    // 1 header + 2 params + "\xFFcod" + NativeString + "\xFFsco" = 6
    expect(inRam.vars - flash.vars).toBe(stringVars(("function (a, b) { " + body + " }").length) + 1 - 2);
    expect(flash.functions).toBe(1);
  });

  it("reads a scope shared by many functions once, and counts per-call closures each", () => {
    const make = (n: number) => `(function () { var shared = []; function mk(i) { var own = "p" + i; return function () { return own + shared.length; }; }
      var a = []; for (var i = 0; i < ${n}; i++) a.push(mk(i)); function f1() { return a; } function f2() { return a; } globalThis.keep = [f1, f2]; })();`;
    const w10 = bootWith(make(10)).memoryWalk();
    const w20 = bootWith(make(20)).memoryWalk();
    // each closure: element var + function (1 + 0 params + 2 + 1) + its own scope (1 + "own" + string)
    expect(w20.vars - w10.vars).toBe(10 * (1 + 4 + 1 + 1 + stringVars(2)) + 10 * 0);
    expect(w20.inspectorCalls).toBeLessThan(w20.functions * 3);
  });
});
