// Publishes pre-encoded frames from several mqtt.js clients (a fleet's worth of boards
// multiplexed over a few connections), QoS 1, optionally paced to a fixed frame rate.
// Resolves when the broker has acknowledged (PUBACK) every frame.
import mqtt, { type MqttClient } from "mqtt";
import { deviceUp } from "../../protocol/src/topics";
import type { FleetFrame } from "./fleet-frames";

export interface PublishOptions {
  clients: number;
  /** Frames per second across all clients; absent: as fast as the broker takes them. */
  rate?: number;
  /** Most unacknowledged publishes per client (bounds the client's queue). */
  inFlight?: number;
  /** Called as each frame is handed to its client (ms, performance clock). */
  onPublish?: (index: number, atMs: number) => void;
  /** Topic per frame; defaults to the frame's own device up topic. */
  topicOf?: (f: FleetFrame) => string;
}

export async function connectPublishers(url: string, n: number, tag: string): Promise<MqttClient[]> {
  const out: MqttClient[] = [];
  for (let i = 0; i < n; i++) out.push(await mqtt.connectAsync(url, { clientId: `bench-pub-${tag}-${process.pid}-${i}`, clean: true, reconnectPeriod: 0 }));
  return out;
}

/** Frame i goes through client (device index mod clients), so one device's frames keep their order. */
export async function publishFleet(clients: MqttClient[], frames: FleetFrame[], o: PublishOptions): Promise<void> {
  const inFlightMax = o.inFlight ?? 256;
  const perClient: number[][] = clients.map(() => []);
  const deviceSlot = new Map<string, number>();
  frames.forEach((f, i) => {
    let slot = deviceSlot.get(f.device);
    if (slot === undefined) deviceSlot.set(f.device, (slot = deviceSlot.size % clients.length));
    perClient[slot].push(i);
  });
  const start = performance.now();
  let released = 0; // frames the pacer has released so far, across all clients
  const dueAt = (k: number) => (o.rate ? start + (k * 1000) / o.rate : 0);
  await Promise.all(
    clients.map(async (c, ci) => {
      const mine = perClient[ci];
      let pending = 0;
      let next = 0;
      await new Promise<void>((resolve, reject) => {
        const pump = () => {
          while (next < mine.length && pending < inFlightMax) {
            if (o.rate && performance.now() < dueAt(released)) {
              setTimeout(pump, Math.max(0, dueAt(released) - performance.now()));
              return;
            }
            const idx = mine[next++];
            released++;
            const f = frames[idx];
            pending++;
            o.onPublish?.(idx, performance.now());
            c.publish(o.topicOf ? o.topicOf(f) : deviceUp(f.device), Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength), { qos: 1 }, (err) => {
              pending--;
              if (err) return reject(err);
              if (next >= mine.length && pending === 0) resolve();
              else pump();
            });
          }
          if (mine.length === 0) resolve();
        };
        pump();
      });
    }),
  );
}

export async function closePublishers(clients: MqttClient[]): Promise<void> {
  await Promise.all(clients.map((c) => c.endAsync()));
}
