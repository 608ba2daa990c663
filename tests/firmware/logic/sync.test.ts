import { Journal } from "../../../firmware/src/journal/journal";
import { SyncEngine } from "../../../firmware/src/sync/sync-engine";
import { Backoff } from "../../../firmware/src/sync/backoff";
import { DeviceStateFile } from "../../../firmware/src/sync/device-state";
import { WarnList } from "../../../firmware/src/store/warn-list";
import type { Link, LinkHandlers } from "../../../firmware/src/link/link";
import type { DeviceConfig } from "../../../protocol/src/frame/types";
import { decodeBatch, encodeAck, encodeCommand, nodeHashing } from "../../../protocol/src/node/index";
import { EV_OPEN, EV_DISPENSE, EV_CLOSE, OPEN_BY_RX, type ScanRecord } from "../../../protocol/src/record";
import { FakeFlash, crc32Str, seeded } from "./fake-flash";

const DEVICE = "vc-0001";
const KEY = new Uint8Array(32).fill(7);

class FakeLink implements Link {
  h!: LinkHandlers;
  sent: Uint8Array[] = [];
  connects = 0;
  up = false;
  setHandlers(h: LinkHandlers) { this.h = h; }
  connect() { this.connects++; }
  close() { this.up = false; }
  send(f: Uint8Array) { if (!this.up) return false; this.sent.push(f); return true; }
  tick() { return this.up; }
  bringUp() { this.up = true; this.h.onUp(); }
  /** Up, then the gateway's welcome command with its time, as a real gateway sends on connect. */
  welcome(id = 1, time = 1_760_000_000) {
    this.bringUp();
    this.h.onFrame(encodeCommand({ device: DEVICE, id, time }, KEY, nodeHashing));
  }
  drop(why = "lost") { this.up = false; this.h.onDown(why); }
}

class FakeTimers {
  now = 0;
  q: { at: number; id: number; fn: () => void }[] = [];
  next = 1;
  after(ms: number, fn: () => void) { const id = this.next++; this.q.push({ at: this.now + ms, id, fn }); return id; }
  cancel(id: number) { this.q = this.q.filter((t) => t.id !== id); }
  run(ms: number) {
    const end = this.now + ms;
    for (;;) {
      this.q.sort((a, b) => a.at - b.at);
      const t = this.q[0];
      if (!t || t.at > end) break;
      this.q.shift();
      this.now = t.at;
      t.fn();
    }
    this.now = end;
  }
}

function rig(flash: FakeFlash, link = new FakeLink()) {
  const timers = new FakeTimers();
  let clockShift = 0;
  const clock = {
    uptime: () => timers.now / 1000,
    now: () => timers.now / 1000 + clockShift,
    setTime: (t: number) => { clockShift = t - timers.now / 1000; },
  };
  const journal = new Journal(flash, { prefix: "vtj", pages: 4, pageSize: 1024, crc32: crc32Str, ackPersistEvery: 8 });
  journal.open();
  journal.markBoot(clock.now(), clock.uptime());
  const warn = new WarnList(flash, crc32Str);
  warn.load();
  const configs: DeviceConfig[] = [];
  const rnd = seeded(9);
  const backoff = new Backoff(1000, 60000, rnd);
  const sync = new SyncEngine(
    { device: DEVICE, key: KEY, hashing: nodeHashing, batchMax: 10, ackTimeout: 15, maxDrift: 5 },
    {
      journal, link, clock, timers, backoff, state: new DeviceStateFile(flash, crc32Str),
      applyConfig: (c) => configs.push(c), applyWarnList: (k, r) => warn.apply(k, r), log: () => {},
    },
  );
  return { journal, link, timers, sync, warn, configs, clock, backoff, flash };
}

/** The gateway's view: verified frames, stored records by seq (duplicates counted). */
class Gateway {
  stored = new Map<number, ScanRecord>();
  frames = 0;
  dups = 0;
  take(bytes: Uint8Array): number {
    const r = decodeBatch(bytes, (d) => (d === DEVICE ? KEY : null), nodeHashing);
    if (!r.ok) throw new Error("gateway refused a frame: " + r.reason + " " + r.message);
    this.frames++;
    for (const rec of r.value.records) {
      if (this.stored.has(rec.seq)) this.dups++;
      else this.stored.set(rec.seq, rec);
    }
    let upto = 0;
    while (this.stored.has(upto + 1)) upto++;
    return upto;
  }
  ack(upto: number, time = 1_760_000_000) { return encodeAck({ device: DEVICE, upto, time }, KEY, nodeHashing); }
}

function fill(j: Journal, sessions: number, t = 0) {
  let n = 0;
  for (let s = 0; s < sessions; s++) {
    j.append({ event: EV_OPEN, openBy: OPEN_BY_RX, rx: "RX" + String(100000 + s) }, t);
    for (let b = 0; b < 4; b++) j.append({ event: EV_DISPENSE, code: "8" + String(s * 10 + b).padStart(19, "0") }, t);
    j.append({ event: EV_CLOSE }, t);
    n += 6;
  }
  return n;
}

