// Property names the bundler must never rename. Every other property name in the board's
// bundle is mangled to a short one; that is only sound for names that live entirely inside
// the bundle. Kept here, by reason:
// - JavaScript built-ins (read from this Node's own objects, the superset of what 2v29 has);
// - Espruino's API: methods and option keys the firmware calls or passes, plus the members
//   Espruino adds to every object and function (a mangled optional field named `on` would
//   read Object.prototype.on on the board and look present);
// - names kept in Storage: the `vtstate` JSON (last command id and the pushed config, whose
//   object is used throughout the firmware). The `vtcfg` keys are quoted where they are read
//   (config.ts), so they stay whatever the list says; they are listed too as a second guard.

const BUILTIN_OWNERS: unknown[] = [
  Object, Object.prototype, Function.prototype, Array, Array.prototype, String, String.prototype,
  Number, Number.prototype, Boolean.prototype, Math, JSON, Date, Date.prototype, RegExp.prototype,
  Error, Error.prototype, Promise, Promise.prototype, ArrayBuffer, ArrayBuffer.prototype,
  Uint8Array, Uint8Array.prototype, Object.getPrototypeOf(Uint8Array.prototype), DataView.prototype,
];

/** Members of Espruino's objects the firmware reaches (boards/*, the hal glue). */
export const ESPRUINO_API_PROPS = [
  // members Espruino adds to every object / function
  "on", "emit", "removeListener", "removeAllListeners", "prependListener", "addListener", "clone", "replaceWith", "dump",
  // global.require, Storage, crypto, E, process
  "require", "read", "write", "erase", "list", "readJSON", "writeJSON", "getFree", "SHA256", "CRC32", "hwRand", "memory", "usage",
  // Serial / USB / LoopbackA, setWatch events and options, analogWrite options
  "setup", "rx", "tx", "setConsole", "state", "time", "repeat", "edge", "debounce", "freq",
  // ESP32: Wifi, net sockets, I2C, SSD1306 graphics
  "connect", "password", "host", "port", "end", "scl", "sda", "clear", "setFont", "drawString", "flip", "stack",
];

/** Keys of JSON the board keeps in Storage. */
export const PERSISTED_PROPS = [
  // vtstate (sync/device-state.ts)
  "command", "config", "sessionTimeout", "batchMax", "warnFreePct",
  // vtcfg (config.ts, also quoted there)
  "device", "secret", "institution", "operator", "mqtt", "wifi", "ssid",
];

export function reservedProps(): string[] {
  const names = new Set<string>(["__proto__", "prototype", "constructor", "length", "name", "message"]);
  for (const owner of BUILTIN_OWNERS) for (const n of Object.getOwnPropertyNames(owner)) names.add(n);
  for (const n of ESPRUINO_API_PROPS) names.add(n);
  for (const n of PERSISTED_PROPS) names.add(n);
  return [...names].sort();
}

/** esbuild's mangle cache with every reserved name pinned to itself (never renamed, never handed out). */
export function reservedMangleCache(): Record<string, false> {
  const cache: Record<string, false> = { at: false };
  for (const n of reservedProps()) cache[n] = false;
  return cache;
}
