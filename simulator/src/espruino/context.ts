// One isolated JavaScript realm per board, shaped like Espruino 2v29: node:vm with string
// and wasm code generation off, the Espruino API built inside it by prelude.js, and every
// built-in the real interpreter lacks removed from the realm's own intrinsics.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import vm from "node:vm";
import type { BoardFacts } from "../board/boards";
import { watchRealms } from "./memory";

/** Host functions the prelude builds the API from; they take and return primitives only. */
export interface EspruinoBridge {
  isOff(): boolean;
  print(text: string): void;
  pinWrite(pin: string, v: number): void;
  pinRead(pin: string): number;
  analogWrite(pin: string, duty: number, freq: number): void;
  setWatch(fn: unknown, pin: string, repeat: boolean, edge: string, debounce: number): number;
  clearWatch(id: number): void;
  getTime(): number;
  setTime(s: number): void;
  setTimeZone(z: number): void;
  timerSet(fn: unknown, ms: number, repeat: boolean, args: unknown): number;
  timerClear(id: number): void;
  timerChange(id: number, ms: number): void;
  hwRand(): number;
  crc32(s: string): number;
  btoa(s: string): string;
  atob(s: string): string;
  errorFlags(): string;
  reboot(): void;
  memory(): string;
  serialSetup(port: string, baud: number, rx: string, tx: string): void;
  serialWrite(port: string, data: string): void;
  i2cSetup(bus: string, scl: string, sda: string): void;
  storageRead(name: string, offset: number, length: number): string | undefined;
  storageWrite(name: string, data: string, offset: number, size: number): boolean;
  storageErase(name: string): void;
  storageList(): string;
  storageFree(): number;
  storageStats(): string;
  storageCompact(): void;
  netConnect(host: string, port: number, target: unknown): number;
  netWrite(id: number, data: string): void;
  netEnd(id: number): void;
  wifiConnect(ssid: string, password: string, cb: unknown): void;
  wifiDisconnect(cb: unknown): void;
  wifiConnected(): boolean;
  displayFlip(linesJson: string): void;
  /** Hex digest of a byte string ("sha1" | "sha256"), for require("crypto"). */
  sha(alg: string, data: string): string;
  /** Moves the console to a port (USB, Serial1, LoopbackA...). */
  setConsole(port: string, force: boolean): void;
}

/** What the prelude hands back: ways to deliver events as objects of the board's realm. */
export interface ContextHooks {
  emit(target: string, ev: string, a?: unknown, b?: unknown): boolean;
  emitOn(obj: unknown, ev: string, a?: unknown): boolean;
  watchEvent(fn: unknown, state: boolean, time: number, lastTime: number | undefined): void;
  callArgs(fn: unknown, args: unknown): void;
  errorText(e: unknown): string;
  /** Objects of the interpreter reached only through require() (built-ins, not variables). */
  internals: unknown[];
}

export interface EspruinoContext {
  context: vm.Context;
  global: Record<string, unknown>;
  hooks: ContextHooks;
  /** Unique realm name (the inspector finds closures by it). */
  name: string;
}

let realmCounter = 0;

let preludeSource: string | null = null;

export function createEspruinoContext(bridge: EspruinoBridge, facts: BoardFacts, name: string): EspruinoContext {
  preludeSource ??= readFileSync(join(__dirname, "prelude.js"), "utf8");
  name = `vt-${name}-${process.pid}-${++realmCounter}`;
  watchRealms();
  const context = vm.createContext({}, { name, codeGeneration: { strings: false, wasm: false } });
  const factsHere = vm.runInContext("JSON.parse(" + JSON.stringify(JSON.stringify(facts)) + ")", context);
  const install = new vm.Script(preludeSource, { filename: "espruino-2v29-prelude.js" }).runInContext(context) as (b: EspruinoBridge, f: unknown) => ContextHooks;
  const hooks = install(bridge, factsHere);
  const global = vm.runInContext("globalThis", context) as Record<string, unknown>;
  return { context, global, hooks, name };
}

/** Runs the upload file as the board does at power-up. Throws what the code throws. */
export function evaluateUpload(ctx: EspruinoContext, source: string, fileName: string): void {
  new vm.Script(source, { filename: fileName }).runInContext(ctx.context, { timeout: 10000 });
}
