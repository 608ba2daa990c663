// A board's frame starts at its first unacknowledged record (protocol/README.md,
// "Sequence and acknowledgement rules"), so a frame from seq N also says that a gateway of
// the county acked everything below N. A gateway that never saw those records (a board
// moved from another gateway, a gateway rebuilt on an empty disk, a shared subscription
// that handed earlier frames to another instance) acks from there instead of waiting
// forever for records the board has already erased.
import { GatewayBus } from "../../gateway/src/bus/events";
import { IngestPipeline } from "../../gateway/src/ingest/pipeline";
import { silentLogger } from "../../gateway/src/log/logger";
import { DiskGuard } from "../../gateway/src/store/disk-guard";
import { GatewayStore } from "../../gateway/src/store/store";
import { nodeHashing } from "../../protocol/src/node/hashing";
import { deviceUp } from "../../protocol/src/topics";
import { T0, bytesOf, cn20, dispense, frameOf, secretOf } from "./helpers";

function setup() {
  const store = GatewayStore.open(":memory:");
  store.devices.add({ id: "A", secret: secretOf("A"), institution: "H-A", operator: "op A" }, T0);
  const acks: number[] = [];
  const ingest = new IngestPipeline({
    store, bus: new GatewayBus(), hashing: nodeHashing, log: silentLogger(), batchWindowMs: 2, batchMaxFrames: 64,
    disk: new DiskGuard("/", 1000, 0, () => 1e12),
    sendAck: (_d, upto) => acks.push(upto),
    nowSec: () => T0 + 1000,
  });
  const send = (from: number, to: number) => {
    const records = [];
    for (let s = from; s <= to; s++) records.push(dispense(s, cn20(s)));
    return ingest.handle(deviceUp("A"), bytesOf(frameOf("A", records)));
  };
  return { store, ingest, acks, send };
}

describe("ack position of a board first seen mid-stream", () => {
  it("acks a board whose earlier records another gateway acked", async () => {
    const { store, send } = setup();
    expect(await send(501, 510)).toMatchObject({ ok: true, upto: 510, fresh: 10 });
    expect(store.records.ackedUpto("A")).toBe(510);
    // what it holds goes to the platform; what it never held is not its to relay
    expect(store.outbox.all()).toEqual([expect.objectContaining({ device: "A", from: 501, to: 510 })]);
    expect(await send(511, 520)).toMatchObject({ upto: 520, fresh: 10 });
  });

  it("acks past a stretch it never held, and relays only what it holds", async () => {
    const { store, send } = setup();
    expect(await send(1, 5)).toMatchObject({ upto: 5 }); // this gateway had the board once
    // 6-11 went to another gateway, which acked them; the board goes on from 12
    expect(await send(12, 14)).toMatchObject({ upto: 14, fresh: 3 });
    expect(store.outbox.all().map((r) => [r.from, r.to])).toEqual([[1, 5], [12, 14]]);
    expect(await send(12, 14)).toMatchObject({ upto: 14, fresh: 0, duplicates: 3 }); // a retransmission
  });

  it("never moves the ack back for an old retransmission, and never past what the frame holds", async () => {
    const { store, send, acks } = setup();
    await send(301, 310);
    expect(await send(1, 3)).toMatchObject({ upto: 310, fresh: 3 }); // a copy that wandered: kept, ack unchanged
    expect(await send(321, 330)).toMatchObject({ upto: 330 });
    expect(acks).toEqual([310, 310, 330]);
    expect(store.records.ackedUpto("A")).toBe(330);
  });
});
