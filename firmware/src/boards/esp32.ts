// ESP32 board: scanner on Serial2 (rx D16, tx D17, 9600 baud), LED1 = D2 (red), LED2 = D4
// (green), BTN1 = D0 (BOOT button, reads 0 when pressed), buzzer D25, SSD1306 128x64 on I2C1
// (scl D22, sda D21), WiFi + MQTT. Journal: 32 pages of 8 KB (256 KB of ~1 MB); dispense history
// in a 64 KB Storage table (65,536 one-byte slots), not in RAM.
import { startFirmware } from "../app";
import { buildHal, espruinoFlash, espruinoModule } from "./espruino-common";
import { joinWifi, espruinoSockets } from "./espruino-net";
import { readProvisioning } from "../config";
import { startMqttSync } from "../sync/start-mqtt-sync";
import type { Display } from "../hal/io";

function log(m: string): void {
  print("[vt] " + m);
}

/** The display comes up asynchronously; lines shown before that are kept for it. */
function ssd1306(): Display {
  let g: any = null; // eslint-disable-line @typescript-eslint/no-explicit-any
  let l1 = "village-trace";
  let l2 = "";
  const draw = () => {
    if (!g) return;
    g["clear"]();
    g["setFont"]("6x8");
    g["drawString"](l1, 0, 0);
    g["drawString"](l2, 0, 16);
    g["flip"]();
  };
  try {
    I2C1["setup"]({ "scl": D22, "sda": D21 });
    const dev = espruinoModule("SSD1306")["connect"](I2C1, () => {
      g = dev;
      draw();
    });
  } catch (e) {
    log("display: " + e);
  }
  return {
    show: (a, b) => {
      l1 = a;
      l2 = b;
      draw();
    },
  };
}

const prov = readProvisioning(espruinoFlash());
if (prov.ok && prov.value.wifi) joinWifi(prov.value.wifi.ssid, prov.value.wifi.password, log);

startFirmware(
  buildHal(
    {
      board: "esp32",
      serial: Serial2,
      rx: D16,
      tx: D17,
      baud: 9600,
      red: D2,
      green: D4,
      buzzer: D25,
      button: D0,
      buttonActiveLow: true,
      geometry: { pages: 32, pageSize: 8192, historySize: 65536 },
      sha256: null, // its board file lists "crypto" among the built-in modules, as the Pico's does
    },
    ssd1306(),
    espruinoSockets(),
  ),
  startMqttSync,
);
