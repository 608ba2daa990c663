// Property names the bundler must never rename. Every other property name in the board's
// bundle is mangled to a short one; that is only sound for names that live entirely inside
// the bundle. Kept here, by reason:
// - JavaScript built-ins (read from this Node's own objects, the superset of what 2v29 has);
// - Espruino's API: methods and option keys the firmware calls or passes, plus the members
//   Espruino adds to every object and function (a mangled optional field named `on` would
//   read Object.prototype.on on the board and look present);
// Names kept in Storage JSON (vtcfg, vtstate) are not listed: every read and write of them is
// quoted (config.ts, sync/device-state.ts), which esbuild never renames, and
// tests/firmware/logic/stored-names.test.ts boots the real upload on files written before.

const BUILTIN_OWNERS: unknown[] = [
  Object, Object.prototype, Function.prototype, Array, Array.prototype, String, String.prototype,
  Number, Number.prototype, Boolean.prototype, Math, JSON, Date, Date.prototype, RegExp.prototype,
  Error, Error.prototype, Promise, Promise.prototype, ArrayBuffer, ArrayBuffer.prototype,
  Uint8Array, Uint8Array.prototype, Object.getPrototypeOf(Uint8Array.prototype), DataView.prototype,
];

/**
 * Espruino members that are simply kept. Storage's read/write/erase/list are kept too: the
 * board hands the Storage module itself to the firmware as its FlashStore, so no wrapper
 * function per method sits in RAM. The others the glue reaches (setWatch's state/time, option
 * keys, sockets, Wifi, I2C, the display) are quoted at the call site in firmware/src/boards.
 */
export const ESPRUINO_API_PROPS = [
  // members Espruino adds to every object / function
  "on", "emit", "removeListener", "removeAllListeners", "prependListener", "addListener", "clone", "replaceWith", "dump",
  // global.require, Storage, crypto, E, USB / LoopbackA
  "require", "read", "write", "erase", "list", "readJSON", "writeJSON", "getFree", "SHA256", "CRC32", "hwRand", "setConsole", "stack",
];

export function reservedProps(): string[] {
  const names = new Set<string>(["__proto__", "prototype", "constructor", "length", "name", "message"]);
  for (const owner of BUILTIN_OWNERS) for (const n of Object.getOwnPropertyNames(owner)) names.add(n);
  for (const n of ESPRUINO_API_PROPS) names.add(n);
  return [...names].sort();
}

/** esbuild's mangle cache with every reserved name pinned to itself (never renamed, never handed out). */
export function reservedMangleCache(): Record<string, false> {
  const cache: Record<string, false> = { at: false };
  for (const n of reservedProps()) cache[n] = false;
  return cache;
}
