// What county and province scale asks of a gateway: the dashboard's once-a-second summary
// reads counts kept in the store (exact through every kind of write, rebuilt on an older
// file) instead of counting a million rows; status frames reach the devices table at once;
// and several gateways on one broker's shared subscription never double a sale at the
// platform.
import { request, createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import mqtt from "mqtt";
import { startGateway, type GatewayHandle } from "../../gateway/src/app";
import { GatewayBus } from "../../gateway/src/bus/events";
import { Dashboard } from "../../gateway/src/dashboard/dashboard";
import { IngestPipeline } from "../../gateway/src/ingest/pipeline";
import { silentLogger } from "../../gateway/src/log/logger";
import { statusSummary } from "../../gateway/src/status/summary";
import { DiskGuard } from "../../gateway/src/store/disk-guard";
import { ensureRowCounts } from "../../gateway/src/store/row-counts";
import { GatewayStore } from "../../gateway/src/store/store";
import type { StatusFrame } from "../../protocol/src/frame/types";
import { decodeDown } from "../../protocol/src/frame/decode-down";
import { encodeStatusNode } from "../../protocol/src/node/encode";
import { nodeHashing } from "../../protocol/src/node/hashing";
import { deviceDown, deviceUp } from "../../protocol/src/topics";
import { FakePlatform } from "./fake-platform";
import { T0, bytesOf, cn20, dispense, frameOf, secretOf, tempDir, waitFor } from "./helpers";

const ctx = { fixedTime: T0, timeTrusted: true, institution: "H", operator: "op", receivedAt: T0 };

function exact(store: GatewayStore): { records: number; outbox: number } {
  const n = (sql: string) => (store.db.prepare(sql).get() as { n: number }).n;
  // The outbox holds runs of seqs: what it owes is the sum of their lengths.
  return { records: n("SELECT COUNT(*) AS n FROM records"), outbox: n("SELECT COALESCE(SUM(to_seq - from_seq + 1), 0) AS n FROM outbox") };
}

function kept(store: GatewayStore): { records: number; outbox: number } {
  return { records: store.records.count(), outbox: store.outbox.size() };
}

describe("row counts kept in the store", () => {
  it("stay exact through inserts, retransmissions, relays, retention, rollbacks and raw SQL", () => {
    const store = GatewayStore.open(":memory:");
    try {
      const add = (device: string, seq: number) => {
        const id = store.records.insert(device, dispense(seq, cn20(seq)), ctx);
        if (id !== null) store.outbox.enqueue(device, seq);
        return id;
      };
      store.transaction(() => { for (let s = 1; s <= 50; s++) add("A", s); });
      expect(add("A", 7)).toBeNull(); // a retransmission changes nothing
      expect(kept(store)).toEqual({ records: 50, outbox: 50 });
      store.transaction(() => {
        store.outbox.removeSpan("A", 1, 20);
        store.records.markRelayedSpan("A", 1, 20, T0 - 90 * 86_400);
      });
      expect(kept(store)).toEqual({ records: 50, outbox: 30 });
      expect(store.applyRetention(30, T0)).toBe(20);
      expect(kept(store)).toEqual({ records: 30, outbox: 30 });
      expect(() => store.transaction(() => {
        for (let s = 100; s < 110; s++) add("B", s);
        throw new Error("disk gone mid-commit");
      })).toThrow("disk gone");
      expect(kept(store)).toEqual({ records: 30, outbox: 30 }); // rolled back with the rows
      store.db.exec("INSERT INTO records (device, seq, time, trusted, boot, uptime, event, session, fixed_time, time_trusted, institution, operator, received_at) VALUES ('C', 1, 0, 1, 1, 0, 1, 0, 0, 1, 'H', 'op', 0)");
      expect(kept(store)).toEqual(exact(store));
      expect(statusSummary(store)).toMatchObject({ records: 31, backlog: 30 });
    } finally {
      store.close();
    }
  });

  it("match COUNT(*) after any sequence of writes (generated)", () => {
    type Op = { k: "add"; d: number; s: number } | { k: "relay"; n: number } | { k: "retain" } | { k: "rollback"; s: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ k: fc.constant("add" as const), d: fc.integer({ min: 0, max: 3 }), s: fc.integer({ min: 1, max: 40 }) }),
      fc.record({ k: fc.constant("relay" as const), n: fc.integer({ min: 1, max: 10 }) }),
      fc.record({ k: fc.constant("retain" as const) }),
      fc.record({ k: fc.constant("rollback" as const), s: fc.integer({ min: 1, max: 40 }) }),
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
      const store = GatewayStore.open(":memory:");
      try {
        for (const o of ops) {
          if (o.k === "add") {
            const id = store.records.insert("D" + o.d, dispense(o.s, cn20(o.s)), ctx);
            if (id !== null) store.outbox.enqueue("D" + o.d, o.s);
          } else if (o.k === "relay") {
            const run = store.outbox.all()[0];
            if (run) {
              const to = Math.min(run.to, run.from + o.n - 1);
              store.transaction(() => { store.outbox.removeSpan(run.device, run.from, to); store.records.markRelayedSpan(run.device, run.from, to, T0 - 400 * 86_400); });
            }
          } else if (o.k === "retain") {
            store.applyRetention(30, T0);
          } else {
            try {
              store.transaction(() => { store.records.insert("R", dispense(o.s, cn20(o.s)), ctx); throw new Error("abort"); });
            } catch {
              // expected: the insert is rolled back
            }
          }
          if (kept(store).records !== exact(store).records || kept(store).outbox !== exact(store).outbox) return false;
        }
        return true;
      } finally {
        store.close();
      }
    }), { numRuns: 60 });
  });

  it("are built, exactly, when a store written without them is opened", () => {
    const dir = tempDir();
    let store = GatewayStore.open(dir);
    store.transaction(() => {
      for (let s = 1; s <= 300; s++) {
        store.records.insert("A", dispense(s, cn20(s)), ctx);
        if (s > 100) store.outbox.enqueue("A", s);
      }
    });
    // What a file from before the counts looks like.
    store.db.exec("DROP TRIGGER records_count_insert; DROP TRIGGER records_count_delete; DROP TRIGGER outbox_count_insert; DROP TRIGGER outbox_count_delete; DROP TRIGGER outbox_count_update; DROP TABLE row_counts;");
    store.close();
    store = GatewayStore.open(dir);
    try {
      expect(kept(store)).toEqual({ records: 300, outbox: 200 });
      expect(ensureRowCounts(store.db)).toBe(false); // complete: nothing rebuilt on the next open
      store.records.insert("A", dispense(301, cn20(301)), ctx);
      expect(kept(store)).toEqual({ records: 301, outbox: 200 });
    } finally {
      store.close();
    }
  });
});

