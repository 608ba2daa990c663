// The platform emulator against the real test broker: acks, exactly-once storage under
// re-sends, the public code query, and the run-time modes.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import type { PlatformAck } from "../../../protocol/src/platform";
import { alerts as alertsTopic, platformAck, platformUp } from "../../../protocol/src/topics";
import { startControlServer, startPlatform, type PlatformEmulator, type PlatformLogger } from "../../../simulator/src/platform";
import { mosquittoPath, startAedes, startMosquitto, type TestBroker } from "../../support/broker";
import { dispenseSale, upload } from "./sales-fixture";

// A private broker: the emulator acks every gateway's uploads, so on the shared test broker it
// would answer for other suites' gateways (and they for it).
let BROKER = "";
let broker: TestBroker;
beforeAll(async () => {
  const bin = process.env.VT_TEST_BROKER_KIND === "mosquitto" ? mosquittoPath() : null;
  broker = bin ? await startMosquitto(bin) : await startAedes();
  BROKER = broker.url;
});
afterAll(async () => {
  await broker.stop();
});

function quietLogger(): PlatformLogger & { lines: string[] } {
  const lines: string[] = [];
  const put = (_o: object, msg?: string) => void lines.push(msg ?? "");
  return { lines, info: () => undefined, warn: put, error: put };
}

/** A stand-in gateway: publishes uploads and collects the acks addressed to it. */
class FakeGateway {
  readonly acks: PlatformAck[] = [];
  private waiters: (() => void)[] = [];
  constructor(readonly id: string, private readonly client: MqttClient) {
    client.on("message", (_t, payload) => {
      this.acks.push(JSON.parse(payload.toString()) as PlatformAck);
      for (const w of this.waiters.splice(0)) w();
    });
  }
  static async connect(id: string): Promise<FakeGateway> {
    const client = await mqtt.connectAsync(BROKER, { clientId: "test-gw-" + id + "-" + process.pid, clean: true });
    await client.subscribeAsync(platformAck(id), { qos: 1 });
    return new FakeGateway(id, client);
  }
  async send(body: unknown): Promise<void> {
    await this.client.publishAsync(platformUp(this.id), typeof body === "string" ? body : JSON.stringify(body), { qos: 1 });
  }
  async alert(body: unknown): Promise<void> {
    await this.client.publishAsync(alertsTopic(this.id), JSON.stringify(body), { qos: 1 });
  }
  /** Resolves with the ack naming msgId, or rejects after ms. */
  async ackFor(msgId: string, ms = 3000): Promise<PlatformAck> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.acks.find((a) => a.msgId === msgId);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("no ack for " + msgId + " within " + ms + " ms");
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
  async close(): Promise<void> {
    await this.client.endAsync();
  }
}

async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("condition not met within " + ms + " ms");
    await new Promise((r) => setTimeout(r, 20));
  }
}

let seq = 0;
const uniq = (p: string) => p + "-" + process.pid + "-" + ++seq;
const C1 = "83857930000879766660";
const C2 = "83857930000879766677";

