import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GatewayBus } from "../../gateway/src/bus/events";
import { WorkerWriter } from "../../gateway/src/ingest/store-writer";
import { IngestPipeline } from "../../gateway/src/ingest/pipeline";
import { silentLogger } from "../../gateway/src/log/logger";
import { DiskGuard } from "../../gateway/src/store/disk-guard";
import { GatewayStore } from "../../gateway/src/store/store";
import { nodeHashing } from "../../protocol/src/node/hashing";
import { encodeStatusNode } from "../../protocol/src/node/encode";
import { deviceUp } from "../../protocol/src/topics";
import { EV_OPEN, EV_SPLIT, EV_UNDO } from "../../protocol/src/record";
import { T0, bytesOf, cn20, dispense, frameOf, secretOf } from "./helpers";

// Every test runs twice: commits inline on the store's connection (an in-memory store), and
// on the writer thread the gateway uses for a store on disk.
const MODES = ["inline", "writer thread"] as const;
let mode: (typeof MODES)[number] = "inline";
const opened: { store: GatewayStore; writer?: WorkerWriter }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) {
    if (o.writer) expect(o.writer.async).toBe(true); // the thread did the work: no fallback to inline
    await o.writer?.close();
    o.store.close();
  }
});

function setup(freeBytes = () => 1e12) {
  const dir = mode === "inline" ? ":memory:" : mkdtempSync(join(tmpdir(), "vt-ingest-"));
  const store = GatewayStore.open(dir);
  const writer = mode === "inline" ? undefined : new WorkerWriter(store, { file: join(dir, "gateway.sqlite"), synchronous: "FULL", cacheMiB: 8, log: silentLogger() });
  opened.push({ store, writer });
  const bus = new GatewayBus();
  const acks: [string, number][] = [];
  const order: string[] = [];
  for (const id of ["A", "B", "R"]) store.devices.add({ id, secret: secretOf(id), institution: "H-" + id, operator: "op " + id }, T0);
  store.devices.revoke("R", T0);
  const ingest = new IngestPipeline({
    store, bus, hashing: nodeHashing, log: silentLogger(), batchWindowMs: 2, batchMaxFrames: 64,
    disk: new DiskGuard("/", 1000, 0, freeBytes),
    sendAck: (d, upto) => {
      // Proof that the ack follows the commit: the records are readable when it is sent.
      order.push("ack " + d + " " + upto + " stored=" + store.records.ackedUpto(d));
      acks.push([d, upto]);
    },
    nowSec: () => T0 + 1000,
    writer,
  });
  return { store, bus, acks, order, ingest };
}

