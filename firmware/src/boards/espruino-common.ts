// Shared glue between Espruino globals and the firmware's hal interfaces. The pin objects
// and serial port come from each board file; everything else is the same on every board.
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Hal, JournalGeometry } from "../hal/hal";
import type { FlashStore } from "../hal/flash";
import type { Clock, Timers, Leds, Buzzer, Button, UartSource, Display } from "../hal/io";
import type { SocketFactory } from "../hal/net";
import type { Hashing } from "../../../protocol/src/frame/types";

/**
 * Espruino's require for its built-in modules ("Storage", "crypto", "Wifi", "net",
 * "SSD1306"), reached through Espruino's `global` so the bundler neither resolves these
 * names nor wraps require in its shim (which needs Proxy, absent on 2v29).
 */
export function espruinoModule(name: string): any {
  return (global as unknown as { require(n: string): any }).require(name);
}
const req = espruinoModule;

export interface BoardPins {
  board: string;
  serial: any;
  rx: any;
  tx: any;
  baud: number;
  red: any;
  green: any;
  buzzer: any;
  button: any;
  /** True where the button reads 0 when pressed (ESP32 BOOT button). */
  buttonActiveLow: boolean;
  geometry: JournalGeometry;
  /** SHA-256 for boards whose Espruino build may lack require("crypto"); null: built-in only. */
  sha256: ((d: Uint8Array) => Uint8Array) | null;
}

export function espruinoFlash(): FlashStore {
  const s = req("Storage");
  return {
    read: (name, offset, length) => s["read"](name, offset, length),
    write: (name, data, offset, size) => s["write"](name, data, offset, size),
    erase: (name) => s["erase"](name),
    list: (filter) => s["list"](filter),
    readJSON: (name, noExceptions) => s.readJSON(name, noExceptions),
    writeJSON: (name, value) => s.writeJSON(name, value),
    getFree: () => s.getFree(),
  };
}

/** getTime() jumps on setTime(); uptime must not, so it is kept against a moving base. */
export function espruinoClock(): Clock {
  let base = getTime();
  return {
    now: () => getTime(),
    uptime: () => getTime() - base,
    setTime: (t) => {
      const up = getTime() - base;
      setTime(t);
      base = t - up;
    },
  };
}

export function espruinoTimers(): Timers {
  return {
    after: (ms, fn) => setTimeout(fn, ms) as unknown as number,
    cancel: (id) => clearTimeout(id as unknown as ReturnType<typeof setTimeout>),
  };
}

/** The built-in SHA256 (32-byte ArrayBuffer) where the board has it, else `fallback`. */
export function espruinoHashing(fallback: ((d: Uint8Array) => Uint8Array) | null): Hashing {
  let c: any = null;
  try {
    c = req("crypto");
  } catch {
    c = null; // a build without the module: the fallback, or a clear error at first use
  }
  return {
    sha256: c && c.SHA256 ? (d) => new Uint8Array(c.SHA256(d)) : fallback || (() => {
      throw new Error("no SHA256 on this board");
    }),
    crc32: (d) => E.CRC32(d) >>> 0,
  };
}

export function espruinoLeds(red: any, green: any): Leds {
  return {
    set: (r, g) => {
      digitalWrite(red, r ? 1 : 0);
      digitalWrite(green, g ? 1 : 0);
    },
  };
}

export function espruinoBuzzer(pin: any): Buzzer {
  return {
    tone: (hz) => {
      if (hz > 0) analogWrite(pin, 0.5, { "freq": hz });
      else analogWrite(pin, 0);
    },
  };
}

/** Press duration from the two edges; a watch event without details counts as a short press. */
export function espruinoButton(pin: any, activeLow: boolean): Button {
  return {
    onPress: (handler) => {
      let downAt = -1;
      setWatch(
        (e) => {
          if (!e) return handler(0);
          const pressed = activeLow ? !e["state"] : e["state"];
          if (pressed) downAt = e["time"];
          else {
            const ms = downAt >= 0 ? (e["time"] - downAt) * 1000 : 0;
            downAt = -1;
            handler(ms);
          }
        },
        pin,
        { "repeat": true, "edge": "both", "debounce": 50 },
      );
    },
  };
}

export function espruinoUart(serial: any, baud: number, rx: any, tx: any): UartSource {
  serial["setup"](baud, { "rx": rx, "tx": tx });
  return {
    onData: (handler) => serial.on("data", handler),
  };
}

export function buildHal(p: BoardPins, display: Display | null, net: SocketFactory | null): Hal {
  return {
    board: p.board,
    flash: espruinoFlash(),
    uart: espruinoUart(p.serial, p.baud, p.rx, p.tx),
    leds: espruinoLeds(p.red, p.green),
    buzzer: espruinoBuzzer(p.buzzer),
    button: espruinoButton(p.button, p.buttonActiveLow),
    display: display,
    clock: espruinoClock(),
    timers: espruinoTimers(),
    random: { u32: () => E.hwRand() >>> 0 },
    hashing: espruinoHashing(p.sha256),
    crc32Str: (s) => E.CRC32(s) >>> 0,
    net: net,
    geometry: p.geometry,
    log: (msg) => print("[vt] " + msg),
    memoryUsage: () => (process as unknown as { memory(): { usage: number } })["memory"]()["usage"],
  };
}
