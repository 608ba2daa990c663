// One emulated Espruino scanner board: the same upload file as the real board, run in a
// realm shaped like Espruino 2v29, over a flash that follows NOR rules and survives power
// cuts, with its world (scanner, button, link) driven by the host in virtual time.
import { zlibCrc32 } from "./crc";
import { boardFacts, type BoardFacts, type BoardId } from "./boards";
import { createEspruinoContext, evaluateUpload, type EspruinoBridge, type EspruinoContext } from "../espruino/context";
import { EventLog } from "../espruino/events";
import { Flash } from "../espruino/flash";
import { MemoryBaseline, walkVars, type VarCount } from "../espruino/memory";
import { NetLink, type SocketEvent } from "../espruino/net-link";
import { PowerCut, isPowerCut, type PowerCutPlan } from "../espruino/power-cut";
import { randomInt, seededRng, type Rng } from "../espruino/random";
import { Storage, type StorageStats } from "../espruino/storage";
import { checkBundle, type SubsetViolation } from "../espruino/subset-check";
import { detokenise } from "../espruino/pretokenise";
import { scanChunks, type ScanOptions } from "../espruino/uart";
import { VirtualTimers } from "../espruino/virtual-timers";
import { createHash } from "node:crypto";
import vm from "node:vm";
import { UsbPort, type UsbHost } from "./usb-host";

export interface EmulatedBoardOptions {
  board: BoardId;
  id?: string;
  seed: number;
  /** Start from this flash content (e.g. another board's `flashImage()`). */
  flashImage?: Uint8Array;
  /** Share one virtual clock between the boards of a fleet. */
  clock?: VirtualTimers;
  /** Virtual ms per real I/O poll while sockets are open (default 10). */
  netSliceMs?: number;
}

export interface DeviceConfig {
  device: string;
  secret: string;
  institution: string;
  operator: string;
  mqtt?: { host: string; port: number };
  wifi?: { ssid: string; password: string };
  [extra: string]: unknown;
}

export class LoadRefused extends Error {
  constructor(readonly violations: SubsetViolation[]) {
    super("the board would not run this upload file: " + violations.map((v) => `${v.line}:${v.column} ${v.rule}: ${v.message}`).join("; "));
    this.name = "LoadRefused";
  }
}

export interface MemoryUsage {
  usage: number;
  total: number;
  free: number;
}

export interface FlashStats extends StorageStats {
  highWaterBytes: number;
  erasesPerPage: number[];
  writes: number;
  erases: number;
  bytesWritten: number;
  compactions: number;
}

interface Watch {
  fn: unknown;
  pin: string;
  repeat: boolean;
  edge: string;
  debounce: number;
}

let boardCounter = 0;

export class EmulatedBoard {
  readonly facts: BoardFacts;
  readonly id: string;
  readonly flash: Flash;
  readonly storage: Storage;
  readonly clock: VirtualTimers;
  readonly events = new EventLog();
  readonly net: NetLink | null;
  /** The host's end of the board's USB serial port (boards with USB only, i.e. the Pico). */
  readonly usb: UsbHost | null;
  /** The barcode module wired to the board's scanner UART. */
  readonly scanner: { scan: (line: string, opts?: ScanOptions) => number };
  /** Uncaught exceptions reported by the firmware's realm. */
  uncaughtErrors = 0;
  /** Bytes the scanner sent while the UART was not set up to receive them. */
  uartDroppedBytes = 0;
  boots = 0;

  private readonly rng: Rng;
  private readonly fwOwner: string;
  private readonly hostOwner: string;
  private readonly netSliceMs: number;
  private upload: string | null = null;
  private uploadName = "upload.js";
  private ctx: EspruinoContext | null = null;
  private baseline: MemoryBaseline | null = null;
  private on = false;
  private pins = new Map<string, number>();
  /** getTime() of each pin's last change (setWatch reports it as lastTime). */
  private pinChangedAt = new Map<string, number>();
  private watches = new Map<number, Watch>();
  private nextWatch = 1;
  private serials = new Map<string, { baud: number; rx: string; tx: string }>();
  private serialOut = new Map<string, string>();
  private clockBase = 0;
  private clockSetAt = 0;
  private scannerFreeAt = 0;
  private wifiWanted = false;
  private wifiConnected = false;
  /** The callback of a Wifi.connect still waiting for its answer. */
  private wifiPendingCb: unknown = null;
  private readonly usbPort: UsbPort | null;
  /** The port print() writes to and console input arrives on. */
  private consolePort = "Serial1";

