// Shared glue between Espruino globals and the firmware's hal interfaces. The pin objects
// and serial port come from each board file; everything else is the same on every board.
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Hal, JournalGeometry } from "../hal/hal";
import type { FlashStore } from "../hal/flash";
import type { Display } from "../hal/io";
import type { SocketFactory } from "../hal/net";

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

/**
 * The Storage module is the FlashStore as it is (same methods and arguments; their names are on
 * the bundler's reserve list), so no wrapper functions take RAM.
 */
export function espruinoFlash(): FlashStore {
  return req("Storage") as FlashStore;
}

/**
 * The hal over Espruino's globals. One function on purpose: every function and every scope it
 * closes over is RAM on the board, so the parts share this one scope instead of each factory
 * keeping its own.
 */
export function buildHal(p: BoardPins, display: Display | null, net: SocketFactory | null): Hal {
  // getTime() jumps on setTime(); uptime must not, so it is kept against a moving base.
  let base = getTime();
  let crypto: any = null;
  try {
    crypto = req("crypto");
  } catch {
    crypto = null; // a build without the module: the fallback, or a clear error at first use
  }
  const fallback = p.sha256;
  const red = p.red;
  const green = p.green;
  const buzzer = p.buzzer;
  const serial = p.serial;
  serial["setup"](p.baud, { "rx": p.rx, "tx": p.tx });
  // one function for both CRC-32 entries (E.CRC32 takes a string or bytes)
  const crc32 = (d: string | Uint8Array) => E.CRC32(d) >>> 0;
  return {
    board: p.board,
    flash: req("Storage") as FlashStore,
    uart: { onData: (handler) => serial.on("data", handler) },
    leds: {
      set: (r, g) => {
        digitalWrite(red, r ? 1 : 0);
        digitalWrite(green, g ? 1 : 0);
      },
    },
    buzzer: {
      tone: (hz) => {
        if (hz > 0) analogWrite(buzzer, 0.5, { "freq": hz });
        else analogWrite(buzzer, 0);
      },
    },
    // Press duration from the two edges; a watch event without details counts as a short press.
    button: {
      onPress: (handler) => {
        let downAt = -1;
        setWatch(
          (e) => {
            if (!e) return handler(0);
            const pressed = p.buttonActiveLow ? !e["state"] : e["state"];
            if (pressed) downAt = e["time"];
            else {
              const ms = downAt >= 0 ? (e["time"] - downAt) * 1000 : 0;
              downAt = -1;
              handler(ms);
            }
          },
          p.button,
          { "repeat": true, "edge": "both", "debounce": 50 },
        );
      },
    },
    display: display,
    clock: {
      now: () => getTime(),
      uptime: () => getTime() - base,
      setTime: (t) => {
        const up = getTime() - base;
        setTime(t);
        base = t - up;
      },
    },
    timers: {
      after: (ms, fn) => setTimeout(fn, ms) as unknown as number,
      cancel: (id) => clearTimeout(id as unknown as ReturnType<typeof setTimeout>),
    },
    random: { u32: () => E.hwRand() >>> 0 },
    // The built-in SHA256 (32-byte ArrayBuffer) where the board has it, else the board's fallback.
    hashing: {
      sha256: crypto && crypto.SHA256 ? (d) => new Uint8Array(crypto.SHA256(d)) : fallback || (() => {
        throw new Error("no SHA256");
      }),
      crc32: crc32,
    },
    crc32Str: crc32,
    net: net,
    geometry: p.geometry,
    log: (msg) => print("[vt] " + msg),
  };
}
