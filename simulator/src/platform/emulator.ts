// The emulated insurance platform: a real MQTT subscriber that validates every upload, stores
// each sale key exactly once in SQLite and acknowledges per message. Testers steer it at run
// time (down, slow, rejecting) to exercise the gateway's backlog and retries.
import mqtt, { type MqttClient } from "mqtt";
import pino from "pino";
import { PLATFORM_SCHEMA_VERSION, platformStatus, type PlatformAlert, type PlatformSale, type PlatformStatus } from "../../../protocol/src/platform";
import { ALERTS_WILDCARD, PLATFORM_UP_WILDCARD, TOPIC_VERSION, alerts as alertsTopic, platformAck, platformUp } from "../../../protocol/src/topics";
import { deriveSeed, mulberry32, type Rng } from "../scenario/prng";
import { handleUpload } from "./handle-upload";
import { SaleStore, type SaleRow } from "./sale-store";
import { validateAlert } from "./validate-upload";
import { platformNow } from "./handle-upload";

/** The slice of a pino logger the emulator uses; any pino instance fits. */
export interface PlatformLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface PlatformMode {
  /** Disconnected from the broker: nothing is received or acknowledged. */
  down: boolean;
  /** Connected and storing, but no ack is sent (the gateway must re-send). */
  withholdAcks: boolean;
  /** Every ack waits this long after the message was stored. */
  ackDelayMs: number;
  /** Fraction 0..1 of valid messages answered with a transient infcode error, nothing stored. */
  rejectRate: number;
}

export interface PlatformStats {
  messages: number;
  malformed: number;
  /** Messages answered with infcode != 0 for their content (schema, topic, size). */
  refusedMessages: number;
  /** Messages answered with infcode != 0 by the reject mode. */
  rejects: number;
  /** Messages whose msgId had been seen before. */
  resentMessages: number;
  salesStored: number;
  /** Sale keys that arrived again with the same content (acknowledged, not stored again). */
  duplicates: number;
  /** Sale keys that arrived again with different content (refused). */
  conflicts: number;
  invalidSales: number;
  acksSent: number;
  acksWithheld: number;
  alerts: number;
  duplicateAlerts: number;
  invalidAlerts: number;
}

export interface PlatformOptions {
  brokerUrl: string;
  /** Serve only these gateways (their up and alert topics); absent: every gateway on the broker. */
  gateways?: string[];
  /** SQLite file; in memory when absent. */
  dbPath?: string;
  clientId?: string;
  logger?: PlatformLogger;
  /** Seeds the reject mode's choice of messages, so a run can be repeated. */
  seed?: number;
  initialMode?: Partial<PlatformMode>;
}

export interface PlatformEmulator {
  /** Changes the mode; resolves once a requested disconnect/reconnect has happened. */
  setMode(mode: Partial<PlatformMode>): Promise<void>;
  mode(): PlatformMode;
  /** The public query: every sales record stored for this trace (or catalogue) code. */
  salesForCode(code: string): PlatformSale[];
  stats(): PlatformStats;
  alerts(): PlatformAlert[];
  allSaleKeys(): string[];
  allSales(): SaleRow[];
  stop(): Promise<void>;
}

const PLATFORM_UP_RE = new RegExp("^vt/" + TOPIC_VERSION + "/platform/([^/]+)/up$");
const ALERTS_RE = new RegExp("^vt/" + TOPIC_VERSION + "/alerts/([^/]+)$");

function zeroStats(): PlatformStats {
  return { messages: 0, malformed: 0, refusedMessages: 0, rejects: 0, resentMessages: 0, salesStored: 0, duplicates: 0, conflicts: 0, invalidSales: 0, acksSent: 0, acksWithheld: 0, alerts: 0, duplicateAlerts: 0, invalidAlerts: 0 };
}