  constructor(opts: EmulatedBoardOptions) {
    this.facts = boardFacts(opts.board);
    this.id = opts.id ?? `${opts.board}-${++boardCounter}`;
    this.rng = seededRng(opts.seed);
    this.clock = opts.clock ?? new VirtualTimers();
    this.fwOwner = "fw:" + this.id + ":" + ++boardCounter;
    this.hostOwner = "host:" + this.id + ":" + boardCounter;
    this.netSliceMs = opts.netSliceMs ?? 10;
    this.flash = new Flash(this.facts.storageBytes, this.facts.pageSize, opts.flashImage);
    this.storage = new Storage(this.flash);
    this.net = this.facts.hasNet
      ? new NetLink({
          later: (ms, fn) => this.clock.schedule(ms, fn, 0, this.hostOwner),
          deliver: (target, ev, arg) => this.deliverSocket(target, ev, arg),
          linkChanged: (up) => this.linkChanged(up),
        })
      : null;
    this.scanner = { scan: (line, o) => this.scan(line, o ?? {}) };
    this.usbPort = this.facts.usb
      ? new UsbPort({
          later: (ms, fn) => this.clock.schedule(ms, fn, 0, this.hostOwner),
          powered: () => this.on,
          consoleOnUsb: () => this.on && this.consolePort === "USB",
          deliver: (chunk) => {
            const ctx = this.ctx;
            if (ctx) this.run(() => ctx.hooks.emit("USB", "data", chunk));
          },
        })
      : null;
    this.usb = this.usbPort;
    this.resetPins();
  }

  get powered(): boolean {
    return this.on;
  }

  /** Virtual ms since the emulator started. */
  get now(): number {
    return this.clock.now;
  }

  // ---------------------------------------------------------------- host API: lifecycle

  /** Writes the device config file "vtcfg" into Storage, as `writeJSON` on the board would. */
  provision(cfg: DeviceConfig): void {
    this.storage.write("vtcfg", bytesOf(JSON.stringify(cfg)));
  }

  /**
   * Accepts an upload file, refusing one that uses what 2v29 lacks or mis-runs (the subset
   * gate). `unchecked` skips the gate, only to show what such a file then does at run time.
   */
  load(uploadSource: string, opts: { fileName?: string; unchecked?: boolean } = {}): void {
    const fileName = opts.fileName ?? "upload.js";
    // a pretokenised upload is read as the board's lexer reads it; gate and realm see plain JS
    const source = detokenise(uploadSource);
    const violations = opts.unchecked ? [] : checkBundle(source, fileName);
    if (violations.length) throw new LoadRefused(violations);
    this.upload = source;
    this.uploadName = fileName;
  }

  /** Power-up: a fresh realm runs the upload file over the flash as it is, then E "init". */
  powerOn(): void {
    if (this.upload === null) throw new Error("no upload file loaded");
    if (this.on) return;
    this.flash.restorePower();
    this.resetPins();
    this.clockBase = this.facts.clockBackedUp ? this.getTime() : this.facts.bootTime;
    this.clockSetAt = this.clock.now;
    this.boots++;
    // the Pico's console is USB while it is plugged in (it is, to its host); else Serial1
    this.consolePort = this.facts.usb ? "USB" : "Serial1";
    this.usbPort?.reset();
    this.ctx = createEspruinoContext(this.bridge(), this.facts, this.id);
    this.baseline = new MemoryBaseline();
    this.baseline.capture([this.ctx.global, this.ctx.hooks, ...this.ctx.hooks.internals]);
    this.on = true;
    this.events.push({ t: this.clock.now, kind: "power", state: "on" });
    const ctx = this.ctx;
    this.run(() => evaluateUpload(ctx, this.upload as string, this.uploadName));
    this.run(() => ctx.hooks.emit("E", "init"));
  }

