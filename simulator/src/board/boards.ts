// Facts about the two scanner boards that the emulator reproduces. Flash figures are the
// Storage area the firmware may use, not the chip's whole flash:
// - Espruino Pico (STM32F401CDU6, 384 KB flash): Espruino keeps Storage in the chip's three
//   16 KB sectors at 0x08004000, so 48 KB with 16 KB erase pages (a page erase wipes 16 KB).
// - ESP32 (4 MB SPI flash): Storage gets 1 MB in 4 KB sectors.
// Variable counts are what process.memory().total reports on those builds: the Pico's is the
// `variables` of its 2v29 board file (firmware/vendor/PICOR1_3.json: 5,100); the ESP32 build
// sizes its pool from the heap at boot (its board file's 2,500 is the floor; ~12,000 without
// PSRAM is the figure used here, not measured). Neither board has a battery-backed clock:
// after any reset getTime() starts again near zero.
// Built-in modules follow the board files' `builtin_modules`: both list "crypto" (SHA1 and
// SHA256 returning ArrayBuffers). Only the Pico has the `USB` serial device (USB CDC, the
// console while plugged in); the ESP32's console is Serial1 behind its USB-UART chip.

export type BoardId = "pico" | "esp32";

export interface LedPin {
  global: "LED1" | "LED2";
  pin: string;
  colour: "red" | "green" | "blue";
  activeHigh: boolean;
}

export interface BoardFacts {
  id: BoardId;
  storageBytes: number;
  pageSize: number;
  totalVars: number;
  /** getTime() survives a reboot only with a backed-up RTC. */
  clockBackedUp: boolean;
  /** getTime() right after power-on when the clock is not backed up (seconds). */
  bootTime: number;
  leds: LedPin[];
  button: { globals: string[]; pin: string; activeHigh: boolean };
  buzzerPin: string;
  scanner: { serial: "Serial1" | "Serial2"; rx: string; tx: string; baud: number };
  display?: { i2c: "I2C1"; scl: string; sda: string; width: number; height: number };
  hasNet: boolean;
  /** The board has the `USB` serial device (and LoopbackA/B to move the console off it). */
  usb: boolean;
  /** The build has require("crypto") with SHA1/SHA256. */
  crypto: boolean;
  /** Every pin name that exists as a global on the board. */
  pins: string[];
}

function range(prefix: string, from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(prefix + i);
  return out;
}

export const BOARDS: Record<BoardId, BoardFacts> = {
  pico: {
    id: "pico",
    storageBytes: 48 * 1024,
    pageSize: 16 * 1024,
    totalVars: 5100,
    clockBackedUp: false,
    bootTime: 0,
    leds: [
      { global: "LED1", pin: "A13", colour: "red", activeHigh: true },
      { global: "LED2", pin: "A14", colour: "green", activeHigh: true },
    ],
    button: { globals: ["BTN", "BTN1"], pin: "C13", activeHigh: true },
    buzzerPin: "B3",
    scanner: { serial: "Serial1", rx: "B7", tx: "B6", baud: 9600 },
    hasNet: false,
    usb: true,
    crypto: true,
    pins: [...range("A", 0, 15), ...range("B", 0, 15), "C13", "C14", "C15"],
  },
  esp32: {
    id: "esp32",
    storageBytes: 1024 * 1024,
    pageSize: 4 * 1024,
    totalVars: 12000,
    clockBackedUp: false,
    bootTime: 0,
    leds: [
      { global: "LED1", pin: "D2", colour: "red", activeHigh: true },
      { global: "LED2", pin: "D4", colour: "green", activeHigh: true },
    ],
    button: { globals: ["BTN", "BTN1"], pin: "D0", activeHigh: false },
    buzzerPin: "D25",
    scanner: { serial: "Serial2", rx: "D16", tx: "D17", baud: 9600 },
    display: { i2c: "I2C1", scl: "D22", sda: "D21", width: 128, height: 64 },
    hasNet: true,
    usb: false,
    crypto: true,
    pins: range("D", 0, 39),
  },
};

export function boardFacts(id: string): BoardFacts {
  const b = (BOARDS as Record<string, BoardFacts | undefined>)[id];
  if (!b) throw new Error(`unknown board "${id}" (expected ${Object.keys(BOARDS).join(" or ")})`);
  return b;
}