describe("status frames update the dashboard's devices at once", () => {
  let server: Server | null = null;
  afterEach(() => server?.close());

  it("raises device-status on the bus and pushes the devices table without waiting for a tick", async () => {
    const store = GatewayStore.open(":memory:");
    store.devices.add({ id: "ST1", secret: secretOf("ST1"), institution: "H-ST1", operator: "op" }, T0);
    const bus = new GatewayBus();
    const heard: [string, StatusFrame][] = [];
    bus.on("device-status", (d, s) => heard.push([d, s]));
    const log = silentLogger();
    const ingest = new IngestPipeline({
      store, bus, hashing: nodeHashing, log, sendAck: () => undefined, batchWindowMs: 1, batchMaxFrames: 16,
      disk: new DiskGuard(".", 0, 1000, () => Number.MAX_SAFE_INTEGER),
    });
    // No ticks during the test: whatever "devices" event arrives was pushed by the status.
    const dashboard = new Dashboard({ store, bus, log, live: () => ({ platformOnline: false, diskAlarm: false, relayInFlight: 0 }), sampleMs: 3_600_000 });
    server = createServer((req, res) => void dashboard.handle(req, res, new URL(req.url ?? "/", "http://x")));
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const events: { event: string; data: unknown }[] = [];
    const req = request({ host: "127.0.0.1", port: (server.address() as AddressInfo).port, path: "/api/live" }, (res) => {
      let buf = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buf += chunk;
        let at;
        while ((at = buf.indexOf("\n\n")) >= 0) {
          const block = buf.slice(0, at);
          buf = buf.slice(at + 2);
          const ev = /^event: (.*)$/m.exec(block);
          const data = /^data: (.*)$/m.exec(block);
          if (ev && data) events.push({ event: ev[1], data: JSON.parse(data[1]) });
        }
      });
    });
    req.end();
    try {
      await waitFor(() => events.some((e) => e.event === "hello"), 5000, "live stream open");
      const status: StatusFrame = { device: "ST1", boot: 1, uptime: 50, time: T0 + 50, trusted: true, firmware: "1.0.0", board: "pico", seqHead: 40, ackedUpto: 10, flashUsed: 4096, flashTotal: 65536, sessionOpen: false };
      const r = await ingest.handle(deviceUp("ST1"), encodeStatusNode(status, secretOf("ST1"), nodeHashing));
      expect(r.ok).toBe(true);
      expect(heard).toHaveLength(1);
      expect(heard[0][0]).toBe("ST1");
      expect(heard[0][1]).toMatchObject({ seqHead: 40, ackedUpto: 10 });
      await waitFor(() => events.some((e) => e.event === "devices"), 3000, "devices pushed");
      const rows = events.find((e) => e.event === "devices")!.data as { id: string; unsynced: number | null }[];
      expect(rows).toEqual([expect.objectContaining({ id: "ST1", unsynced: 30 })]);
      expect(events.some((e) => e.event === "tick")).toBe(false);
    } finally {
      req.destroy();
      dashboard.close();
      store.close();
    }
  });
});

