// Built-ins the Espruino 2v29 interpreter lacks: the measured ones from
// /work/shared/docs/espruino-2v29-profile.md plus ES2019+ additions that postdate its engine.

/** Globals that do not exist on the board (or, for Intl and friends, not on every build). */
export const MISSING_GLOBALS: Record<string, string> = {
  Map: "use a plain object keyed by string",
  Set: "use a plain object or an array",
  WeakMap: "use a plain object or a property on the key",
  WeakSet: "use a property on the object",
  WeakRef: "keep a plain reference",
  FinalizationRegistry: "free resources explicitly",
  Symbol: "use string keys",
  BigInt: "keep big numbers as digit strings",
  Proxy: "call an explicit function",
  Reflect: "use Object.* or Function#apply",
  TextEncoder: "convert with charCodeAt / E.toUint8Array",
  TextDecoder: "convert with String.fromCharCode / E.toString",
  Intl: "format by hand",
  queueMicrotask: "use setTimeout(fn, 0) or Promise.resolve().then",
  structuredClone: "copy explicitly (JSON.parse(JSON.stringify(x)) for plain data)",
};

/** `Object.member` pairs that are missing or, for Math.pow, inexact on the board. */
export const MISSING_MEMBERS: Record<string, Record<string, string>> = {
  Array: { from: "loop and push", of: "use an array literal" },
  Object: { freeze: "drop it (plain objects)", fromEntries: "build the object in a loop", groupBy: "group in a loop" },
  Number: {
    isInteger: "use (x % 1 === 0)",
    isFinite: "use the global isFinite",
    parseInt: "use the global parseInt",
    parseFloat: "use the global parseFloat",
  },
  Math: {
    imul: "multiply in 16-bit halves",
    trunc: "use (x < 0 ? Math.ceil(x) : Math.floor(x))",
    pow: "is inexact on the board (Math.pow(10, 15) is 1000000000000005.875); multiply in a loop",
  },
  Uint8Array: { from: "create with new Uint8Array(n) and fill in a loop" },
  Uint16Array: { from: "create and fill in a loop" },
  Uint32Array: { from: "create and fill in a loop" },
  Int8Array: { from: "create and fill in a loop" },
  Int16Array: { from: "create and fill in a loop" },
  Int32Array: { from: "create and fill in a loop" },
  Float32Array: { from: "create and fill in a loop" },
  Float64Array: { from: "create and fill in a loop" },
  String: { raw: "write the escapes out" },
  Promise: { allSettled: "count results with Promise.all over caught promises", any: "race explicitly" },
};

/** Methods called on any value (`x.flat()`) that the board's prototypes lack. */
export const MISSING_METHODS: Record<string, string> = {
  flat: "concatenate in a loop",
  flatMap: "map then concatenate in a loop",
  replaceAll: "use .split(s).join(r) or a regex with the g flag",
  at: "index with [i] (and length - k for negatives)",
  findLast: "loop from the end",
  findLastIndex: "loop from the end",
  toSorted: "slice() then sort()",
  toReversed: "slice() then reverse()",
};
