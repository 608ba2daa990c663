// WiFi and TCP for boards with a network (ESP32): joins the provisioned network, rejoins
// after a loss, and hands the firmware byte-string sockets over espruinoModule("net").
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { SocketFactory } from "../hal/net";
import { espruinoModule } from "./espruino-common";

export function joinWifi(ssid: string, password: string, log: (m: string) => void): void {
  const wifi = espruinoModule("Wifi");
  let retry = 0;
  const join = () => {
    retry = 0;
    wifi["connect"](ssid, { "password": password }, (err: any) => {
      if (err) {
        log("wifi: " + err);
        if (!retry) retry = setTimeout(join, 15000) as unknown as number;
      }
    });
  };
  wifi.on("connected", () => log("wifi connected"));
  wifi.on("disconnected", () => {
    log("wifi lost");
    if (!retry) retry = setTimeout(join, 15000) as unknown as number;
  });
  join();
}

export function espruinoSockets(): SocketFactory {
  const net = espruinoModule("net");
  return {
    // the socket itself is the firmware's Socket (write, end); the handlers are arrows, so
    // they are handed over as they are
    connect: (host, port, h) => {
      const sock = net["connect"]({ "host": host, "port": port }, h.onConnect);
      sock.on("data", h.onData);
      sock.on("close", () => h.onEnd("socket closed"));
      sock.on("error", (e: any) => h.onEnd("socket error: " + (e && e.message ? e.message : e)));
      return sock;
    },
  };
}