export async function startPlatform(opts: PlatformOptions): Promise<PlatformEmulator> {
  const log: PlatformLogger = opts.logger ?? pino({ name: "platform", level: process.env.VT_LOG_LEVEL ?? "info" });
  const store = new SaleStore(opts.dbPath ?? ":memory:");
  const clientId = opts.clientId ?? "vt-platform-" + process.pid + "-" + Math.floor(Math.random() * 1e9).toString(36);
  const rng: Rng = mulberry32(deriveSeed(opts.seed ?? 1, "platform-reject"));
  const mode: PlatformMode = { down: false, withholdAcks: false, ackDelayMs: 0, rejectRate: 0, ...opts.initialMode };
  const stats = zeroStats();
  const pendingAcks = new Set<NodeJS.Timeout>();
  let client: MqttClient | null = null;
  let stopped = false;

  function onMessage(c: MqttClient, topic: string, payload: Buffer): void {
    // A message racing a disconnect is still stored (storage is idempotent); its ack may be lost
    // with the connection, which the gateway answers by re-sending.
    if (stopped) return;
    const up = PLATFORM_UP_RE.exec(topic);
    if (up) return onUpload(c, up[1], payload);
    const al = ALERTS_RE.exec(topic);
    if (al) return onAlert(al[1], payload);
  }

  function onUpload(c: MqttClient, gateway: string, payload: Buffer): void {
    stats.messages++;
    const reject = mode.rejectRate > 0 && rng() < mode.rejectRate;
    let out;
    try {
      out = handleUpload(store, gateway, payload, Date.now(), reject);
    } catch (err) {
      // A store failure must not be acknowledged: the gateway keeps the message and retries.
      log.error({ err, gateway }, "platform could not store an upload; not acknowledging");
      return;
    }
    if (out.malformed) stats.malformed++;
    if (out.injectedReject) stats.rejects++;
    else if (out.refused) stats.refusedMessages++;
    if (out.resentMessage) stats.resentMessages++;
    stats.salesStored += out.stored;
    stats.duplicates += out.duplicates;
    stats.conflicts += out.conflicts;
    stats.invalidSales += out.invalidSales;
    for (const p of out.problems) log.warn({ gateway, msgId: out.ack.msgId }, p);
    sendAck(c, gateway, JSON.stringify(out.ack));
  }

  function sendAck(c: MqttClient, gateway: string, body: string): void {
    if (mode.withholdAcks) {
      stats.acksWithheld++;
      return;
    }
    const publish = () => {
      if (c !== client || !c.connected || mode.down || mode.withholdAcks || stopped) {
        stats.acksWithheld++;
        return;
      }
      stats.acksSent++;
      c.publish(platformAck(gateway), body, { qos: 1 }, (err) => {
        if (err) log.warn({ err: String(err), gateway }, "ack publish failed");
      });
    };
    if (mode.ackDelayMs <= 0) return publish();
    const timer = setTimeout(() => {
      pendingAcks.delete(timer);
      publish();
    }, mode.ackDelayMs);
    pendingAcks.add(timer);
  }

  function onAlert(gateway: string, payload: Buffer): void {
    let raw: unknown;
    try {
      raw = JSON.parse(payload.toString("utf8"));
    } catch {
      stats.invalidAlerts++;
      log.warn({ gateway }, "alert is not valid JSON");
      return;
    }
    const v = validateAlert(raw, gateway);
    if (!v.ok) {
      stats.invalidAlerts++;
      log.warn({ gateway }, "invalid alert: " + v.err_msg);
      return;
    }
    try {
      if (store.storeAlert(v.alert, platformNow(Date.now()))) stats.alerts++;
      else stats.duplicateAlerts++;
    } catch (err) {
      log.error({ err, gateway }, "platform could not store an alert");
    }
  }

  async function connect(): Promise<void> {
    // A persistent session (clean: false) lets the broker keep QoS 1 uploads while the
    // platform is down, as a real platform's queue would.
    // The handler is attached before connecting: a resumed session delivers its queue at once.
    // Presence (retained status per served gateway): online once subscribed, offline when it
    // leaves; the broker publishes the will if the connection dies. Served gateways must
    // be named for this: with none named, the gateways rely on their ack timeout.
    const statusTopics = (opts.gateways ?? []).map(platformStatus);
    const status = (online: boolean) => JSON.stringify({ v: PLATFORM_SCHEMA_VERSION, online } satisfies PlatformStatus);
    const will = statusTopics.length === 1 ? { topic: statusTopics[0], payload: Buffer.from(status(false)), qos: 1 as const, retain: true } : undefined;
    const c = mqtt.connect(opts.brokerUrl, { clientId, clean: false, reconnectPeriod: 1000, connectTimeout: 10_000, will });
    client = c;
    c.on("message", (topic, payload) => onMessage(c, topic, payload));
    c.on("error", (err) => log.warn({ err: String(err) }, "platform MQTT error"));
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => {
        c.end(true);
        reject(err);
      };
      c.once("connect", () => {
        c.off("error", onError);
        resolve();
      });
      c.once("error", onError);
    });
    const topics = opts.gateways ? opts.gateways.flatMap((g) => [platformUp(g), alertsTopic(g)]) : [PLATFORM_UP_WILDCARD, ALERTS_WILDCARD];
    await c.subscribeAsync(topics, { qos: 1 });
    for (const t of statusTopics) await c.publishAsync(t, status(true), { qos: 1, retain: true });
    c.on("connect", () => {
      // A reconnect (the broker restarted): say so again; the session kept the subscriptions.
      for (const t of statusTopics) c.publish(t, status(true), { qos: 1, retain: true });
    });
    log.info({ clientId, broker: opts.brokerUrl }, "platform emulator connected");
  }

  async function disconnect(): Promise<void> {
    const c = client;
    client = null;
    if (!c) return;
    if (c.connected) {
      const off = JSON.stringify({ v: PLATFORM_SCHEMA_VERSION, online: false } satisfies PlatformStatus);
      await Promise.all((opts.gateways ?? []).map((g) => c.publishAsync(platformStatus(g), off, { qos: 1, retain: true }).catch(() => undefined)));
    }
    await c.endAsync();
  }

  try {
    await connect();
  } catch (err) {
    store.close();
    throw err;
  }

  return {
    async setMode(next) {
      const wasDown = mode.down;
      if (next.ackDelayMs !== undefined) {
        if (!(next.ackDelayMs >= 0)) throw new RangeError("ackDelayMs must be >= 0");
        mode.ackDelayMs = next.ackDelayMs;
      }
      if (next.rejectRate !== undefined) {
        if (!(next.rejectRate >= 0 && next.rejectRate <= 1)) throw new RangeError("rejectRate must be within 0..1");
        mode.rejectRate = next.rejectRate;
      }
      if (next.withholdAcks !== undefined) mode.withholdAcks = next.withholdAcks;
      log.info({ mode: { ...mode, down: next.down ?? mode.down } }, "platform mode changed");
      if (next.down === true && !wasDown) {
        mode.down = true;
        await disconnect();
      } else if (next.down === false && wasDown) {
        mode.down = false;
        if (!stopped) await connect();
      }
    },
    mode: () => ({ ...mode }),
    salesForCode: (code) => store.salesForCode(code),
    stats: () => ({ ...stats }),
    alerts: () => store.alerts(),
    allSaleKeys: () => store.allSaleKeys(),
    allSales: () => store.allSales(),
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const t of pendingAcks) clearTimeout(t);
      pendingAcks.clear();
      await disconnect();
      store.close();
    },
  };
}
