// Espruino Pico (STM32F401): scanner on Serial1 (rx B7, tx B6, 9600 baud), LED1 red, LED2
// green, BTN button (reads 1 when pressed), buzzer on B3, no network, no backed-up clock.
// Journal: 10 pages of 4 KB (40 KB of the ~48 KB left for our files), 1 KB Bloom filter.
// Link: USB serial to the gateway's bridge (link/serial.ts); hashing: the built-in
// require("crypto").SHA256, so the pure SHA-256 stays out of this bundle.
import { startFirmware } from "../app";
import { buildHal } from "./espruino-common";
import { espruinoUsbPort, consoleRequested } from "./espruino-usb";
import { serialSync } from "../sync/start-serial-sync";

const keepConsole = consoleRequested(BTN, false);
const hasUsb = typeof USB !== "undefined";
if (keepConsole || !hasUsb) print(hasUsb ? "[vt] button held: USB console, no sync" : "[vt] no USB port: no sync");

startFirmware(
  buildHal(
    {
      board: "pico",
      serial: Serial1,
      rx: B7,
      tx: B6,
      baud: 9600,
      red: LED1,
      green: LED2,
      buzzer: B3,
      button: BTN,
      buttonActiveLow: false,
      geometry: { pages: 10, pageSize: 4096, historySize: 1024 },
      sha256: null,
    },
    null,
    null,
  ),
  keepConsole || !hasUsb ? undefined : serialSync(espruinoUsbPort()),
);
