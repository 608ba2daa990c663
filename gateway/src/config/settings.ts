// Typed gateway settings with their defaults. Every other module receives a resolved
// GatewaySettings and never reads the environment itself.

export interface TlsSettings {
  /** PEM file paths; all optional (a public CA needs none of them). */
  ca?: string;
  cert?: string;
  key?: string;
  rejectUnauthorized?: boolean;
}

export interface DeviceBrokerSettings {
  /** "embedded": run our own aedes broker with device auth and ACL. "external": attach to a broker by URL. */
  mode: "embedded" | "external";
  /** Embedded mode: where the broker listens. 1884 keeps clear of a system Mosquitto on 1883. */
  host: string;
  port: number;
  /** External mode: broker URL (mqtt:// or mqtts://). */
  url?: string;
  username?: string;
  password?: string;
  tls?: TlsSettings;
  /** External mode: MQTT 5 shared-subscription group so several gateways split the device traffic. */
  sharedGroup?: string;
}

export interface PlatformSettings {
  /** Platform broker URL; absent: records wait in the outbox until one is configured. */
  url?: string;
  username?: string;
  password?: string;
  tls?: TlsSettings;
  /** Sales per upload message. */
  batchSize: number;
  /** Upload messages awaiting a platform ack at once. */
  window: number;
  /** No ack within this time: the message is sent again (same msgId). */
  ackTimeoutMs: number;
  /** Exponential backoff between retries of one message. */
  retryBaseMs: number;
  retryMaxMs: number;
}

export interface GatewaySettings {
  /** Gateway id: names the platform topics and the alert source. */
  id: string;
  dataDir: string;
  devices: DeviceBrokerSettings;
  platform: PlatformSettings;
  http: { enabled: boolean; host: string; port: number };
  ingest: {
    /** Frames arriving within this window share one transaction. */
    batchWindowMs: number;
    batchMaxFrames: number;
  };
  store: {
    /** FULL fsyncs every commit; NORMAL only at checkpoints (see store/open.ts). */
    synchronous: "FULL" | "NORMAL";
    /** Relayed records older than this are deleted; 0 keeps everything. */
    retentionDays: number;
    /** Below this many free bytes on the data volume the gateway stops acking new frames. */
    minFreeBytes: number;
    diskCheckMs: number;
    /**
     * SQLite page cache of the gateway's connection, MiB. The code and time indexes take
     * inserts all over their trees; with SQLite's default 2 MiB most of those pages are
     * read back from the OS for every commit.
     */
    cacheMiB: number;
  };
  /** Fraud day close (gateway/src/fraud/day-close.ts). */
  fraud: {
    enabled: boolean;
    /** How often to look for business days that have ended and are not closed yet. */
    checkMs: number;
    /** A business day (turning at 05:00 China time) is closed this long after it ended, so late uploads count. */
    graceSec: number;
    /** At start, days further back than this are not closed any more. */
    catchUpDays: number;
    /** Where `gateway model train` saves and the day close loads the models; default <dataDir>/fraud-model. */
    modelDir?: string;
    /** Optional price catalogue for the price features (gateway/src/fraud/catalogue.ts); without it prices are not judged. */
    catalogueFile?: string;
  };
  /** Config pushed down to every board (absent fields: board keeps its own). */
  deviceConfig: { sessionTimeout?: number; batchMax?: number; warnFreePct?: number };
  log: { level: string };
}

export const DEFAULT_EMBEDDED_PORT = 1884;
export const DEFAULT_HTTP_PORT = 8084;

export function defaultSettings(): GatewaySettings {
  return {
    id: "county-gw",
    dataDir: "./.data/gateway",
    devices: { mode: "embedded", host: "0.0.0.0", port: DEFAULT_EMBEDDED_PORT },
    platform: { batchSize: 500, window: 16, ackTimeoutMs: 10_000, retryBaseMs: 500, retryMaxMs: 60_000 },
    http: { enabled: true, host: "127.0.0.1", port: DEFAULT_HTTP_PORT },
    ingest: { batchWindowMs: 3, batchMaxFrames: 256 },
    store: { synchronous: "FULL", retentionDays: 400, minFreeBytes: 256 * 1024 * 1024, diskCheckMs: 2000, cacheMiB: 64 },
    fraud: { enabled: true, checkMs: 60_000, graceSec: 30 * 60, catchUpDays: 7 },
    deviceConfig: {},
    log: { level: "info" },
  };
}

/** A partial tree of settings, as found in a file, the environment or flags. */
export type SettingsPatch = {
  [K in keyof GatewaySettings]?: GatewaySettings[K] extends object ? Partial<GatewaySettings[K]> : GatewaySettings[K];
};

/** Layers patches over the defaults, later ones winning, one level deep per section. */
export function mergeSettings(base: GatewaySettings, ...patches: SettingsPatch[]): GatewaySettings {
  const out = structuredClone(base) as unknown as Record<string, unknown>;
  for (const patch of patches) {
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      const current = out[key];
      if (value && typeof value === "object" && !Array.isArray(value) && current && typeof current === "object") {
        const merged = { ...(current as object) } as Record<string, unknown>;
        for (const [k, v] of Object.entries(value)) if (v !== undefined) merged[k] = v;
        out[key] = merged;
      } else {
        out[key] = value;
      }
    }
  }
  return out as unknown as GatewaySettings;
}