describe("sync engine", () => {
  test("sends contiguous frames, advances only on the ack, reclaims and delivers everything", () => {
    const flash = new FakeFlash(64 * 1024);
    const r = rig(flash);
    const total = fill(r.journal, 10);
    const gw = new Gateway();
    r.sync.start();
    expect(r.link.connects).toBe(1);
    r.link.bringUp();
    // No time from the gateway yet: the records wait for it a few seconds, then go anyway.
    r.timers.run(4000);
    r.sync.tick();
    expect(r.link.sent.length).toBe(0);
    r.timers.run(1000);
    r.sync.tick();
    expect(r.link.sent.length).toBe(1);
    while (r.link.sent.length > 0) {
      const f = r.link.sent.shift()!;
      expect(r.journal.acked).toBeLessThan(total);
      r.link.h.onFrame(gw.ack(gw.take(f)));
    }
    expect(r.journal.acked).toBe(total);
    expect(gw.stored.size).toBe(total);
    expect(gw.dups).toBe(0);
    expect(gw.frames).toBe(6);
    expect([...gw.stored.values()][1]).toMatchObject({ event: EV_DISPENSE, code: "8" + "0".repeat(19), session: 1 });
    // The ack also set the clock: later records are trusted.
    expect(r.sync.clockSet).toBe(true);
    expect(r.journal.state.trusted).toBe(true);
  });

  test("a lost ack makes the frame go again after the timeout; duplicate and stale acks change nothing", () => {
    const r = rig(new FakeFlash(64 * 1024));
    fill(r.journal, 1);
    const gw = new Gateway();
    r.sync.start();
    r.link.welcome();
    const f1 = r.link.sent.shift()!;
    gw.take(f1); // stored, but the ack is lost
    r.timers.run(14000);
    r.sync.tick();
    expect(r.link.sent.length).toBe(0);
    r.timers.run(1000);
    r.sync.tick();
    expect(r.link.sent.length).toBe(1);
    expect(r.sync.counts.resends).toBe(1);
    const upto = gw.take(r.link.sent.shift()!);
    expect(gw.dups).toBe(6);
    r.link.h.onFrame(gw.ack(upto));
    r.link.h.onFrame(gw.ack(upto));
    r.link.h.onFrame(gw.ack(2));
    expect(r.journal.acked).toBe(6);
    expect(r.sync.counts.staleAcks).toBe(2);
    expect(r.link.sent.length).toBe(0);
    // An ack beyond what exists says this board's seq is behind what the gateway holds (its
    // pages were lost): its next record follows the ack, and the renumbering is stored.
    r.link.h.onFrame(gw.ack(999));
    expect(r.journal.acked).toBe(999);
    expect(r.journal.append({ event: EV_OPEN, openBy: OPEN_BY_RX, rx: "RX1" }, 100)).toBe(1000);
    expect(new DeviceStateFile(r.flash, crc32Str).load().move).toEqual([1, 993]);
  });

  test("a journal whose seq was lost asks with an empty frame and records again only once the ack placed it", () => {
    const flash = new FakeFlash(64 * 1024);
    // what a journal leaves when a cut during its compaction lost every page: only its mark
    flash.write(("vtjs" + "~".repeat(28)).substr(0, 28), "1");
    const r = rig(flash);
    expect(r.journal.append({ event: EV_OPEN, openBy: OPEN_BY_RX, rx: "RX1" }, 1)).toBe(0);
    r.sync.start();
    r.link.bringUp();
    r.timers.run(5000);
    r.sync.tick();
    expect(r.link.sent.length).toBe(1);
    const got = decodeBatch(r.link.sent.shift()!, (d) => (d === DEVICE ? KEY : null), nodeHashing);
    if (!got.ok) throw new Error(got.message);
    expect(got.value.records).toEqual([]);
    // unanswered, it asks again after the ack timeout
    r.timers.run(15000);
    r.sync.tick();
    expect(r.link.sent.length).toBe(1);
    r.link.sent.length = 0;
    r.link.h.onFrame(encodeAck({ device: DEVICE, upto: 40, time: 1_760_000_000 }, KEY, nodeHashing));
    expect(r.journal.acked).toBe(40);
    expect(r.journal.append({ event: EV_OPEN, openBy: OPEN_BY_RX, rx: "RX1" }, 30)).toBe(41);
    expect(new DeviceStateFile(flash, crc32Str).load().move).toEqual([0, 40]);
  });

  test("a fresh link waits for the gateway's time: the first frame is stamped and teaches the boot's offset", () => {
    const r = rig(new FakeFlash(64 * 1024));
    fill(r.journal, 1); // scanned offline, before any clock
    r.sync.start();
    r.link.bringUp();
    expect(r.link.sent.length).toBe(0);
    r.link.h.onFrame(encodeCommand({ device: DEVICE, id: 1, time: 1_760_000_000 }, KEY, nodeHashing));
    expect(r.link.sent.length).toBe(1);
    const got = decodeBatch(r.link.sent[0], (d) => (d === DEVICE ? KEY : null), nodeHashing);
    if (!got.ok) throw new Error(got.message);
    expect(got.value.trusted).toBe(true);
    expect(got.value.records.slice(0, 6).every((x) => !x.trusted)).toBe(true);
  });

  test("frames with a wrong key or for another device are refused and counted", () => {
    const r = rig(new FakeFlash(64 * 1024));
    fill(r.journal, 1);
    r.sync.start();
    r.link.bringUp();
    r.link.h.onFrame(encodeAck({ device: DEVICE, upto: 6, time: 1 }, new Uint8Array(32).fill(1), nodeHashing));
    r.link.h.onFrame(encodeAck({ device: "other", upto: 6, time: 1 }, KEY, nodeHashing));
    r.link.h.onFrame(new Uint8Array([1, 2, 3]));
    expect(r.journal.acked).toBe(0);
    expect(r.sync.counts.badFrames).toBe(3);
  });

  test("reboot mid-sync resumes from the persisted ack and the gateway ends up with every record once", () => {
    const flash = new FakeFlash(64 * 1024);
    const gw = new Gateway();
    let r = rig(flash);
    const total = fill(r.journal, 20);
    r.sync.start();
    r.link.welcome();
    for (let k = 0; k < 5; k++) r.link.h.onFrame(gw.ack(gw.take(r.link.sent.shift()!)));
    r.link.h.onFrame(gw.ack(gw.take(r.link.sent.shift()!)) ); // acked in RAM...
    const ackedBefore = r.journal.acked;
    gw.take(r.link.sent.shift()!); // ...then one stored at the gateway whose ack never arrives: power cut
    r = rig(flash);
    expect(r.journal.acked).toBeLessThanOrEqual(ackedBefore);
    expect(ackedBefore - r.journal.acked).toBeLessThan(8);
    r.sync.start();
    r.link.welcome(2);
    while (r.link.sent.length > 0) r.link.h.onFrame(gw.ack(gw.take(r.link.sent.shift()!)));
    expect(r.journal.acked).toBe(total);
    expect([...gw.stored.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });

  test("reconnects with exponential backoff and jitter", () => {
    const r = rig(new FakeFlash(64 * 1024));
    r.sync.start();
    const times: number[] = [];
    let last = r.timers.now;
    for (let k = 0; k < 8; k++) {
      r.link.drop();
      const before = r.link.connects;
      while (r.link.connects === before) r.timers.run(10);
      times.push(r.timers.now - last);
      last = r.timers.now;
    }
    for (let k = 0; k < times.length; k++) {
      const cap = Math.min(60000, 1000 * 2 ** k);
      expect(times[k]).toBeGreaterThanOrEqual(cap / 2);
      expect(times[k]).toBeLessThanOrEqual(cap + 10);
    }
    r.link.bringUp();
    r.link.drop();
    const before = r.link.connects;
    r.timers.run(1000);
    expect(r.link.connects).toBe(before + 1); // reset after a good connection
  });

  test("commands: time, config and warn list applied once and persisted; replays ignored", () => {
    const flash = new FakeFlash(64 * 1024);
    const r = rig(flash);
    r.sync.start();
    r.link.bringUp();
    const cmd = encodeCommand({ device: DEVICE, id: 5, time: 1_760_000_123, config: { sessionTimeout: 300, batchMax: 3 }, warn: ["81234560000000000003"], warnReplace: true }, KEY, nodeHashing);
    r.link.h.onFrame(cmd);
    expect(r.configs).toEqual([{ sessionTimeout: 300, batchMax: 3 }]);
    expect(r.warn.has("81234560000000000003")).toBe(true);
    expect(Math.round(r.clock.now())).toBe(1_760_000_123);
    expect(r.journal.state.trusted).toBe(true);
    r.link.h.onFrame(cmd);
    expect(r.sync.counts.replayedCommands).toBe(1);
    r.link.h.onFrame(encodeCommand({ device: DEVICE, id: 6, config: { warnFreePct: 30 }, warn: ["80000000000000000009"] }, KEY, nodeHashing));
    expect(r.configs[1]).toEqual({ sessionTimeout: 300, batchMax: 3, warnFreePct: 30 });
    // After a reboot everything is still there, and batches respect the pushed batchMax.
    const r2 = rig(flash);
    expect(new DeviceStateFile(flash, crc32Str).load().config).toEqual({ sessionTimeout: 300, batchMax: 3, warnFreePct: 30 });
    expect(r2.warn.has("81234560000000000003")).toBe(true);
    expect(r2.warn.has("80000000000000000009")).toBe(true);
    expect(r2.warn.size).toBe(2);
    r2.link.h.onFrame(encodeCommand({ device: DEVICE, id: 6, warn: [], warnReplace: true }, KEY, nodeHashing));
    expect(r2.warn.size).toBe(2);
    // the rebooted engine sends at most the persisted batchMax (3) records per frame
    fill(r2.journal, 1);
    r2.link.welcome(7);
    const first = decodeBatch(r2.link.sent[0], (d) => (d === DEVICE ? KEY : null), nodeHashing);
    if (!first.ok) throw new Error(first.message);
    expect(first.value.records.length).toBe(3);
  });
});