describe.each(MODES)("commits %s", (m) => {
beforeAll(() => {
  mode = m;
});

describe("ingest", () => {
  it("stores a valid frame and acks the highest contiguous seq after the commit", async () => {
    const { store, ingest, acks, order } = setup();
    const r = await ingest.handle(deviceUp("A"), bytesOf(frameOf("A", [dispense(1, cn20(1)), dispense(2, cn20(2))])));
    expect(r).toEqual({ ok: true, device: "A", upto: 2, fresh: 2, duplicates: 0 });
    expect(acks).toEqual([["A", 2]]);
    expect(order).toEqual(["ack A 2 stored=2"]);
    expect(store.records.get("A", 2)).toMatchObject({ code: cn20(2), institution: "H-A", operator: "op A" });
    expect(store.outbox.size()).toBe(2);
  });

  it("absorbs a retransmitted frame and acks it again", async () => {
    const { store, ingest, acks } = setup();
    const bytes = bytesOf(frameOf("A", [dispense(1, cn20(1))]));
    await ingest.handle(deviceUp("A"), bytes);
    const again = await ingest.handle(deviceUp("A"), bytes);
    expect(again).toEqual({ ok: true, device: "A", upto: 1, fresh: 0, duplicates: 1 });
    expect(acks).toEqual([["A", 1], ["A", 1]]);
    expect(store.records.count()).toBe(1);
    expect(store.outbox.size()).toBe(1);
    expect(store.alerts.list()).toEqual([]); // a retransmission is not a second sale
  });

  it("groups frames arriving together into one transaction", async () => {
    const { store, ingest } = setup();
    const results = await Promise.all([
      ingest.handle(deviceUp("A"), bytesOf(frameOf("A", [dispense(1, cn20(1))]))),
      ingest.handle(deviceUp("B"), bytesOf(frameOf("B", [dispense(1, cn20(2))]))),
      ingest.handle(deviceUp("A"), bytesOf(frameOf("A", [dispense(2, cn20(3))]))),
    ]);
    expect(results.map((r) => r.ok && r.upto)).toEqual([1, 1, 2]);
    expect(store.records.count()).toBe(3);
  });

  it.each([
    ["forged tag", deviceUp("A"), () => bytesOf(frameOf("A", [dispense(1, cn20(1))]), secretOf("someone else")), "bad-tag"],
    ["unknown device", deviceUp("X"), () => bytesOf(frameOf("X", [dispense(1, cn20(1))])), "unknown-device"],
    ["revoked device", deviceUp("R"), () => bytesOf(frameOf("R", [dispense(1, cn20(1))])), "revoked"],
    ["another device's frame on its topic", deviceUp("A"), () => bytesOf(frameOf("B", [dispense(1, cn20(1))])), "device-mismatch"],
    ["not an up topic", "vt/v1/dev/A/down", () => bytesOf(frameOf("A", [dispense(1, cn20(1))])), "bad-topic"],
    ["garbage bytes", deviceUp("A"), () => new Uint8Array(64).fill(0x1c), "not-cbor"],
    ["empty payload", deviceUp("A"), () => new Uint8Array(0), "empty"],
    ["oversized payload", deviceUp("A"), () => new Uint8Array(5000), "too-large"],
    ["truncated frame", deviceUp("A"), () => bytesOf(frameOf("A", [dispense(1, cn20(1))])).subarray(0, 20), "truncated"],
  ])("rejects a %s, counts it and changes nothing", async (_name, topic, make, reason) => {
    const { store, ingest, acks } = setup();
    const r = await ingest.handle(topic, make());
    expect(r).toMatchObject({ ok: false, reason });
    expect(acks).toEqual([]);
    expect(store.records.count()).toBe(0);
    expect(store.outbox.size()).toBe(0);
    expect(store.counters.all()).toEqual({ ["frames.rejected." + reason]: 1 });
  });

  it("stops acking when the disk is nearly full and loses nothing once space returns", async () => {
    let free = 10;
    const { store, ingest, acks } = setup(() => free);
    const bytes = bytesOf(frameOf("A", [dispense(1, cn20(1))]));
    expect(await ingest.handle(deviceUp("A"), bytes)).toMatchObject({ ok: false, reason: "disk-full" });
    expect(acks).toEqual([]);
    expect(store.records.count()).toBe(0);
    free = 1e12;
    expect(await ingest.handle(deviceUp("A"), bytes)).toMatchObject({ ok: true, upto: 1 });
  });

  it("takes a frame's first seq as the board's word that everything below it was acked", async () => {
    // (tests/gateway/ack-floor.test.ts: boards moved between gateways)
    const { ingest } = setup();
    expect(await ingest.handle(deviceUp("A"), bytesOf(frameOf("A", [dispense(1, cn20(1))])))).toMatchObject({ upto: 1 });
    expect(await ingest.handle(deviceUp("A"), bytesOf(frameOf("A", [dispense(3, cn20(3))])))).toMatchObject({ upto: 3, fresh: 1 });
    // a stray older copy is kept but never moves the ack back
    expect(await ingest.handle(deviceUp("A"), bytesOf(frameOf("A", [dispense(2, cn20(2))])))).toMatchObject({ upto: 3, fresh: 1 });
  });

  it("fixes untrusted times from a trusted frame of the same boot", async () => {
    const { store, ingest } = setup();
    const early = { seq: 1, time: 5, trusted: false, boot: 4, uptime: 50, event: EV_OPEN, session: 0, openBy: 2, rx: "RX1" } as const;
    const other = { ...early, seq: 2, boot: 3, uptime: 70, session: 0 };
    await ingest.handle(deviceUp("A"), bytesOf(frameOf("A", [early, other], { boot: 4, uptime: 1000, time: T0, trusted: true })));
    expect(store.records.get("A", 1)).toMatchObject({ fixedTime: T0 - 950, timeTrusted: true, time: 5 });
    expect(store.records.get("A", 2)).toMatchObject({ fixedTime: 5, timeTrusted: false });
  });

  it("places a boot that never had the time by its frame's uptime, until a trusted frame knows better", async () => {
    const { store, ingest } = setup();
    const oldBoot = { seq: 1, time: 70, trusted: false, boot: 1, uptime: 70, event: EV_OPEN, session: 0, openBy: 2, rx: "RX1" } as const;
    const offline = { ...oldBoot, seq: 2, time: 40, boot: 2, uptime: 40 };
    // received at T0 + 1000 (the pipeline's clock) from a board 900 s after its power-up
    await ingest.handle(deviceUp("A"), bytesOf(frameOf("A", [oldBoot, offline], { boot: 2, uptime: 900, time: 900, trusted: false })));
    expect(store.records.get("A", 2)).toMatchObject({ fixedTime: T0 + 1000 - 900 + 40, timeTrusted: true, time: 40 });
    // a boot the frame says nothing of stays unplaced
    expect(store.records.get("A", 1)).toMatchObject({ fixedTime: 70, timeTrusted: false });
    // the board's own clock (from a later welcome) wins over the estimate
    await ingest.handle(deviceUp("A"), bytesOf(frameOf("A", [{ ...offline, seq: 3, uptime: 950 }], { boot: 2, uptime: 960, time: T0 + 62, trusted: true })));
    expect(store.records.bootOffset("A", 2)).toBe(T0 + 62 - 960);
  });
});

describe("status frames", () => {
  it("keeps the board's health on its device row and answers with the current ack", async () => {
    const { store, ingest, acks } = setup();
    await ingest.handle(deviceUp("A"), bytesOf(frameOf("A", [dispense(1, cn20(1))])));
    const status = { device: "A", boot: 2, uptime: 10, time: T0 + 5000, trusted: true, firmware: "1.0.0", board: "pico", seqHead: 1, ackedUpto: 0, flashUsed: 4096, flashTotal: 65536, sessionOpen: false };
    const r = await ingest.handle(deviceUp("A"), encodeStatusNode(status, secretOf("A"), nodeHashing));
    expect(r).toMatchObject({ ok: true, upto: 1, fresh: 0 });
    expect(acks).toEqual([["A", 1], ["A", 1]]);
    expect(store.devices.get("A")!.stats).toMatchObject({ firmware: "1.0.0", flashUsed: 4096, seqHead: 1 });
    expect(store.records.bootOffset("A", 2)).toBe(T0 + 4990);
  });
});

describe("one box, one sale", () => {
  it("raises duplicate-sale with both records when a box is sold again at another clinic", async () => {
    const { store, ingest, bus } = setup();
    const warned: string[][] = [];
    bus.on("warn-list-changed", (codes) => warned.push(codes));
    await ingest.handle(deviceUp("A"), bytesOf(frameOf("A", [dispense(1, cn20(7))])));
    await ingest.handle(deviceUp("B"), bytesOf(frameOf("B", [dispense(1, cn20(7))])));
    const [alert] = store.alerts.list();
    expect(alert).toMatchObject({ kind: "duplicate-sale", code: cn20(7), device: "B" });
    expect(alert.evidence).toMatchObject({ records: ["A:1", "B:1"], institutions: ["H-A", "H-B"] });
    expect(store.warnList.all()).toEqual([cn20(7)]);
    expect(warned).toEqual([[cn20(7)]]);
  });

  it("allows split re-scans up to the pack's units, then raises split-overrun", async () => {
    const { store, ingest } = setup();
    const split = (seq: number, units: number) => ({ ...dispense(seq, cn20(9)), event: EV_SPLIT, units, perPack: 10 } as const);
    await ingest.handle(deviceUp("A"), bytesOf(frameOf("A", [split(1, 4), split(2, 6)])));
    expect(store.alerts.list()).toEqual([]);
    await ingest.handle(deviceUp("A"), bytesOf(frameOf("A", [split(3, 1)])));
    expect(store.alerts.list().map((a) => a.kind)).toEqual(["split-overrun"]);
    expect(store.alerts.list()[0].evidence).toMatchObject({ units: 11, perPack: 10 });
  });

  it("a split pack re-scanned at another clinic is a duplicate sale", async () => {
    const { store, ingest } = setup();
    const split = (seq: number) => ({ ...dispense(seq, cn20(9)), event: EV_SPLIT, units: 1, perPack: 10 } as const);
    await ingest.handle(deviceUp("A"), bytesOf(frameOf("A", [split(1)])));
    await ingest.handle(deviceUp("B"), bytesOf(frameOf("B", [split(1)])));
    expect(store.alerts.list().map((a) => a.kind)).toEqual(["duplicate-sale"]);
  });

  it("an undo frees the code for a later sale", async () => {
    const { store, ingest } = setup();
    const undo = { seq: 2, time: T0 + 2, trusted: true, boot: 1, uptime: 102, event: EV_UNDO, session: 0, ref: 1 } as const;
    await ingest.handle(deviceUp("A"), bytesOf(frameOf("A", [dispense(1, cn20(5)), undo])));
    await ingest.handle(deviceUp("B"), bytesOf(frameOf("B", [dispense(1, cn20(5))])));
    expect(store.alerts.list()).toEqual([]);
    expect(store.dispensed.get(cn20(5))).toMatchObject({ keys: ["B:1"] });
  });
});
});