describe("platform emulator on the broker", () => {
  let platform: PlatformEmulator;
  let gw: FakeGateway;
  let logger: ReturnType<typeof quietLogger>;

  beforeEach(async () => {
    logger = quietLogger();
    platform = await startPlatform({ brokerUrl: BROKER, clientId: uniq("platform"), logger, seed: 7 });
    gw = await FakeGateway.connect(uniq("gw"));
  });
  afterEach(async () => {
    await gw.close();
    await platform.stop();
  });

  it("stores valid sales once and acknowledges per message", async () => {
    await gw.send(upload(gw.id, "m1", [dispenseSale("d1", 2, C1), dispenseSale("d1", 3, C2)]));
    const ack = await gw.ackFor("m1");
    expect(ack).toEqual({ v: 1, msgId: "m1", infcode: 0, results: [{ key: "d1:2", ok: true }, { key: "d1:3", ok: true }] });
    expect(platform.allSaleKeys()).toEqual(["d1:2", "d1:3"]);
    expect(platform.stats()).toMatchObject({ messages: 1, salesStored: 2, duplicates: 0, acksSent: 1 });
  });

  it("acknowledges a re-sent key as duplicate without storing it twice", async () => {
    await gw.send(upload(gw.id, "m1", [dispenseSale("d1", 2, C1)]));
    await gw.ackFor("m1");
    await gw.send(upload(gw.id, "m1", [dispenseSale("d1", 2, C1)])); // the same message again
    await gw.send(upload(gw.id, "m2", [dispenseSale("d1", 2, C1), dispenseSale("d1", 3, C2)])); // re-batched
    const again = await gw.ackFor("m2");
    expect(again.results).toEqual([{ key: "d1:2", ok: true, duplicate: true }, { key: "d1:3", ok: true }]);
    await waitFor(() => platform.stats().messages === 3);
    expect(platform.allSaleKeys()).toEqual(["d1:2", "d1:3"]);
    expect(platform.stats()).toMatchObject({ salesStored: 2, duplicates: 2, resentMessages: 1 });
    expect(platform.allSales().find((r) => r.sale.key === "d1:2")!.resends).toBe(2);
  });

  it("refuses a re-sent key with different content and keeps the first", async () => {
    await gw.send(upload(gw.id, "m1", [dispenseSale("d1", 2, C1)]));
    await gw.ackFor("m1");
    await gw.send(upload(gw.id, "m2", [dispenseSale("d1", 2, C2)]));
    const ack = await gw.ackFor("m2");
    expect(ack.results![0]).toMatchObject({ key: "d1:2", ok: false });
    expect(platform.salesForCode(C1)).toHaveLength(1);
    expect(platform.salesForCode(C2)).toHaveLength(0);
    expect(platform.stats().conflicts).toBe(1);
  });

  it("answers invalid messages and sales with an error, counted and logged", async () => {
    await gw.send("{not json");
    await gw.send({ ...upload(gw.id, "bad-v", []), v: 3 });
    await gw.send(upload(gw.id, "mixed", [dispenseSale("d1", 2, C1), { ...dispenseSale("d1", 3, C2), trdn_flag: 5 }]));
    const malformed = await gw.ackFor("");
    expect(malformed.infcode).toBe(1001);
    expect((await gw.ackFor("bad-v")).infcode).toBe(1002);
    const mixed = await gw.ackFor("mixed");
    expect(mixed.infcode).toBe(0);
    expect(mixed.results![1]).toMatchObject({ key: "d1:3", ok: false });
    expect(mixed.results![1].err_msg).toMatch(/trdn_flag/);
    expect(platform.allSaleKeys()).toEqual(["d1:2"]);
    expect(platform.stats()).toMatchObject({ malformed: 1, refusedMessages: 2, invalidSales: 1 });
    expect(logger.lines.some((l) => l.includes("trdn_flag"))).toBe(true);
  });

  it("answers the public code query with 0, 1 or several records", async () => {
    await gw.send(upload(gw.id, "m1", [dispenseSale("d1", 2, C1), dispenseSale("d2", 7, C2), dispenseSale("d3", 4, C2)]));
    await gw.ackFor("m1");
    expect(platform.salesForCode("83857930000000000000")).toEqual([]);
    expect(platform.salesForCode(C1).map((s) => s.key)).toEqual(["d1:2"]);
    expect(platform.salesForCode(C2).map((s) => s.key)).toEqual(["d2:7", "d3:4"]);
  });

  it("goes down, lets the broker queue uploads, and takes them on coming back", async () => {
    await platform.setMode({ down: true });
    await gw.send(upload(gw.id, "while-down", [dispenseSale("d1", 2, C1)]));
    await expect(gw.ackFor("while-down", 400)).rejects.toThrow(/no ack/);
    expect(platform.allSaleKeys()).toEqual([]);
    await platform.setMode({ down: false });
    const ack = await gw.ackFor("while-down");
    expect(ack.infcode).toBe(0);
    expect(platform.allSaleKeys()).toEqual(["d1:2"]);
  });

  it("withholds acks while still storing, so re-sends become duplicates", async () => {
    await platform.setMode({ withholdAcks: true });
    await gw.send(upload(gw.id, "m1", [dispenseSale("d1", 2, C1)]));
    await waitFor(() => platform.stats().messages === 1);
    await expect(gw.ackFor("m1", 300)).rejects.toThrow(/no ack/);
    await platform.setMode({ withholdAcks: false });
    await gw.send(upload(gw.id, "m1", [dispenseSale("d1", 2, C1)]));
    expect((await gw.ackFor("m1")).results).toEqual([{ key: "d1:2", ok: true, duplicate: true }]);
    expect(platform.stats()).toMatchObject({ salesStored: 1, duplicates: 1, acksWithheld: 1, acksSent: 1 });
  });

  it("delays acks in slow mode", async () => {
    await platform.setMode({ ackDelayMs: 400 });
    const t0 = Date.now();
    await gw.send(upload(gw.id, "slow", [dispenseSale("d1", 2, C1)]));
    await gw.ackFor("slow");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(380);
    expect(platform.allSaleKeys()).toEqual(["d1:2"]);
  });

  it("rejects a fraction of messages with a transient infcode and stores none of them", async () => {
    await platform.setMode({ rejectRate: 1 });
    await gw.send(upload(gw.id, "r1", [dispenseSale("d1", 2, C1)]));
    expect(await gw.ackFor("r1")).toMatchObject({ infcode: 5003 });
    expect(platform.allSaleKeys()).toEqual([]);
    await platform.setMode({ rejectRate: 0.5 });
    for (let i = 0; i < 40; i++) await gw.send(upload(gw.id, "f" + i, [dispenseSale("d9", i + 1, C1)]));
    await waitFor(() => platform.stats().messages === 41);
    const rejected = platform.stats().rejects - 1;
    expect(rejected).toBeGreaterThan(5);
    expect(rejected).toBeLessThan(35);
    expect(platform.allSaleKeys()).toHaveLength(40 - rejected);
    await expect(platform.setMode({ rejectRate: 2 })).rejects.toThrow(RangeError);
  });

  it("stores alerts once and counts invalid ones", async () => {
    const alert = { v: 1, gateway: gw.id, id: "a1", kind: "duplicate-sale", severity: "critical", at: "2026-03-02T01:00:00Z", reason: "code sold at two clinics", evidence: { keys: ["d1:2", "d2:5"] } };
    await gw.alert(alert);
    await gw.alert(alert);
    await gw.alert({ ...alert, id: "a2", kind: "rumour" });
    await waitFor(() => platform.stats().alerts + platform.stats().duplicateAlerts + platform.stats().invalidAlerts === 3);
    expect(platform.alerts()).toEqual([alert]);
    expect(platform.stats()).toMatchObject({ alerts: 1, duplicateAlerts: 1, invalidAlerts: 1 });
  });

  it("can be steered over the HTTP control endpoint", async () => {
    const control = await startControlServer(platform);
    try {
      const res = await fetch(control.url + "/mode", { method: "POST", body: JSON.stringify({ ackDelayMs: 50, rejectRate: 0.25 }) });
      expect(res.status).toBe(200);
      expect(platform.mode()).toMatchObject({ ackDelayMs: 50, rejectRate: 0.25 });
      expect((await fetch(control.url + "/mode", { method: "POST", body: "{\"down\": \"yes\"}" })).status).toBe(400);
      expect(await (await fetch(control.url + "/stats")).json()).toMatchObject({ messages: 0 });
      expect(await (await fetch(control.url + "/sales?code=" + C1)).json()).toEqual([]);
    } finally {
      await control.close();
    }
  });
});

describe("platform emulator durability", () => {
  it("keeps stored sales in its SQLite file across a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vt-platform-"));
    const dbPath = dir + "/platform.db";
    const gw = await FakeGateway.connect(uniq("gw"));
    const first = await startPlatform({ brokerUrl: BROKER, dbPath, clientId: uniq("p"), logger: quietLogger() });
    await gw.send(upload(gw.id, "m1", [dispenseSale("d1", 2, C1)]));
    await gw.ackFor("m1");
    await first.stop();
    const second = await startPlatform({ brokerUrl: BROKER, dbPath, clientId: uniq("p"), logger: quietLogger() });
    await gw.send(upload(gw.id, "m2", [dispenseSale("d1", 2, C1)]));
    expect((await gw.ackFor("m2")).results).toEqual([{ key: "d1:2", ok: true, duplicate: true }]);
    expect(second.salesForCode(C1)).toHaveLength(1);
    await second.stop();
    await gw.close();
  });
});
