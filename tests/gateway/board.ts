// A board stand-in for the gateway suites: logs in like a real board, publishes sealed
// batch frames on its up topic and decodes what comes down.
import mqtt, { type MqttClient } from "mqtt";
import { mqttPassword } from "../../protocol/src/auth";
import { decodeDown } from "../../protocol/src/frame/decode-down";
import type { DownFrame } from "../../protocol/src/frame/types";
import { nodeHashing } from "../../protocol/src/node/hashing";
import { deviceDown, deviceUp } from "../../protocol/src/topics";
import { secretOf } from "./helpers";

export class TestBoard {
  readonly down: DownFrame[] = [];
  private constructor(readonly id: string, readonly client: MqttClient) {}

  static async connect(url: string, id: string, opts: { password?: string; subscribe?: boolean } = {}): Promise<TestBoard> {
    const password = opts.password ?? mqttPassword(id, secretOf(id), nodeHashing);
    const client = await mqtt.connectAsync(url, { clientId: "board-" + id + "-" + Math.random().toString(16).slice(2, 6), username: id, password, reconnectPeriod: 0, protocolVersion: 4 });
    const b = new TestBoard(id, client);
    client.on("message", (_t, payload) => {
      const r = decodeDown(new Uint8Array(payload), secretOf(id), nodeHashing);
      if (r.ok) b.down.push(r.value);
    });
    if (opts.subscribe !== false) await client.subscribeAsync(deviceDown(id), { qos: 1 });
    return b;
  }

  send(bytes: Uint8Array, topic = deviceUp(this.id)): Promise<unknown> {
    return this.client.publishAsync(topic, Buffer.from(bytes), { qos: 1 });
  }

  acks(): number[] {
    return this.down.flatMap((f) => (f.type === 2 ? [f.ack.upto] : []));
  }

  commands() {
    return this.down.flatMap((f) => (f.type === 3 ? [f.command] : []));
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
