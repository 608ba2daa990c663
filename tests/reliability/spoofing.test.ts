// Hostile publishers on an open broker (no broker-side ACL): forged tags, unknown and
// revoked devices, one board's genuine frame replayed on another's topic, and garbage.
// The gateway stores and acks none of it, counts each under its reason, and keeps
// serving the genuine board.
import { rmSync } from "node:fs";
import mqtt from "mqtt";
import { startGateway, type GatewayHandle } from "../../gateway/src/app";
import { silentLogger } from "../../gateway/src/log/logger";
import { GatewayStore } from "../../gateway/src/store/store";
import { decodeDown } from "../../protocol/src/frame/decode-down";
import { nodeHashing } from "../../protocol/src/node/hashing";
import { deviceDown, deviceUp } from "../../protocol/src/topics";
import type { TestBroker } from "../support/broker";
import { T0, bytesOf, cn20, dispense, frameOf, secretOf, tempDir, waitFor } from "../gateway/helpers";
import { startPrivateBroker } from "./support/private-broker";

describe("spoofing through the broker", () => {
  let broker: TestBroker;
  let gw: GatewayHandle;
  let dataDir: string;
  beforeAll(async () => {
    broker = await startPrivateBroker();
    dataDir = tempDir("vt-rel-spoof-");
    const store = GatewayStore.open(dataDir);
    for (const id of ["A", "B", "R"]) store.devices.add({ id, secret: secretOf(id), institution: "H-" + id, operator: "op " + id }, T0);
    store.devices.revoke("R", T0);
    store.close();
    gw = await startGateway({ id: "rel-spoof", dataDir, devices: { mode: "external", url: broker.url }, http: { enabled: false }, store: { minFreeBytes: 1 } }, { logger: silentLogger() });
  }, 30_000);
  afterAll(async () => {
    await gw?.stop();
    await broker?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("refuses forged, unknown, revoked and spoofed frames and still serves the real board", async () => {
    const attacker = await mqtt.connectAsync(broker.url, { clientId: "attacker-" + process.pid });
    const listener = await mqtt.connectAsync(broker.url, { clientId: "down-listener-" + process.pid });
    const acks: string[] = [];
    listener.on("message", (topic, payload) => {
      const d = topic.split("/")[3];
      const r = decodeDown(new Uint8Array(payload), secretOf(d), nodeHashing);
      if (r.ok && r.value.type === 2) acks.push(d + ":" + r.value.ack.upto);
    });
    await listener.subscribeAsync(["A", "B", "R", "Z"].map(deviceDown), { qos: 1 });
    await new Promise((r) => setTimeout(r, 300)); // the gateway's subscription is in place
    try {
      const genuineA = bytesOf(frameOf("A", [dispense(1, cn20(1)), dispense(2, cn20(2))]));
      const attacks: [string, Uint8Array, string][] = [
        [deviceUp("A"), bytesOf(frameOf("A", [dispense(1, cn20(5))]), secretOf("someone-else")), "bad-tag"],
        [deviceUp("B"), bytesOf(frameOf("B", [dispense(1, cn20(6))]), secretOf("A")), "bad-tag"],
        [deviceUp("Z"), bytesOf(frameOf("Z", [dispense(1, cn20(7))])), "unknown-device"],
        [deviceUp("R"), bytesOf(frameOf("R", [dispense(1, cn20(8))])), "revoked"],
        [deviceUp("B"), genuineA, "device-mismatch"],
        [deviceUp("A"), new Uint8Array([0xff, 0x00, 0x13, 0x37]), "truncated"], // a CBOR break byte with nothing open
      ];
      for (const [topic, bytes] of attacks) await attacker.publishAsync(topic, Buffer.from(bytes), { qos: 1 });
      const want: Record<string, number> = {};
      for (const [, , reason] of attacks) want[reason] = (want[reason] ?? 0) + 1;
      const rejected = () => gw.store.counters.all();
      await waitFor(() => Object.entries(want).every(([r, n]) => rejected()["frames.rejected." + r] === n), 10_000, "every attack counted").catch((err) => {
        throw new Error(err.message + ": have " + JSON.stringify(rejected()));
      });
      expect(gw.store.records.count()).toBe(0);
      expect(acks).toEqual([]);

      // The genuine board, on its own topic, is stored and acked as usual.
      await attacker.publishAsync(deviceUp("A"), Buffer.from(genuineA), { qos: 1 });
      await waitFor(() => acks.includes("A:2"), 10_000, "A acked");
      expect(gw.store.records.count()).toBe(2);
      expect(gw.store.records.get("B", 1)).toBeNull();
    } finally {
      await attacker.endAsync();
      await listener.endAsync();
    }
  });
});
