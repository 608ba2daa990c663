// The leanest honest insurance platform for throughput runs: subscribes to one gateway's
// uploads, validates each message and each sale with the platform emulator's own rules,
// keeps every valid sale by key in memory (no SQLite, so the gateway, not the platform, is
// what a run measures), acks each message at the application level with a result for
// every refused sale, and reports every sale key it receives with the time it arrived.
import mqtt, { type MqttClient } from "mqtt";
import { PLATFORM_SCHEMA_VERSION, platformStatus, type PlatformAck, type PlatformSale } from "../../protocol/src/platform";
import { INFCODE_MALFORMED, validateEnvelope, validateSale } from "../../simulator/src/platform/validate-upload";
import { platformAck, platformUp } from "../../protocol/src/topics";

export interface LeanPlatform {
  /** Sales received (retransmitted ones included). */
  readonly received: () => number;
  /** Distinct keys received (and stored, when valid). */
  readonly distinct: () => number;
  /** Messages refused as a whole plus sales refused one by one: a correct gateway sends none. */
  readonly invalid: () => number;
  acking: boolean;
  stop(): Promise<void>;
}

export async function startLeanPlatform(url: string, gateway: string, onSale?: (key: string, atMs: number) => void): Promise<LeanPlatform> {
  const status = (online: boolean) => JSON.stringify({ v: PLATFORM_SCHEMA_VERSION, online });
  const client: MqttClient = await mqtt.connectAsync(url, {
    clientId: "bench-platform-" + process.pid + "-" + Math.random().toString(16).slice(2, 8), clean: true,
    will: { topic: platformStatus(gateway), payload: Buffer.from(status(false)), qos: 1, retain: true },
  });
  const stored = new Map<string, PlatformSale>();
  let received = 0;
  let invalid = 0;
  const state = { acking: true };
  const answer = (ack: PlatformAck) => {
    if (state.acking) client.publish(platformAck(gateway), JSON.stringify(ack), { qos: 1 });
  };
  client.on("message", (_topic, payload) => {
    const at = performance.now();
    let msg: unknown;
    try {
      msg = JSON.parse(payload.toString("utf8"));
    } catch {
      invalid++;
      return answer({ v: PLATFORM_SCHEMA_VERSION, msgId: "", infcode: INFCODE_MALFORMED, err_msg: "upload is not valid JSON" });
    }
    const env = validateEnvelope(msg, gateway);
    if (!env.ok) {
      invalid++;
      return answer({ v: PLATFORM_SCHEMA_VERSION, msgId: env.msgId, infcode: env.infcode, err_msg: env.err_msg });
    }
    const results: NonNullable<PlatformAck["results"]> = [];
    received += env.upload.sales.length;
    for (const raw of env.upload.sales) {
      const v = validateSale(raw);
      if (!v.ok) {
        invalid++;
        results.push({ key: v.key, ok: false, err_msg: v.err_msg });
        continue;
      }
      if (!stored.has(v.sale.key)) stored.set(v.sale.key, v.sale);
      onSale?.(v.sale.key, at);
    }
    answer({ v: PLATFORM_SCHEMA_VERSION, msgId: env.upload.msgId, infcode: 0, ...(results.length ? { results } : {}) });
  });
  await client.subscribeAsync(platformUp(gateway), { qos: 1 });
  // Presence, as the platform emulator announces it: the gateway resends what it sent into the void at once.
  await client.publishAsync(platformStatus(gateway), status(true), { qos: 1, retain: true });
  return {
    received: () => received,
    distinct: () => stored.size,
    invalid: () => invalid,
    get acking() {
      return state.acking;
    },
    set acking(v: boolean) {
      state.acking = v;
    },
    stop: async () => {
      await client.publishAsync(platformStatus(gateway), status(false), { qos: 1, retain: true }).catch(() => undefined);
      await client.endAsync();
    },
  };
}