  /** Pulls the plug between two flash operations. */
  powerCut(): void {
    if (!this.on) return;
    this.flash.powerOff();
    this.halt("cut");
  }

  /** Cuts power at a chosen byte of a chosen flash write or erase (see PowerCutPlan). */
  armPowerCut(plan: PowerCutPlan): void {
    this.flash.armPowerCut(plan);
  }

  /** Cuts power after a seeded random number of written bytes in [0, maxBytes). */
  armRandomPowerCut(seed: number, maxBytes: number): number {
    const n = randomInt(seededRng(seed), 0, Math.max(0, maxBytes - 1));
    this.flash.armPowerCut({ afterBytes: n });
    return n;
  }

  /** A clean restart: RAM, timers and sockets are lost, flash is kept. */
  reboot(): void {
    if (this.on) this.halt("off");
    this.powerOn();
  }

  // ---------------------------------------------------------------- host API: the world

  pressButton(ms: number): void {
    const pressed = this.facts.button.activeHigh ? 1 : 0;
    this.setPin(this.facts.button.pin, pressed);
    this.clock.schedule(ms, () => this.setPin(this.facts.button.pin, pressed ^ 1), 0, this.hostOwner);
  }

  setLinkUp(up: boolean): void {
    if (!this.net) throw new Error(`board ${this.facts.id} has no network link`);
    this.net.setUp(up);
  }

  /** Link windows in absolute virtual ms: up inside each [fromMs, toMs), down elsewhere. */
  setLinkSchedule(windows: { fromMs: number; toMs: number }[]): void {
    const net = this.net;
    if (!net) throw new Error(`board ${this.facts.id} has no network link`);
    const now = this.clock.now;
    net.setUp(windows.some((w) => w.fromMs <= now && now < w.toMs));
    for (const w of windows) {
      if (w.fromMs > now) this.clock.schedule(w.fromMs - now, () => net.setUp(true), 0, this.hostOwner);
      if (w.toMs > now) this.clock.schedule(w.toMs - now, () => net.setUp(windows.some((x) => x !== w && x.fromMs <= w.toMs && w.toMs < x.toMs)), 0, this.hostOwner);
    }
  }

  setLatency(ms: number): void {
    if (this.net) this.net.latencyMs = ms;
  }

  /** Advances virtual time, firing timers in order; while sockets are open, real I/O gets its turn. */
  async advance(ms: number): Promise<void> {
    const target = this.clock.now + ms;
    while (this.clock.now < target) {
      const ioActive = !!this.net && this.net.openSockets > 0;
      // with sockets open, small slices give real I/O its turn; otherwise jump timer to timer
      // (a timer may open a socket, after which slicing starts)
      const next = this.clock.nextDue();
      const until = ioActive ? Math.min(this.clock.now + this.netSliceMs, target) : Math.min(target, Math.max(next ?? target, this.clock.now));
      this.clock.runUntil(until);
      if (ioActive) await new Promise((r) => setTimeout(r, 1));
      else if (until === this.clock.now && next !== undefined && next <= this.clock.now) continue;
    }
    await new Promise((r) => setImmediate(r));
  }

  /** Advances in steps until `done()` holds or `maxMs` of virtual time passed; returns done(). */
  async advanceUntil(done: () => boolean, maxMs: number, stepMs = 50): Promise<boolean> {
    const end = this.clock.now + maxMs;
    while (!done() && this.clock.now < end) await this.advance(Math.min(stepMs, end - this.clock.now));
    return done();
  }

  // ---------------------------------------------------------------- host API: observation

  /** Timeouts and intervals the firmware has pending (none: the board would sleep). */
  get firmwareTimers(): number {
    return this.clock.count(this.fwOwner);
  }

  memoryUsage(): MemoryUsage {
    const total = this.facts.totalVars;
    const usage = this.memoryWalk().vars;
    return { usage, total, free: total - usage };
  }

  /** The variable count with the walk's own figures (functions, scopes, inspector calls). */
  memoryWalk(): VarCount {
    if (!this.ctx || !this.baseline) return { vars: 0, functions: 0, scopes: 0, inspectorCalls: 0 };
    const roots: unknown[] = [this.ctx.global, this.ctx.hooks, ...this.clock.heldBy(this.fwOwner)];
    for (const w of this.watches.values()) roots.push(w.fn);
    // the upload runs from Storage (.bootcde): its functions' code stays in flash
    return walkVars(roots, this.baseline, { global: this.ctx.global, name: this.ctx.name, flashCode: this.upload ?? undefined });
  }

