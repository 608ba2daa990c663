// The board's realm offers what Espruino 2v29 offers and nothing it lacks; the silent traps
// are refused at load time and, where possible, reproduced at run time.
import { EmulatedBoard, LoadRefused } from "../../../simulator/src/board";
import { localSubsetCheck } from "../../../simulator/src/espruino/subset-check";
import { bootWith, onBoard } from "./helpers";

const MISSING = [
  "Map", "Set", "WeakMap", "WeakSet", "WeakRef", "Symbol", "BigInt", "Proxy", "Reflect", "Intl",
  "Array.from", "Array.of", "[].flat", "[].flatMap", "Object.freeze", "Object.fromEntries",
  "Number.isInteger", "Number.isFinite", "Number.parseInt", "Number.parseFloat", "Math.imul", "Math.trunc",
  "Uint8Array.from", "Uint8Array.of", "Uint32Array.from", "Float64Array.of", "ArrayBuffer.prototype.slice",
  "TextEncoder", "TextDecoder", "queueMicrotask", "structuredClone", "Buffer", "WebAssembly", "setImmediate",
];

const PRESENT = [
  "Object.defineProperty", "Object.setPrototypeOf", "Object.getPrototypeOf", "Object.assign", "Object.keys",
  "Object.values", "Object.entries", "Object.getOwnPropertyNames", "Object.getOwnPropertyDescriptors",
  "Array.isArray", "[].find", "[].findIndex", "[].includes", "[].fill", "[].reduce", "[].some", "[].every", "[].sort",
  "''.padStart", "''.startsWith", "''.endsWith", "''.repeat", "''.trim", "JSON.parse", "Date.now", "Date.prototype.toISOString",
  "Promise.resolve", "Promise.all", "setTimeout", "setInterval", "clearTimeout", "clearInterval", "Uint8Array", "Uint32Array",
  "Float64Array", "Uint8Array.prototype.slice", "Uint8Array.prototype.subarray", "Uint8Array.prototype.set", "DataView",
  "btoa", "atob", "parseInt", "Function.prototype.apply", "Function.prototype.bind",
  "E.CRC32", "E.hwRand", "E.toUint8Array", "E.toString", "E.on", "E.getErrorFlags", "process.memory", "require",
  "getTime", "setTime", "setWatch", "clearWatch", "digitalWrite", "digitalRead", "analogWrite", "print", "console.log",
  "Serial1.setup", "Serial1.on", "LED1.write", "LED2.set", "BTN.read", "B3", "B6", "B7",
];

describe("the realm of a board", () => {
  const board = bootWith("");
  it.each(MISSING)("%s is missing, as on 2v29", (name) => {
    expect(board.evaluate(`typeof (${name.startsWith("[]") ? name.replace("[]", "[]") : name})`)).toBe("undefined");
  });
  it.each(PRESENT)("%s is present", (name) => {
    expect(board.evaluate(`typeof (${name})`)).not.toBe("undefined");
  });

  it("refuses Object.create with a properties object the way 2v29 does", () => {
    expect(board.evaluate(`typeof Object.create({a:1}).a`)).toBe("number");
    expect(board.evaluate(`try { Object.create({}, {x: {value: 1}}); "no" } catch (e) { e.message }`)).toBe("propertiesObject is not supported yet");
  });

  it("has no code generation from strings", () => {
    expect(board.evaluate(`try { new Function("return 1")(); "ran" } catch (e) { "refused" }`)).toBe("refused");
  });

  it("never lets Node's realm leak in through the API", () => {
    expect(board.evaluate(`try { process.memory().constructor.constructor("return 1")(); "ran" } catch (e) { "refused" }`)).toBe("refused");
    expect(board.evaluate(`typeof require("Storage").getStats().constructor.fromEntries`)).toBe("undefined");
  });

  it("reproduces the silent regex traps: {n} and (?: never match", () => {
    const r = board.evaluate(`JSON.stringify([/^[0-9]{20}$/.test("81234567890123456789"), new RegExp("^(?:ab)+$").test("abab"), /^[0-9]+$/.test("812"), "a1b1".replace(/1/g, "2"), "12x".match(/\\d{2}/)])`);
    expect(JSON.parse(r as string)).toEqual([false, false, true, "a2b2", null]);
  });

  it("reproduces the silent Error-subclass trap: no message", () => {
    expect(board.evaluate(`class E2 extends Error {}; var e = new E2("boom"); JSON.stringify([e.message === undefined, e instanceof Error, new Error("x").message])`)).toBe('[true,true,"x"]');
  });

  it("runs on the virtual clock: Date follows getTime and setTime", () => {
    const b = bootWith("setTime(1751328000);");
    expect(b.evaluate("Math.round(Date.now() / 1000)")).toBe(1751328000);
    expect(b.evaluate("new Date().getUTCFullYear()")).toBe(2025);
  });

  it("gives only the esp32 its network and display modules", () => {
    expect(onBoard(`try { require("net"); "yes" } catch (e) { e.message }`)).toMatch(/not found/);
    expect(onBoard(`typeof require("net").connect + typeof require("Wifi").connect + typeof require("SSD1306").connect`, "esp32")).toBe("functionfunctionfunction");
  });

  it("computes E.CRC32 as zlib does", () => {
    expect(onBoard(`E.CRC32("123456789")`)).toBe(3421780262);
    expect(onBoard(`E.CRC32(E.toUint8Array("123456789"))`)).toBe(3421780262);
  });
});

describe("a bundle using what 2v29 lacks", () => {
  const load = (src: string) => () => new EmulatedBoard({ board: "pico", seed: 1 }).load(src);

  it.each([
    ["optional chaining", "var o = {}; print(o?.a);"],
    ["destructuring", "var o = {a: 1}; var {a} = o;"],
    ["spread", "var a = [1]; var b = [...a];"],
    ["default parameters", "function f(a = 3) { return a; }"],
    ["exponent", "var x = 2 ** 3;"],
    ["async", "async function f() { await 1; }"],
    ["generators", "function* g() { yield 1; }"],
    ["a 20-digit literal", "var code = 81234567890123456789;"],
    ["a counted regex", "var ok = /^[0-9]{20}$/.test(s);"],
    ["a non-capturing group", "var ok = /^(?:01)+$/.test(s);"],
    ["let captured in a loop", "for (let i = 0; i < 3; i++) setTimeout(function () { print(i); }, 1);"],
    ["an Error subclass", "class Bad extends Error {}"],
  ])("is refused at load: %s", (_what, src) => {
    expect(load(src)).toThrow(LoadRefused);
  });

  it("is refused at load when it names a missing built-in, and fails at run time like the board when forced in", () => {
    expect(load(`var m = new Map();`)).toThrow(LoadRefused);
    const b = bootWith(`var m = new Map(); print("after");`, { unchecked: true });
    expect(b.events.consoleText()).toMatch(/Uncaught ReferenceError: Map is not defined/);
    expect(b.events.consoleText()).not.toMatch(/after/);
    expect(b.uncaughtErrors).toBe(1);
    const c = bootWith(`print(Array.from([1]).length);`, { unchecked: true });
    expect(c.events.consoleText()).toMatch(/Uncaught TypeError/);
  });

  it("accepts the subset the board runs", () => {
    expect(localSubsetCheck("var f = (a) => a + 1; class A { get x() { return 1; } } for (var v of [1]) print(`${v}`); var n = null ?? 2;")).toEqual([]);
  });
});
