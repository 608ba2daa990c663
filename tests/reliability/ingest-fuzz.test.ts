// 100,000 mutated and hostile frames at the gateway's ingest pipeline (in process, no
// broker, for speed): nothing crashes, nothing is stored or acked, every frame is refused
// and counted under a reason, and a genuine frame afterwards is still taken.
import { GatewayBus } from "../../gateway/src/bus/events";
import { IngestPipeline } from "../../gateway/src/ingest/pipeline";
import { silentLogger } from "../../gateway/src/log/logger";
import { DiskGuard } from "../../gateway/src/store/disk-guard";
import { GatewayStore } from "../../gateway/src/store/store";
import { encodeStatusNode } from "../../protocol/src/node/encode";
import { nodeHashing } from "../../protocol/src/node/hashing";
import { EV_CLOSE, EV_NOCODE, EV_OPEN, EV_SPLIT, EV_UNDO, OPEN_BY_RX, type ScanRecord } from "../../protocol/src/record";
import { deviceUp } from "../../protocol/src/topics";
import { mulberry32 } from "../../simulator/src/scenario/prng";
import { T0, bytesOf, cn20, dispense, frameOf, secretOf } from "../gateway/helpers";
import { MUTATIONS, sameBytes } from "./support/mutations";

const FRAMES = 100_000;
const SEED = 7_041_993;

function sampleRecords(first: number): ScanRecord[] {
  return [
    { seq: first, time: T0 + first, trusted: true, boot: 1, uptime: 10, event: EV_OPEN, session: 0, openBy: OPEN_BY_RX, rx: "RX2025" + first },
    dispense(first + 1, cn20(first + 1), { session: first }),
    { ...dispense(first + 2, cn20(first + 2)), event: EV_SPLIT, session: first, units: 2, perPack: 10 },
    { seq: first + 3, time: T0 + first + 3, trusted: false, boot: 2, uptime: 50, event: EV_NOCODE, session: first, code: "XA01BAA", units: 3 },
    { seq: first + 4, time: T0 + first + 4, trusted: true, boot: 1, uptime: 60, event: EV_UNDO, session: first, ref: first + 1 },
    { seq: first + 5, time: T0 + first + 5, trusted: true, boot: 1, uptime: 70, event: EV_CLOSE, session: first },
  ];
}

describe("ingest under 100,000 hostile frames", () => {
  it("refuses and counts every one, stores and acks nothing, and stays usable", async () => {
    const store = GatewayStore.open(":memory:");
    const bus = new GatewayBus();
    for (const id of ["A", "B", "R"]) store.devices.add({ id, secret: secretOf(id), institution: "H-" + id, operator: "op " + id }, T0);
    store.devices.revoke("R", T0);
    const acks: string[] = [];
    const ingest = new IngestPipeline({
      store, bus, hashing: nodeHashing, log: silentLogger(), batchWindowMs: 1, batchMaxFrames: 64,
      disk: new DiskGuard("/", 1000, 0, () => 1e12), sendAck: (d, upto) => acks.push(d + ":" + upto), nowSec: () => T0 + 1000,
    });
    const rng = mulberry32(SEED);

    // Genuine frames to mutate: batches of several shapes and a status frame, for A and B.
    const valid: { device: string; bytes: Uint8Array }[] = [];
    for (const d of ["A", "B"]) {
      for (let k = 0; k < 8; k++) valid.push({ device: d, bytes: bytesOf(frameOf(d, sampleRecords(1 + k * 6).slice(0, 1 + (k % 6)))) });
      valid.push({ device: d, bytes: encodeStatusNode({ device: d, boot: 1, uptime: 5, time: T0, trusted: true, firmware: "1.0.0", board: "pico", seqHead: 0, ackedUpto: 0, flashUsed: 0, flashTotal: 65536, sessionOpen: false }, secretOf(d), nodeHashing) });
    }
    const one = frameOf("A", [dispense(1, cn20(1))]);
    // Hostile frames that are well formed: a forged tag, an unknown device, a revoked one, spoofed topics.
    const hostile: { name: string; topic: string; bytes: Uint8Array }[] = [
      { name: "forged-tag", topic: deviceUp("A"), bytes: bytesOf(one, secretOf("not-A")) },
      { name: "unknown-device", topic: deviceUp("Z"), bytes: bytesOf(frameOf("Z", [dispense(1, cn20(9))])) },
      { name: "revoked-device", topic: deviceUp("R"), bytes: bytesOf(frameOf("R", [dispense(1, cn20(8))])) },
      { name: "topic-spoof", topic: deviceUp("B"), bytes: bytesOf(one) },
      { name: "bad-topic", topic: "vt/v1/dev/A/down", bytes: bytesOf(one) },
      { name: "bad-topic-deep", topic: "vt/v1/dev/A/up/x", bytes: bytesOf(one) },
    ];

    const byReason: Record<string, number> = {};
    const byKind: Record<string, number> = {};
    let accepted = 0;
    for (let i = 0; i < FRAMES; i++) {
      let topic: string;
      let bytes: Uint8Array;
      let kind: string;
      if (rng() < 0.1) {
        const h = hostile[Math.floor(rng() * hostile.length)];
        ({ topic, bytes } = h);
        kind = h.name;
      } else {
        const base = valid[Math.floor(rng() * valid.length)];
        const other = valid[Math.floor(rng() * valid.length)];
        const m = MUTATIONS[Math.floor(rng() * MUTATIONS.length)];
        bytes = m.apply(rng, base.bytes, other.bytes);
        if (valid.some((v) => sameBytes(v.bytes, bytes))) continue; // a no-op mutation is not a hostile frame
        topic = deviceUp(base.device);
        kind = m.name;
      }
      byKind[kind] = (byKind[kind] ?? 0) + 1;
      const r = await ingest.handle(topic, bytes);
      if (r.ok) accepted++;
      else byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
    }
    ingest.drain();
    const sent = Object.values(byKind).reduce((a, b) => a + b, 0);
    console.log(`[reliability] ingest fuzz seed ${SEED}: ${sent} frames by kind ${JSON.stringify(byKind)} -> rejected by reason ${JSON.stringify(byReason)}`);

    expect(sent).toBeGreaterThan(FRAMES * 0.99);
    expect(accepted).toBe(0);
    expect(Object.values(byReason).reduce((a, b) => a + b, 0)).toBe(sent);
    // Each kind of attack lands under its own reason.
    for (const r of ["bad-tag", "unknown-device", "revoked", "device-mismatch", "bad-topic", "too-large", "empty", "not-cbor", "truncated"]) expect(byReason[r]).toBeGreaterThan(0);
    // The durable counters agree with what the pipeline answered.
    const counters = store.counters.all();
    for (const [reason, n] of Object.entries(byReason)) expect(counters["frames.rejected." + reason]).toBe(n);
    expect(store.records.count()).toBe(0);
    expect(acks).toEqual([]);

    // Still healthy: a genuine frame is stored and acked.
    const ok = await ingest.handle(deviceUp("A"), bytesOf(one));
    expect(ok).toMatchObject({ ok: true, upto: 1, fresh: 1 });
    store.close();
  }, 60_000);
});