// Mosquitto hands a shared subscription's messages round robin; aedes has no $share.
const onMosquitto = process.env.VT_TEST_BROKER_KIND === "mosquitto";
if (!onMosquitto) console.warn("[scale-out.test] test broker is not Mosquitto (no shared subscriptions): the two-gateway case is skipped");

(onMosquitto ? describe : describe.skip)("two gateways on one shared subscription", () => {
  const brokerUrl = process.env.VT_TEST_BROKER_URL!;
  const ids = ["gw-scale-1-" + process.pid, "gw-scale-2-" + process.pid];
  const devices = ["SC1", "SC2", "SC3", "SC4"];
  const RECORDS = 24;
  const PER_FRAME = 3;
  let platform: FakePlatform;
  let gws: GatewayHandle[] = [];
  let client: mqtt.MqttClient;

  beforeAll(async () => {
    platform = await FakePlatform.start(brokerUrl, ids);
    client = await mqtt.connectAsync(brokerUrl, { clientId: "scale-boards-" + process.pid });
  });
  afterAll(async () => {
    await client?.endAsync();
    await platform?.stop();
  });
  afterEach(async () => {
    for (const g of gws) await g.stop();
    gws = [];
  });

  it("never double a sale at the platform while boards retransmit until acked", async () => {
    for (const id of ids) {
      const dataDir = tempDir();
      const store = GatewayStore.open(dataDir);
      for (const d of devices) store.devices.add({ id: d, secret: secretOf(d), institution: "H-" + d, operator: "op" }, T0);
      store.close();
      gws.push(await startGateway({
        id, dataDir, http: { enabled: false },
        devices: { mode: "external", url: brokerUrl, sharedGroup: "vt-scale-" + process.pid },
        platform: { url: brokerUrl, batchSize: 10, window: 4, ackTimeoutMs: 1000, retryBaseMs: 50, retryMaxMs: 500 },
      }, { logger: silentLogger() }));
    }
    // The boards' side: the best ack each has heard, whichever gateway sent it.
    const acked = new Map(devices.map((d) => [d, 0]));
    client.on("message", (topic, payload) => {
      const d = topic.split("/")[3];
      const r = decodeDown(new Uint8Array(payload), secretOf(d), nodeHashing);
      if (r.ok && r.value.type === 2) acked.set(d, Math.max(acked.get(d)!, r.value.ack.upto));
    });
    await client.subscribeAsync(devices.map(deviceDown), { qos: 1 });
    const frame = (d: string, from: number) => {
      const recs = [];
      for (let q = from; q < from + PER_FRAME && q <= RECORDS; q++) recs.push(dispense(q, cn20(500_000 + 1000 * devices.indexOf(d) + q)));
      return Buffer.from(bytesOf(frameOf(d, recs)));
    };
    // Like the firmware's sync: one frame in flight per board, from the first record above
    // the best ack heard, sent again after 1 s without a better ack.
    const deadline = Date.now() + 20_000;
    let sends = 0;
    await Promise.all(devices.map(async (d) => {
      while (acked.get(d)! < RECORDS) {
        if (Date.now() > deadline) throw new Error("boards not fully acked: " + JSON.stringify([...acked]));
        const before = acked.get(d)!;
        sends++;
        await client.publishAsync(deviceUp(d), frame(d, before + 1), { qos: 1 });
        const until = Date.now() + 1000;
        while (acked.get(d)! === before && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      }
    }));
    await waitFor(() => platform.sales.filter((s) => devices.includes(s.device)).length === devices.length * RECORDS, 15_000, "every sale at the platform");
    await new Promise((r) => setTimeout(r, 500)); // let any late re-delivery arrive
    const mine = platform.sales.filter((s) => devices.includes(s.device));
    for (const d of devices) {
      expect(mine.filter((s) => s.device === d).map((s) => s.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: RECORDS }, (_, i) => i + 1));
    }
    const relayed = gws.map((g) => (g.store.db.prepare("SELECT COUNT(*) AS n FROM records r WHERE EXISTS (SELECT 1 FROM relayed x WHERE x.device = r.device AND x.from_seq <= r.seq AND x.to_seq >= r.seq)").get() as { n: number }).n);
    const stored = gws.map((g) => g.store.records.count());
    const stranded = gws.map((g) => g.store.outbox.size());
    // Each sale the platform holds came once; every extra copy a second gateway relayed was absorbed by its key.
    expect(relayed[0] + relayed[1]).toBe(mine.length + platform.duplicates);
    // Round robin splits a board's frames between the gateways. Each acks the frame it got:
    // the frame's first seq says the board's earlier records were acked (by the other one),
    // so no board waits on a gateway for records it never saw, and nothing is left behind.
    expect(stored[0]).toBeGreaterThan(0);
    expect(stored[1]).toBeGreaterThan(0);
    expect(sends).toBe(devices.length * (RECORDS / PER_FRAME)); // every frame acked the first time
    expect(stranded).toEqual([0, 0]);
    gws.forEach((g, i) => expect(stored[i]).toBe(relayed[i]));
  });
});
