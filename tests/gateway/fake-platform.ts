// A minimal insurance platform for the gateway suites: subscribes to uploads and alerts
// on the test broker, stores each sale key once, and acks at the application level.
import mqtt, { type MqttClient } from "mqtt";
import { alerts, platformAck, platformUp } from "../../protocol/src/topics";
import type { PlatformAck, PlatformAlert, PlatformSale, PlatformUpload } from "../../protocol/src/platform";

export class FakePlatform {
  readonly sales: PlatformSale[] = [];
  readonly keys = new Set<string>();
  readonly alerts: PlatformAlert[] = [];
  messages = 0;
  duplicates = 0;
  /** While false the platform receives but never acks (an outage at the application level). */
  acking = true;
  private client!: MqttClient;

  /** Listens only to the given gateways, so suites running side by side on one broker stay apart. */
  static async start(url: string, gatewayIds: string[]): Promise<FakePlatform> {
    const p = new FakePlatform();
    p.client = await mqtt.connectAsync(url, { clientId: "fake-platform-" + Math.random().toString(16).slice(2) });
    p.client.on("message", (topic, payload) => p.onMessage(topic, payload.toString()));
    await p.client.subscribeAsync(gatewayIds.flatMap((g) => [platformUp(g), alerts(g)]), { qos: 1 });
    return p;
  }

  private onMessage(topic: string, body: string): void {
    if (topic.startsWith("vt/v1/alerts/")) {
      this.alerts.push(JSON.parse(body) as PlatformAlert);
      return;
    }
    const up = JSON.parse(body) as PlatformUpload;
    this.messages++;
    if (!this.acking) return;
    const results = up.sales.map((s) => {
      const duplicate = this.keys.has(s.key);
      if (duplicate) this.duplicates++;
      else {
        this.keys.add(s.key);
        this.sales.push(s);
      }
      return { key: s.key, ok: true, duplicate };
    });
    const ack: PlatformAck = { v: 1, msgId: up.msgId, infcode: 0, results };
    this.client.publish(platformAck(up.gateway), JSON.stringify(ack), { qos: 1 });
  }

  async stop(): Promise<void> {
    await this.client.endAsync();
  }
}
