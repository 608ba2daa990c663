// Espruino Pico (STM32F401): scanner on Serial1 (rx B7, tx B6, 9600 baud), LED1 red, LED2
// green, BTN button (reads 1 when pressed), buzzer on B3, no network, no backed-up clock.
// Journal: 10 pages of 4 KB (40 KB of the ~48 KB left for our files), 1 KB Bloom filter.
import { startFirmware } from "../app";
import { buildHal } from "./espruino-common";

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
      geometry: { pages: 10, pageSize: 4096, bloomBytes: 1024 },
    },
    null,
    null,
  ),
);
