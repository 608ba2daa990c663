// The baseline every gateway number is compared with: the same frames through the same
// broker to a plain QoS 1 subscriber that stores nothing. Records per second.
import mqtt from "mqtt";
import { DEVICE_UP_WILDCARD } from "../../protocol/src/topics";
import type { FleetFrame } from "./fleet-frames";
import { closePublishers, connectPublishers, publishFleet } from "./fleet-publisher";

export async function rawPipeRecordsPerSec(url: string, frames: FleetFrame[], clients: number): Promise<number> {
  const sub = await mqtt.connectAsync(url, { clientId: "bench-raw-sub-" + process.pid, clean: true });
  const total = frames.length;
  const records = frames.reduce((n, f) => n + f.records, 0);
  let got = 0;
  let last = 0;
  const done = new Promise<void>((resolve) => {
    sub.on("message", () => {
      got++;
      last = performance.now();
      if (got === total) resolve();
    });
  });
  await sub.subscribeAsync(DEVICE_UP_WILDCARD, { qos: 1 });
  const pubs = await connectPublishers(url, clients, "raw");
  try {
    const t0 = performance.now();
    await publishFleet(pubs, frames, { clients });
    await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error(`raw pipe: ${got}/${total} frames after 60 s`)), 60_000))]);
    return records / ((last - t0) / 1000);
  } finally {
    await closePublishers(pubs);
    await sub.endAsync();
  }
}
