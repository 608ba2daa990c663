// The provisioning file "vtcfg" (written by the installer before first boot, see
// firmware/README.md) and the settings the gateway may change later.
import type { FlashStore } from "./hal/flash";
import { fromHex } from "../../protocol/src/crypto/index";
import { HAS_NET, LARGE_STORAGE } from "../../protocol/src/board-flags";

export interface Provisioning {
  device: string;
  secret: Uint8Array;
  mqtt: { host: string; port: number } | null;
  wifi: { ssid: string; password: string } | null;
}

export const CONFIG_FILE = "vtcfg";
/**
 * A verified copy of vtcfg kept by the firmware. Espruino's Storage compaction erases and
 * rewrites every page, page 0 included, holding the files in RAM in between: a power cut
 * there loses the files in that page even though they never moved. The copy is written
 * after vtcfg, so the two are not in the same compaction step unless both sit in one page,
 * and whichever survives restores the other at the next boot.
 */
export const CONFIG_COPY = "vtcfg.copy";
/**
 * On a freshly provisioned board whose Storage uses 4 KB pages (ESP32: 1 MB area), this file
 * fills page 0 after vtcfg so that the copy starts page 1. Neither is ever rewritten, so they
 * keep those places through every compaction; a cut while page 0 is rewritten leaves page 1
 * untouched, and Storage's walk, finding page 0 torn, resumes at the copy's header. The
 * Pico's 16 KB pages would cost a third of its Storage, so there only the copy is kept.
 */
export const CONFIG_PAD = "vtcfg.pad";
const PADDED_PAGE = 4096;
const PADDED_MIN_AREA = 1 << 20;
const HEADER = 32;

// The file's keys are quoted: the bundler shortens unquoted property names, and these are
// written by the installer, not by this build.

function isText(v: unknown, min: number, max: number): boolean {
  return typeof v === "string" && v.length >= min && v.length <= max;
}

type ProvisioningResult = { ok: true; value: Provisioning } | { ok: false; message: string };

/** The file's text parsed; null when absent or torn (a torn file ends in unwritten 0xFF bytes). */
function parseConfig(raw: string | undefined): { [k: string]: unknown } | null {
  if (raw === undefined) return null;
  try {
    const c = JSON.parse(raw);
    return c && typeof c === "object" ? c : null;
  } catch {
    return null;
  }
}

/**
 * Writes a file, reading it back; false (never a throw) when the flash refuses it. A file torn
 * by a cut (a prefix of `data`, the rest erased) is finished in place: cuts at every boot still
 * make progress, and each try does not leave a new file in Storage.
 */
function writeChecked(flash: FlashStore, name: string, data: string): boolean {
  try {
    const old = flash.read(name);
    let at = 0;
    if (old !== undefined && old.length === data.length) while (at < data.length && old.charCodeAt(at) === data.charCodeAt(at)) at++;
    if (at > 0 && old !== undefined && old.substr(at) !== "\xff".repeat(data.length - at)) at = 0;
    return (at === data.length || flash.write(name, data.substr(at), at) !== false) && flash.read(name) === data;
  } catch {
    return false;
  }
}

/** Fills page 0 when vtcfg is the only file, so that the next file starts page 1. */
function padFirstPage(flash: FlashStore): void {
  // quoted: Storage's own names, which the bundler must not shorten
  const stats = (flash as unknown as { [k: string]: () => { [k: string]: number } })["getStats"];
  if (!stats) return;
  const names = flash.list();
  if (names.length !== 1 || names[0] !== CONFIG_FILE) return;
  const st = stats.call(flash);
  if (st["totalBytes"] < PADDED_MIN_AREA) return;
  const used = st["totalBytes"] - st["freeBytes"];
  if (used >= PADDED_PAGE) return;
  const size = PADDED_PAGE - used - HEADER;
  if (size < 4) return;
  try {
    flash.write(CONFIG_PAD, "p", 0, size);
  } catch {
    // without the pad the copy still protects against most cuts
  }
}

/**
 * The provisioning, or a reason why the board cannot work. Keeps CONFIG_COPY equal to a
 * valid vtcfg, and rewrites vtcfg from a valid copy when a power cut destroyed it.
 */
export function readProvisioning(flash: FlashStore): ProvisioningResult {
  const raw = flash.read(CONFIG_FILE);
  const main = provisioningOf(parseConfig(raw));
  const copy = flash.read(CONFIG_COPY);
  if (main.ok) {
    if (copy !== raw) {
      if (LARGE_STORAGE) padFirstPage(flash); // built only for boards whose Storage can need it
      writeChecked(flash, CONFIG_COPY, raw as string);
    }
    return main;
  }
  const backup = provisioningOf(parseConfig(copy));
  if (!backup.ok) return main;
  writeChecked(flash, CONFIG_FILE, copy as string);
  return backup;
}

function provisioningOf(c: { [k: string]: unknown } | null): ProvisioningResult {
  if (!c) return { ok: false, message: "no " + CONFIG_FILE };
  const device = c["device"];
  if (!isText(device, 1, 24)) return { ok: false, message: "bad device id" };
  const secret = isText(c["secret"], 64, 64) ? fromHex(c["secret"] as string) : null;
  if (!secret) return { ok: false, message: "secret must be 64 hex chars" };
  // A board without a network has no use for these entries: its build leaves them unread (null).
  // The installer's institution and operator are the gateway's business: nothing here reads them.
  const value: Provisioning = { device: device as string, secret: secret, mqtt: null, wifi: null };
  if (HAS_NET) {
    const m = c["mqtt"] as { [k: string]: unknown } | undefined;
    if (m && typeof m === "object" && isText(m["host"], 1, 64)) value.mqtt = { host: m["host"] as string, port: typeof m["port"] === "number" && m["port"] > 0 && m["port"] < 65536 ? m["port"] : 1883 };
    const w = c["wifi"] as { [k: string]: unknown } | undefined;
    if (w && typeof w === "object" && isText(w["ssid"], 1, 32)) value.wifi = { ssid: w["ssid"] as string, password: typeof w["password"] === "string" ? w["password"] : "" };
  }
  return { ok: true, value: value };
}
