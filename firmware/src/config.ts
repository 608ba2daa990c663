// The provisioning file "vtcfg" (written by the installer before first boot, see
// firmware/README.md) and the settings the gateway may change later.
import type { FlashStore } from "./hal/flash";
import { fromHex } from "../../protocol/src/crypto/index";

export interface Provisioning {
  device: string;
  secret: Uint8Array;
  institution: string;
  operator: string;
  mqtt: { host: string; port: number } | null;
  wifi: { ssid: string; password: string } | null;
}

export const CONFIG_FILE = "vtcfg";

// The file's keys are quoted: the bundler shortens unquoted property names, and these are
// written by the installer, not by this build.

function isText(v: unknown, min: number, max: number): boolean {
  return typeof v === "string" && v.length >= min && v.length <= max;
}

/** The provisioning, or a reason why the board cannot work. */
export function readProvisioning(flash: FlashStore): { ok: true; value: Provisioning } | { ok: false; message: string } {
  const c = flash.readJSON(CONFIG_FILE, true) as { [k: string]: unknown } | undefined;
  if (!c || typeof c !== "object") return { ok: false, message: "no " + CONFIG_FILE };
  const device = c["device"];
  if (!isText(device, 1, 24)) return { ok: false, message: "bad device id" };
  const secret = isText(c["secret"], 64, 64) ? fromHex(c["secret"] as string) : null;
  if (!secret) return { ok: false, message: "secret must be 64 hex chars" };
  let mqtt: Provisioning["mqtt"] = null;
  const m = c["mqtt"] as { host?: unknown; port?: unknown } | undefined;
  if (m && typeof m === "object" && isText(m["host"], 1, 64)) {
    const port = typeof m["port"] === "number" && m["port"] > 0 && m["port"] < 65536 ? m["port"] : 1883;
    mqtt = { host: m["host"] as string, port: port };
  }
  let wifi: Provisioning["wifi"] = null;
  const w = c["wifi"] as { ssid?: unknown; password?: unknown } | undefined;
  if (w && typeof w === "object" && isText(w["ssid"], 1, 32)) wifi = { ssid: w["ssid"] as string, password: typeof w["password"] === "string" ? w["password"] : "" };
  return {
    ok: true,
    value: {
      device: device as string,
      secret: secret,
      institution: isText(c["institution"], 1, 40) ? (c["institution"] as string) : "",
      operator: isText(c["operator"], 1, 40) ? (c["operator"] as string) : "",
      mqtt: mqtt,
      wifi: wifi,
    },
  };
}
