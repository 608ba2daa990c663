// Connects an mqtt.js client, preferring MQTT 5 and falling back to 3.1.1 when the broker
// refuses the protocol version. Later reconnects reuse whichever version worked.
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import type { Logger } from "../log/logger";

function refusedVersion(err: unknown): boolean {
  const e = err as { code?: number; message?: string };
  return e?.code === 1 || e?.code === 132 || /protocol version/i.test(e?.message ?? "");
}

/**
 * Returns a client at once (mqtt.js queues publishes and keeps reconnecting); version
 * negotiation happens behind `ready`, which resolves on the first successful connect.
 */
export function connectPreferV5(url: string, opts: IClientOptions, log: Logger, onClient: (c: MqttClient) => void): { ready: Promise<MqttClient>; current: () => MqttClient } {
  let client = mqtt.connect(url, { ...opts, protocolVersion: opts.protocolVersion ?? 5 });
  onClient(client);
  const ready = new Promise<MqttClient>((resolve) => {
    const attach = (c: MqttClient) => {
      c.once("connect", () => resolve(c));
      c.on("error", (err) => {
        if (c === client && c.options.protocolVersion === 5 && !c.connected && refusedVersion(err)) {
          log.info({ url: redactUrl(url) }, "broker refused MQTT 5; falling back to 3.1.1");
          c.end(true);
          client = mqtt.connect(url, { ...opts, protocolVersion: 4 });
          onClient(client);
          attach(client);
        }
      });
    };
    attach(client);
  });
  return { ready, current: () => client };
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}
