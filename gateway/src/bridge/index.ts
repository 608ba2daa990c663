// USB serial bridges for a running gateway: boards without a network (the Pico) plugged into
// the gateway machine sync through it exactly as MQTT boards do.
import type { GatewayHandle } from "../app";
import type { Logger } from "../log/logger";
import type { BridgeGateway } from "./session";
import { DEFAULT_USB_OPTIONS, UsbBridge, serialportOpener, type PortOpener, type UsbBridgeOptions } from "./serial-port";

export { SerialBridgeSession, type BridgeGateway, type BridgeCounts, type BridgeLog } from "./session";
export { UsbBridge, SerialPortMissingError, serialportOpener, type PortOpener, type RawPort, type UsbBridgeOptions } from "./serial-port";
export { parseBoardLine, downLine, MAX_LINE, PROBE, HELLO, UP, DOWN } from "./line-protocol";

/** The gateway seen by a bridge: ingest as on deviceUp, the device registry, the welcome. */
export function bridgeGateway(gw: GatewayHandle, log: Logger): BridgeGateway {
  return {
    up: (topic, frame) => {
      gw.ingest.handle(topic, frame).catch((err) => log.error({ err: String(err), topic }, "usb frame ingest failed"));
    },
    isActive: (device) => gw.store.devices.get(device)?.status === "active",
    connected: (device) => gw.bus.emit("device-connected", device),
  };
}

export interface UsbBridges {
  bridges: UsbBridge[];
  stop(): Promise<void>;
}

/** One bridge per port path; throws SerialPortMissingError when no opener is given and serialport is absent. */
export function startUsbBridges(gw: GatewayHandle, paths: string[], log: Logger, opener?: PortOpener, opts: UsbBridgeOptions = DEFAULT_USB_OPTIONS): UsbBridges {
  const open = opener ?? serialportOpener();
  const port = bridgeGateway(gw, log);
  const bridges = paths.map((p) => new UsbBridge(p, open, port, log, opts));
  const untaps = bridges.map((b) => gw.tapDown((t, f) => b.down(t, f)));
  for (const b of bridges) b.start();
  return {
    bridges,
    async stop() {
      for (const u of untaps) u();
      await Promise.all(bridges.map((b) => b.stop()));
    },
  };
}