  flashStats(): FlashStats {
    const s = this.flash.stats();
    return {
      ...this.storage.getStats(),
      highWaterBytes: this.storage.highWater,
      erasesPerPage: s.erasesPerPage,
      writes: s.writes,
      erases: s.erases,
      bytesWritten: s.bytesWritten,
      compactions: this.storage.compactions,
    };
  }

  flashImage(): Uint8Array {
    return this.flash.image();
  }

  /** Bytes the firmware wrote to a UART (e.g. commands to the scanner module). */
  serialOutput(port: string): string {
    return this.serialOut.get(port) ?? "";
  }

  /** Runs code in the board's realm (tests and tools); returns a JSON-able result. */
  evaluate(source: string): unknown {
    if (!this.ctx) throw new Error("board is off");
    const ctx = this.ctx;
    let out: unknown;
    this.run(() => {
      out = vm.runInContext(source, ctx.context, { timeout: 5000 });
    });
    return out;
  }

  getTime(): number {
    return this.clockBase + (this.clock.now - this.clockSetAt) / 1000;
  }

  // ---------------------------------------------------------------- internals

  /** Every entry into the firmware goes through here: a cut ends the board, an error is reported. */
  private run(fn: () => void): void {
    if (!this.on) return;
    try {
      fn();
    } catch (e) {
      if (isPowerCut(e) || this.flash.cut) {
        this.halt("cut", isPowerCut(e) ? e.message : undefined);
        return;
      }
      this.uncaughtErrors++;
      const text = "Uncaught " + (this.ctx ? this.ctx.hooks.errorText(e) : String(e));
      this.events.push({ t: this.clock.now, kind: "error", text });
      this.events.push({ t: this.clock.now, kind: "console", text });
    }
    // a firmware that caught the PowerCut is still dead
    if (this.on && this.flash.cut) this.halt("cut");
  }

  private halt(state: "off" | "cut", note?: string): void {
    this.on = false;
    this.ctx = null;
    this.baseline = null;
    this.clock.clear(this.fwOwner);
    this.watches.clear();
    this.serials.clear();
    this.net?.resetAll();
    this.wifiWanted = false;
    this.wifiConnected = false;
    this.wifiPendingCb = null;
    this.events.push({ t: this.clock.now, kind: "power", state, note });
  }

  private resetPins(): void {
    this.pins.clear();
    this.pinChangedAt.clear();
    this.pins.set(this.facts.button.pin, this.facts.button.activeHigh ? 0 : 1);
  }

  private alive(): void {
    if (!this.on || this.flash.cut) throw new PowerCut("(board is off)");
  }

  private setPin(pin: string, v: number): void {
    const old = this.pins.get(pin) ?? 0;
    this.pins.set(pin, v);
    if (old === v || !this.on) return;
    const changedAt = this.getTime();
    const previousChange = this.pinChangedAt.get(pin);
    this.pinChangedAt.set(pin, changedAt);
    for (const [id, w] of this.watches) {
      if (w.pin !== pin) continue;
      if ((w.edge === "rising" && v !== 1) || (w.edge === "falling" && v !== 0)) continue;
      this.clock.schedule(w.debounce, () => {
        if (this.pins.get(pin) !== v || !this.watches.has(id)) return; // bounced back
        if (!w.repeat) this.watches.delete(id);
        const ctx = this.ctx;
        if (ctx) this.run(() => ctx.hooks.watchEvent(w.fn, v === 1, changedAt, previousChange));
      }, 0, this.fwOwner);
    }
  }

