// The leanest honest insurance platform for throughput runs: subscribes to one gateway's
// uploads, acks each message at the application level (infcode 0) and reports every sale
// key it receives, with the time it arrived. It keeps no store, so the gateway, not the
// platform, is what a run measures.
import mqtt, { type MqttClient } from "mqtt";
import { PLATFORM_SCHEMA_VERSION, platformStatus, type PlatformAck, type PlatformUpload } from "../../protocol/src/platform";
import { platformAck, platformUp } from "../../protocol/src/topics";

export interface LeanPlatform {
  /** Sales received (retransmitted ones included). */
  readonly received: () => number;
  /** Distinct keys received. */
  readonly distinct: () => number;
  acking: boolean;
  stop(): Promise<void>;
}

export async function startLeanPlatform(url: string, gateway: string, onSale?: (key: string, atMs: number) => void): Promise<LeanPlatform> {
  const status = (online: boolean) => JSON.stringify({ v: PLATFORM_SCHEMA_VERSION, online });
  const client: MqttClient = await mqtt.connectAsync(url, {
    clientId: "bench-platform-" + process.pid + "-" + Math.random().toString(16).slice(2, 8), clean: true,
    will: { topic: platformStatus(gateway), payload: Buffer.from(status(false)), qos: 1, retain: true },
  });
  const seen = new Set<string>();
  let received = 0;
  const state = { acking: true };
  client.on("message", (_topic, payload) => {
    const at = performance.now();
    const up = JSON.parse(payload.toString("utf8")) as PlatformUpload;
    received += up.sales.length;
    for (const s of up.sales) {
      seen.add(s.key);
      onSale?.(s.key, at);
    }
    if (!state.acking) return;
    const ack: PlatformAck = { v: 1, msgId: up.msgId, infcode: 0 };
    client.publish(platformAck(up.gateway), JSON.stringify(ack), { qos: 1 });
  });
  await client.subscribeAsync(platformUp(gateway), { qos: 1 });
  // Presence, as the platform emulator announces it: the gateway resends what it sent into the void at once.
  await client.publishAsync(platformStatus(gateway), status(true), { qos: 1, retain: true });
  return {
    received: () => received,
    distinct: () => seen.size,
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
