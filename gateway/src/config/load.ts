// Settings from a JSON file, then the environment (VT_*), then command-line flags, over
// the defaults. Unknown keys in the file are refused so a typo never silently reverts a
// setting to its default.
import { readFileSync } from "node:fs";
import { defaultSettings, mergeSettings, type GatewaySettings, type SettingsPatch } from "./settings";

/** Environment variables and the settings they set. */
export const ENV_KEYS: Record<string, [keyof GatewaySettings, string, "string" | "number" | "boolean"]> = {
  VT_GATEWAY_ID: ["id", "", "string"],
  VT_DATA_DIR: ["dataDir", "", "string"],
  VT_DEVICES_MODE: ["devices", "mode", "string"],
  VT_DEVICES_HOST: ["devices", "host", "string"],
  VT_DEVICES_PORT: ["devices", "port", "number"],
  VT_DEVICES_URL: ["devices", "url", "string"],
  VT_DEVICES_USERNAME: ["devices", "username", "string"],
  VT_DEVICES_PASSWORD: ["devices", "password", "string"],
  VT_DEVICES_SHARED_GROUP: ["devices", "sharedGroup", "string"],
  VT_PLATFORM_URL: ["platform", "url", "string"],
  VT_PLATFORM_USERNAME: ["platform", "username", "string"],
  VT_PLATFORM_PASSWORD: ["platform", "password", "string"],
  VT_HTTP_HOST: ["http", "host", "string"],
  VT_HTTP_PORT: ["http", "port", "number"],
  VT_HTTP_ENABLED: ["http", "enabled", "boolean"],
  VT_STORE_SYNCHRONOUS: ["store", "synchronous", "string"],
  VT_STORE_CACHE_MIB: ["store", "cacheMiB", "number"],
  VT_RETENTION_DAYS: ["store", "retentionDays", "number"],
  VT_MIN_FREE_BYTES: ["store", "minFreeBytes", "number"],
  VT_LOG_LEVEL: ["log", "level", "string"],
};

function parseValue(name: string, raw: string, type: "string" | "number" | "boolean"): string | number | boolean {
  if (type === "number") {
    const n = Number(raw);
    if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got "${raw}"`);
    return n;
  }
  if (type === "boolean") {
    if (!/^(true|false|1|0)$/.test(raw)) throw new Error(`${name} must be true or false`);
    return raw === "true" || raw === "1";
  }
  return raw;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv): SettingsPatch {
  const patch: Record<string, unknown> = {};
  for (const [name, [section, key, type]] of Object.entries(ENV_KEYS)) {
    const raw = env[name];
    if (raw === undefined || raw === "") continue;
    const value = parseValue(name, raw, type);
    if (key === "") patch[section] = value;
    else patch[section] = { ...((patch[section] as object) ?? {}), [key]: value };
  }
  return patch as SettingsPatch;
}

export function settingsFromFile(path: string): SettingsPatch {
  const parsed = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  const known = defaultSettings() as unknown as Record<string, unknown>;
  for (const key of Object.keys(parsed)) if (!(key in known)) throw new Error(`${path}: unknown setting "${key}"`);
  return parsed as SettingsPatch;
}

export function validateSettings(s: GatewaySettings): GatewaySettings {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(s.id)) throw new Error("id must be 1..64 of [A-Za-z0-9._-]");
  if (s.devices.mode !== "embedded" && s.devices.mode !== "external") throw new Error("devices.mode must be embedded or external");
  if (s.devices.mode === "external" && !s.devices.url) throw new Error("devices.url is required in external mode");
  if (s.store.synchronous !== "FULL" && s.store.synchronous !== "NORMAL") throw new Error("store.synchronous must be FULL or NORMAL");
  if (!(s.store.cacheMiB >= 2)) throw new Error("store.cacheMiB must be >= 2");
  if (s.platform.window < 1 || s.platform.batchSize < 1) throw new Error("platform.window and platform.batchSize must be >= 1");
  return s;
}

export function loadSettings(opts: { file?: string; env?: NodeJS.ProcessEnv; flags?: SettingsPatch }): GatewaySettings {
  const layers: SettingsPatch[] = [];
  if (opts.file) layers.push(settingsFromFile(opts.file));
  layers.push(settingsFromEnv(opts.env ?? process.env));
  if (opts.flags) layers.push(opts.flags);
  return validateSettings(mergeSettings(defaultSettings(), ...layers));
}