  private scan(line: string, opts: ScanOptions): number {
    const { chunks, durationMs, baud } = scanChunks(line, opts, this.facts.scanner.baud, this.rng);
    const start = Math.max(this.clock.now, this.scannerFreeAt);
    this.scannerFreeAt = start + durationMs;
    const port = this.facts.scanner.serial;
    for (const c of chunks) {
      this.clock.schedule(start - this.clock.now + c.atMs, () => {
        const s = this.serials.get(port);
        if (!this.on || !s || s.rx !== this.facts.scanner.rx || s.baud !== baud) {
          this.uartDroppedBytes += c.data.length;
          return;
        }
        const ctx = this.ctx;
        if (ctx) this.run(() => ctx.hooks.emit(port, "data", c.data));
      }, 0, this.hostOwner);
    }
    return this.scannerFreeAt;
  }

  private deliverSocket(target: unknown, ev: SocketEvent, arg?: string): void {
    const ctx = this.ctx;
    if (ctx) this.run(() => ctx.hooks.emitOn(target, ev, arg));
  }

  private linkChanged(up: boolean): void {
    this.events.push({ t: this.clock.now, kind: "link", up });
    if (!this.on || !this.wifiWanted) return;
    if (!up && this.wifiConnected) {
      this.wifiConnected = false;
      const ctx = this.ctx;
      if (ctx) this.run(() => ctx.hooks.emit("Wifi", "disconnected", undefined));
    } else if (up && !this.wifiConnected) {
      this.clock.schedule(200, () => this.wifiUp(null), 0, this.fwOwner); // the ESP32 rejoins by itself
    }
  }

  private wifiUp(cb: unknown): void {
    if (!this.on || !this.net?.up || this.wifiConnected) return;
    this.wifiConnected = true;
    cb = cb ?? this.wifiPendingCb;
    this.wifiPendingCb = null;
    const ctx = this.ctx;
    if (!ctx) return;
    if (cb) this.run(() => ctx.hooks.callArgs(cb, [null]));
    this.run(() => ctx.hooks.emit("Wifi", "connected", undefined));
  }

