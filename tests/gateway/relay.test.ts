// The relay engine on its own: a store with a backlog, a recording platform port and a
// hand-driven clock. Per-device order, the ack position, settling, and platform presence.
import { GatewayBus } from "../../gateway/src/bus/events";
import { defaultSettings } from "../../gateway/src/config/settings";
import { createLogger } from "../../gateway/src/log/logger";
import { RelayEngine } from "../../gateway/src/relay/engine";
import { GatewayStore } from "../../gateway/src/store/store";
import type { PlatformUpload } from "../../protocol/src/platform";
import { T0, cn20, dispense } from "./helpers";

const ctx = { fixedTime: T0, timeTrusted: true, institution: "H", operator: "op", receivedAt: T0 };

function setup(perDevice: Record<string, number[]>) {
  const store = GatewayStore.open(":memory:");
  store.transaction(() => {
    for (const [device, seqs] of Object.entries(perDevice)) {
      for (const s of seqs) {
        store.records.insert(device, dispense(s, cn20(s + device.charCodeAt(0) * 1000)), ctx);
        store.outbox.enqueue(device, s);
      }
      store.records.advanceAck(device);
    }
  });
  const sent: PlatformUpload[] = [];
  let now = 1_000_000;
  const settings = { ...defaultSettings().platform, batchSize: 3, window: 4, ackTimeoutMs: 10_000 };
  const relay = new RelayEngine("gw", settings, store, {
    publishUpload: async (u) => void sent.push(u),
    publishAlert: async () => undefined,
  }, new GatewayBus(), createLogger("silent"), () => now);
  return { store, relay, sent, advance: (ms: number) => (now += ms) };
}

const keysOf = (u: PlatformUpload) => u.sales.map((s) => s.key);

describe("relay engine", () => {
  it("sends each device's records in seq order, one message per device in flight, never past its ack position", async () => {
    const { store, relay, sent } = setup({ a: [1, 2, 3, 4, 5, 7], b: [1, 2] });
    relay.setOnline(true);
    // a: 1-3 (batch of 3), b: 1-2 next; a:7 waits behind the gap at 6.
    expect(sent.map(keysOf)).toEqual([["a:1", "a:2", "a:3"], ["b:1", "b:2"]]);
    relay.onAck({ v: 1, msgId: sent[0].msgId, infcode: 0 });
    relay.onAck({ v: 1, msgId: sent[1].msgId, infcode: 0 });
    await new Promise((r) => setImmediate(r));
    expect(sent.map(keysOf).slice(2)).toEqual([["a:4", "a:5"]]);
    relay.onAck({ v: 1, msgId: sent[2].msgId, infcode: 0 });
    await new Promise((r) => setImmediate(r));
    expect(sent).toHaveLength(3);
    expect(store.outbox.size()).toBe(1); // a:7, above the ack position
    expect(store.records.get("a", 5)!.relayedAt).not.toBeNull();
    expect(store.records.get("a", 7)!.relayedAt).toBeNull();
    relay.stop();
    store.close();
  });

  it("resends what is in flight as soon as the platform announces itself, instead of after the ack timeout", () => {
    const { store, relay, sent, advance } = setup({ a: [1, 2] });
    relay.setOnline(true);
    expect(sent).toHaveLength(1);
    advance(100);
    relay.setPresence("online");
    expect(sent.map((u) => u.msgId)).toEqual([sent[0].msgId, sent[0].msgId]); // same msgId: the platform dedupes
    relay.stop();
    store.close();
  });

  it("sends nothing new while the platform says it is offline, and resumes when it is back", async () => {
    const { store, relay, sent } = setup({ a: [1, 2], b: [1] });
    relay.setPresence("offline");
    relay.setOnline(true);
    expect(sent).toHaveLength(0);
    relay.setPresence("online");
    expect(sent.map(keysOf)).toEqual([["a:1", "a:2", "b:1"]]); // one message may carry several devices
    relay.setPresence("offline");
    relay.onAck({ v: 1, msgId: sent[0].msgId, infcode: 0 }); // an answer proves it is there after all
    expect(relay.platformPresence).toBe("online");
    relay.stop();
    store.close();
  });

  it("picks up runs another process queued (a replay) on its next re-read of the store", async () => {
    const { store, relay, sent, advance } = setup({ a: [1, 2] });
    relay.setOnline(true);
    relay.onAck({ v: 1, msgId: sent[0].msgId, infcode: 0 });
    await new Promise((r) => setImmediate(r));
    expect(store.outbox.size()).toBe(0);
    store.outbox.enqueueSpans([{ device: "a", from: 1, to: 2 }]); // what `gateway replay` writes
    relay.start(5);
    await new Promise((r) => setTimeout(r, 30));
    expect(sent).toHaveLength(1); // not re-read yet
    advance(5_000);
    await new Promise((r) => setTimeout(r, 30));
    expect(sent.map(keysOf)).toEqual([["a:1", "a:2"], ["a:1", "a:2"]]);
    relay.stop();
    store.close();
  });
});
