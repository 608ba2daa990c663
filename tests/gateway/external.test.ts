// In-process gateways attached to the test broker (external mode): relay order and
// exactly-once through a platform outage and a gateway restart, and two gateways sharing
// the device traffic without doubling anything.
import mqtt from "mqtt";
import { startGateway, type GatewayHandle } from "../../gateway/src/app";
import { silentLogger } from "../../gateway/src/log/logger";
import { GatewayStore } from "../../gateway/src/store/store";
import { deviceDown, deviceUp } from "../../protocol/src/topics";
import { decodeDown } from "../../protocol/src/frame/decode-down";
import { nodeHashing } from "../../protocol/src/node/hashing";
import { FakePlatform } from "./fake-platform";
import { T0, bytesOf, cn20, dispense, frameOf, secretOf, tempDir, waitFor } from "./helpers";

const brokerUrl = process.env.VT_TEST_BROKER_URL!;

function provision(dataDir: string, ids: string[]): void {
  const store = GatewayStore.open(dataDir);
  for (const id of ids) store.devices.add({ id, secret: secretOf(id), institution: "H-" + id, operator: "op " + id }, T0);
  store.close();
}

function start(id: string, dataDir: string, sharedGroup?: string): Promise<GatewayHandle> {
  return startGateway(
    { id, dataDir, devices: { mode: "external", url: brokerUrl, sharedGroup }, http: { enabled: false }, platform: { url: brokerUrl, batchSize: 7, window: 2, ackTimeoutMs: 400, retryBaseMs: 50, retryMaxMs: 400 } },
    { logger: silentLogger() },
  );
}

describe("gateway on an external broker", () => {
  let platform: FakePlatform;
  let sender: mqtt.MqttClient;
  beforeAll(async () => {
    platform = await FakePlatform.start(brokerUrl, ["gw-ext-" + process.pid]);
    sender = await mqtt.connectAsync(brokerUrl, { clientId: "ext-sender-" + process.pid });
  });
  afterAll(async () => {
    await sender.endAsync();
    await platform.stop();
  });

  const publishFrames = async (device: string, from: number, to: number, per: number) => {
    for (let s = from; s <= to; s += per) {
      const recs = [];
      for (let q = s; q < s + per && q <= to; q++) recs.push(dispense(q, cn20(q + 1000 * (device.charCodeAt(0) + 7 * device.charCodeAt(device.length - 1)))));
      await sender.publishAsync(deviceUp(device), Buffer.from(bytesOf(frameOf(device, recs))), { qos: 1 });
    }
  };

  it("delivers every record exactly once and in order through a platform outage and a restart", async () => {
    const gwId = "gw-ext-" + process.pid; // the one gateway the fake platform listens to
    const dataDir = tempDir();
    provision(dataDir, ["P", "Q"]);
    let gw = await start(gwId, dataDir);
    platform.acking = false; // the platform takes messages but never answers
    await publishFrames("P", 1, 30, 5);
    await publishFrames("Q", 1, 20, 4);
    await waitFor(() => gw.store.records.count() === 50, 10_000, "records stored");
    await waitFor(() => gw.relay.stats.retries > 0, 10_000, "retries while the platform is silent");
    expect(gw.store.outbox.size()).toBe(50);
    await gw.stop(); // restart with the whole backlog on disk

    platform.acking = true;
    gw = await start(gwId, dataDir);
    await waitFor(() => gw.store.outbox.size() === 0, 15_000, "backlog drained");
    const mine = platform.sales.filter((s) => s.device === "P" || s.device === "Q");
    expect(mine).toHaveLength(50);
    for (const d of ["P", "Q"]) {
      const seqs = mine.filter((s) => s.device === d).map((s) => s.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b)); // per-device order kept
    }
    expect(mine[0]).toMatchObject({ sel_retn_time: "2025-06-15 23:06:41" });
    await gw.stop();
  });

  it("two gateways on one shared subscription store and ack every frame once", async () => {
    const group = "vt-test-" + process.pid;
    const a = tempDir();
    const b = tempDir();
    const devices = ["S1", "S2", "S3", "S4"];
    provision(a, devices);
    provision(b, devices);
    const g1 = await start("gw-share-1-" + process.pid, a, group);
    const g2 = await start("gw-share-2-" + process.pid, b, group);
    const acks: number[] = [];
    const listener = await mqtt.connectAsync(brokerUrl, { clientId: "ack-listener-" + process.pid });
    try {
      listener.on("message", (topic, payload) => {
        const d = topic.split("/")[3];
        const r = decodeDown(new Uint8Array(payload), secretOf(d), nodeHashing);
        if (r.ok && r.value.type === 2) acks.push(r.value.ack.upto);
      });
      await listener.subscribeAsync(devices.map(deviceDown), { qos: 1 });
      for (const d of devices) await publishFrames(d, 1, 20, 2);
      await waitFor(() => acks.length >= 40, 10_000, "40 acks");
      await new Promise((r) => setTimeout(r, 300));
      expect(g1.store.records.count() + g2.store.records.count()).toBe(80);
      expect(acks.length).toBe(40); // one ack per frame: no frame went to both gateways
      expect(g1.store.records.count()).toBeGreaterThan(0);
      expect(g2.store.records.count()).toBeGreaterThan(0);
    } finally {
      await listener.endAsync();
      await g1.stop();
      await g2.stop();
    }
  });
});