  private bridge(): EspruinoBridge {
    const fw = this.fwOwner;
    const led = (pin: string) => this.facts.leds.find((l) => l.pin === pin);
    return {
      isOff: () => !this.on || this.flash.cut,
      print: (text) => {
        this.alive();
        this.events.push({ t: this.clock.now, kind: "console", text: String(text) });
        if (this.consolePort === "USB") this.usbPort?.fromBoard(String(text) + "\r\n");
      },
      pinWrite: (pin, v) => {
        this.alive();
        const l = led(pin);
        const before = this.pins.get(pin);
        this.setPin(pin, v);
        if (l && before !== v) this.events.push({ t: this.clock.now, kind: "led", led: l.global, pin, on: l.activeHigh ? v === 1 : v === 0 });
      },
      pinRead: (pin) => {
        this.alive();
        return this.pins.get(pin) ?? 0;
      },
      analogWrite: (pin, duty, freq) => {
        this.alive();
        if (pin === this.facts.buzzerPin) this.events.push({ t: this.clock.now, kind: "buzzer", pin, duty, freq });
        else this.events.push({ t: this.clock.now, kind: "pin", pin, value: duty });
      },
      setWatch: (fn, pin, repeat, edge, debounce) => {
        this.alive();
        const id = this.nextWatch++;
        this.watches.set(id, { fn, pin, repeat, edge, debounce });
        return id;
      },
      clearWatch: (id) => {
        this.alive();
        if (id === -1) this.watches.clear();
        else if (!this.watches.delete(id)) throw new Error("Invalid ID");
      },
      getTime: () => this.getTime(),
      setTime: (s) => {
        this.alive();
        this.clockBase = s;
        this.clockSetAt = this.clock.now;
      },
      setTimeZone: () => undefined,
      timerSet: (fn, ms, repeat, args) => {
        this.alive();
        const id: number = this.clock.schedule(ms, () => {
          const ctx = this.ctx;
          if (ctx) this.run(() => ctx.hooks.callArgs(fn, args));
        }, repeat ? Math.max(ms, 1) : 0, fw, [fn, args]);
        return id;
      },
      timerClear: (id) => {
        this.alive();
        if (id === -1) this.clock.clear(fw);
        else if (this.clock.ownerOf(id) === fw) this.clock.cancel(id);
      },
      timerChange: (id, ms) => {
        this.alive();
        if (this.clock.ownerOf(id) === fw) this.clock.changeInterval(id, ms);
      },
      hwRand: () => Math.floor(this.rng() * 4294967296) >>> 0,
      crc32: (s) => zlibCrc32(bytesOf(s)),
      btoa: (s) => Buffer.from(bytesOf(s)).toString("base64"),
      atob: (s) => Buffer.from(s, "base64").toString("latin1"),
      errorFlags: () => JSON.stringify([]),
      reboot: () => {
        this.alive();
        this.clock.schedule(0, () => this.reboot(), 0, this.hostOwner);
        throw new PowerCut("(E.reboot)");
      },
      memory: () => {
        this.alive();
        const m = this.memoryUsage();
        return JSON.stringify({ free: m.free, usage: m.usage, total: m.total, history: 0, gc: 0, gctime: 0, blocksize: 16 });
      },
      serialSetup: (port, baud, rx, tx) => {
        this.alive();
        this.serials.set(port, { baud, rx, tx });
      },
      serialWrite: (port, data) => {
        this.alive();
        if (port === "USB") this.usbPort?.fromBoard(data);
        else this.serialOut.set(port, (this.serialOut.get(port) ?? "") + data);
      },
      setConsole: (port) => {
        this.alive();
        this.consolePort = port;
      },
      sha: (alg, data) => {
        if (alg !== "sha1" && alg !== "sha256") throw new Error("unknown digest " + alg);
        return createHash(alg).update(bytesOf(data)).digest("hex");
      },
      i2cSetup: () => this.alive(),
      storageRead: (name, offset, length) => {
        this.alive();
        const b = this.storage.read(name, offset, length < 0 ? undefined : length);
        return b === undefined ? undefined : stringOf(b);
      },
      storageWrite: (name, data, offset, size) => {
        this.alive();
        return this.storage.write(name, bytesOf(data), offset, size);
      },
      storageErase: (name) => {
        this.alive();
        this.storage.erase(name);
      },
      storageList: () => {
        this.alive();
        return JSON.stringify(this.storage.list());
      },
      storageFree: () => {
        this.alive();
        return this.storage.getFree();
      },
      storageStats: () => {
        this.alive();
        return JSON.stringify(this.storage.getStats());
      },
      storageCompact: () => {
        this.alive();
        this.storage.compact();
      },
      netConnect: (host, port, target) => {
        this.alive();
        if (!this.net) throw new Error("no network on this board");
        return this.net.connect(host, port, target, this.wifiConnected);
      },
      netWrite: (id, data) => {
        this.alive();
        this.net?.write(id, data);
      },
      netEnd: (id) => {
        this.alive();
        this.net?.end(id);
      },
      wifiConnect: (_ssid, _password, cb) => {
        this.alive();
        this.wifiWanted = true;
        this.wifiPendingCb = cb;
        if (this.net?.up) this.clock.schedule(200, () => this.wifiUp(null), 0, fw);
        else
          // no access point: the answer is a failure after 5 s unless the link came back first
          this.clock.schedule(5000, () => {
            const ctx = this.ctx;
            if (!this.wifiConnected && this.wifiPendingCb === cb) {
              this.wifiPendingCb = null;
              if (cb && ctx) this.run(() => ctx.hooks.callArgs(cb, ["Connection failed"]));
            }
          }, 0, fw);
      },
      wifiDisconnect: (cb) => {
        this.alive();
        this.wifiWanted = false;
        const was = this.wifiConnected;
        this.wifiConnected = false;
        const ctx = this.ctx;
        if (ctx) {
          this.clock.schedule(0, () => {
            if (was) this.run(() => ctx.hooks.emit("Wifi", "disconnected", undefined));
            if (cb) this.run(() => ctx.hooks.callArgs(cb, []));
          }, 0, fw);
        }
      },
      wifiConnected: () => this.wifiConnected,
      displayFlip: (linesJson) => {
        this.alive();
        const lines = (JSON.parse(linesJson) as [string, number, number][]).sort((a, b) => a[2] - b[2] || a[1] - b[1]).map((l) => l[0]);
        this.events.push({ t: this.clock.now, kind: "display", lines });
      },
    };
  }
}

/** Byte string (one char per byte) to bytes. */
export function bytesOf(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

export function stringOf(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString("latin1");
}
