import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { GatewayStore } from "../../gateway/src/store/store";
import { openDatabase } from "../../gateway/src/store/open";
import { MIGRATIONS } from "../../gateway/src/store/schema";
import { DiskGuard } from "../../gateway/src/store/disk-guard";
import { EV_DISPENSE, type ScanRecord } from "../../protocol/src/record";

function rec(seq: number, extra: Partial<ScanRecord> = {}): ScanRecord {
  return { seq, time: 1_750_000_000 + seq, trusted: true, boot: 1, uptime: seq, event: EV_DISPENSE, session: 0, code: "8" + String(seq).padStart(19, "0"), ...extra };
}
const ctx = { fixedTime: 1_750_000_000, timeTrusted: true, institution: "H1", operator: "Dr Li", receivedAt: 1_750_000_100 };

describe("GatewayStore", () => {
  let dir: string;
  let store: GatewayStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "vt-store-"));
    store = GatewayStore.open(dir);
  });
  afterEach(() => store.close());

  it("runs in WAL mode with the chosen synchronous level and a migrated schema", () => {
    expect(store.db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(store.db.pragma("synchronous", { simple: true })).toBe(2); // FULL
    expect(store.db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
    store.close();
    store = GatewayStore.open(dir, "NORMAL"); // reopening does not re-run migrations
    expect(store.db.pragma("synchronous", { simple: true })).toBe(1);
  });

  it("stores each (device, seq) once and reports retransmissions", () => {
    expect(store.records.insert("d1", rec(1), ctx)).not.toBeNull();
    expect(store.records.insert("d1", rec(1), ctx)).toBeNull();
    expect(store.records.insert("d2", rec(1), ctx)).not.toBeNull();
    expect(store.records.count()).toBe(2);
    const back = store.records.get("d1", 1)!;
    expect(back).toMatchObject({ key: "d1:1", code: rec(1).code, trusted: true, institution: "H1" });
    expect(back.units).toBeUndefined();
  });

  it("acks only the highest contiguous seq and moves over a filled gap", () => {
    for (const s of [1, 2, 3, 5, 6]) store.records.insert("d1", rec(s), ctx);
    expect(store.records.advanceAck("d1")).toBe(3);
    store.records.insert("d1", rec(4), ctx);
    expect(store.records.advanceAck("d1")).toBe(6);
    expect(store.records.ackedUpto("d2")).toBe(0);
  });

  it("takes the just-stored seqs it is told about and still finds stored seqs beyond them", () => {
    for (const s of [1, 2, 3, 6]) store.records.insert("d1", rec(s), ctx);
    expect(store.records.advanceAck("d1", [1, 2, 3])).toBe(3);
    store.records.insert("d1", rec(5), ctx);
    expect(store.records.advanceAck("d1", [5])).toBe(3); // 4 is missing: 5 does not continue the position
    store.records.insert("d1", rec(4), ctx);
    expect(store.records.advanceAck("d1", [4])).toBe(6); // 4 from the hint, 5 and 6 from the store
  });

  it("keeps the outbox as runs of consecutive seqs per device and counts the records they owe", () => {
    for (const s of [1, 2, 4]) {
      store.records.insert("d1", rec(s), ctx);
      store.outbox.enqueue("d1", s);
    }
    store.records.insert("d2", rec(1), ctx);
    store.outbox.enqueue("d2", 1);
    const runs = () => store.outbox.all().map((r) => `${r.device}:${r.from}-${r.to}`);
    expect(runs()).toEqual(["d1:1-2", "d1:4-4", "d2:1-1"]);
    expect(store.outbox.size()).toBe(4);
    store.records.insert("d1", rec(3), ctx);
    store.outbox.enqueue("d1", 3); // continues the run 1-2
    expect(runs()).toEqual(["d1:1-3", "d1:4-4", "d2:1-1"]);
    store.outbox.removeSpan("d1", 1, 2); // a sent prefix leaves, the rest of its run stays
    expect(runs()).toEqual(["d1:3-3", "d1:4-4", "d2:1-1"]);
    store.outbox.removeSpan("d1", 3, 4);
    expect(runs()).toEqual(["d2:1-1"]);
    expect(store.outbox.size()).toBe(1);
    expect(store.records.byRange("d1", 2, 3).map((r) => r.key)).toEqual(["d1:2", "d1:3"]);
  });

  it("reads a range back exactly as a single read does, every optional field included", () => {
    const full = rec(9, { batch: "B7", expiry: "271231", units: 2, perPack: 10, ref: 3, openBy: 1, patient: "p-hash", rx: "RX1", trusted: false });
    store.records.insert("d9", full, { ...ctx, timeTrusted: false });
    store.records.insert("d9", rec(10), ctx);
    store.records.markRelayErrorSeq("d9", 10, 1234, "refused");
    const [a, b] = store.records.byRange("d9", 9, 10);
    expect(a).toEqual(store.records.get("d9", 9));
    expect(b).toEqual(store.records.get("d9", 10));
    expect(b).toMatchObject({ relayedAt: 1234, relayError: "refused" });
    expect(a.units).toBe(2);
  });

  it("folds a v1 outbox (one row per record) into runs when migrating", () => {
    const file = join(dir, "v1.sqlite");
    const v1 = new Database(file);
    v1.exec(MIGRATIONS[0]);
    v1.pragma("user_version = 1");
    const add = v1.prepare("INSERT INTO outbox (record_id, device, seq) VALUES (?, ?, ?)");
    [["a", 1], ["a", 2], ["a", 3], ["a", 7], ["b", 5], ["a", 8]].forEach(([d, s], i) => add.run(i + 1, d, s));
    v1.close();
    const db = openDatabase(file, "FULL");
    try {
      expect(db.prepare("SELECT device, from_seq AS f, to_seq AS t FROM outbox ORDER BY device, from_seq").all()).toEqual([
        { device: "a", f: 1, t: 3 }, { device: "a", f: 7, t: 8 }, { device: "b", f: 5, t: 5 },
      ]);
      expect(new GatewayStore(db).outbox.size()).toBe(6);
    } finally {
      db.close();
    }
  });

  it("keeps the one-box-one-sale index when it becomes a WITHOUT ROWID table, and drops the unread code index of records (v2 -> v3)", () => {
    const file = join(dir, "v2.sqlite");
    const v2 = new Database(file);
    v2.exec(MIGRATIONS[0]);
    v2.exec(MIGRATIONS[1]);
    v2.pragma("user_version = 2");
    v2.prepare("INSERT INTO dispensed (code, mode, keys, institution, per_pack, units) VALUES (?, ?, ?, ?, ?, ?)").run("C1", "split", JSON.stringify(["a:1", "a:2"]), "H1", 10, 3);
    v2.close();
    const db = openDatabase(file, "FULL");
    try {
      expect(new GatewayStore(db).dispensed.get("C1")).toEqual({ code: "C1", mode: "split", keys: ["a:1", "a:2"], institution: "H1", perPack: 10, units: 3 });
      const sql = (name: string) => (db.prepare("SELECT sql FROM sqlite_master WHERE name = ?").get(name) as { sql: string } | undefined)?.sql;
      expect(sql("dispensed")).toMatch(/WITHOUT ROWID/);
      expect(sql("records_by_code")).toBeUndefined();
    } finally {
      db.close();
    }
  });

  it("folds relayed records into relayed runs of equal time, keeping each record's relay time and refusal (v3 -> v4)", () => {
    const file = join(dir, "v3.sqlite");
    const v3 = new Database(file);
    for (let v = 0; v < 3; v++) v3.exec(MIGRATIONS[v]);
    v3.pragma("user_version = 3");
    const add = v3.prepare(
      "INSERT INTO records (device, seq, time, trusted, boot, uptime, event, session, fixed_time, time_trusted, institution, operator, received_at, relayed_at, relay_error) VALUES (?, ?, 0, 1, 1, 0, 2, 0, 0, 1, 'H', 'op', 0, ?, ?)",
    );
    const rows: [string, number, number | null, string | null][] = [
      ["a", 1, 100, null], ["a", 2, 100, null], ["a", 3, 200, null], ["a", 4, 100, null], ["a", 5, 300, "refused"], ["a", 6, null, null], ["b", 1, 100, null],
    ];
    for (const r of rows) add.run(...r);
    v3.close();
    const db = openDatabase(file, "FULL");
    try {
      expect(db.prepare("SELECT device, from_seq AS f, to_seq AS t, at FROM relayed ORDER BY device, from_seq").all()).toEqual([
        { device: "a", f: 1, t: 2, at: 100 }, { device: "a", f: 3, t: 3, at: 200 }, { device: "a", f: 4, t: 4, at: 100 }, { device: "b", f: 1, t: 1, at: 100 },
      ]);
      const s = new GatewayStore(db);
      for (const [d, seq, at, err] of rows) expect(s.records.get(d, seq)).toMatchObject({ relayedAt: at, relayError: err });
    } finally {
      db.close();
    }
  });

  it("finds unpublished alerts through an index of them only, also in a store migrated from v4", () => {
    const file = join(dir, "v4.sqlite");
    const v4 = new Database(file);
    for (let v = 0; v < 4; v++) v4.exec(MIGRATIONS[v]);
    v4.pragma("user_version = 4");
    const add = v4.prepare("INSERT INTO alerts (id, kind, severity, at, device, code, reason, evidence, published) VALUES (?, 'duplicate-sale', 'critical', ?, 'd1', 'C', 'r', '{}', ?)");
    for (let i = 1; i <= 300; i++) add.run("a" + i, i, i % 100 === 0 ? 0 : 1);
    v4.close();
    const db = openDatabase(file, "FULL");
    try {
      expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
      const plan = db.prepare("EXPLAIN QUERY PLAN SELECT * FROM alerts WHERE published = 0 ORDER BY seq LIMIT ?").all(50) as { detail: string }[];
      expect(plan.map((p) => p.detail).join(" ")).toContain("alerts_unpublished");
      const s = new GatewayStore(db);
      expect(s.alerts.unpublished(50).map((a) => a.id)).toEqual(["a100", "a200", "a300"]);
      s.alerts.markPublished("a200");
      expect(s.alerts.unpublished(50).map((a) => a.id)).toEqual(["a100", "a300"]);
    } finally {
      db.close();
    }
  });

  it("keeps a replayed record until its latest relay is past retention, and drops refused records by their own time", () => {
    for (let s = 1; s <= 4; s++) store.records.insert("d1", rec(s), ctx);
    store.records.markRelayedSpan("d1", 1, 4, 1000);
    store.records.markRelayErrorSeq("d1", 4, 1000, "refused");
    store.records.markRelayedSpan("d1", 2, 2, 500_000); // sent again by a replay, much later
    expect(store.records.get("d1", 2)!.relayedAt).toBe(500_000);
    expect(store.records.get("d1", 3)!.relayedAt).toBe(1000);
    expect(store.applyRetention(1, 1000 + 86_400 + 1)).toBe(3); // 1, 3 and the refused 4
    expect(store.records.query({ device: "d1" }).map((r) => r.seq)).toEqual([2]);
    expect(store.applyRetention(1, 500_000 + 86_400 + 1)).toBe(1);
    expect(store.records.count()).toBe(0);
  });

  it("keeps devices, revocation and command ids", () => {
    store.devices.add({ id: "d1", secret: new Uint8Array(32).fill(7), institution: "H1", operator: "Dr Li" }, 100);
    expect(store.devices.get("d1")!.status).toBe("active");
    expect(store.devices.revoke("d1", 200)).toBe(true);
    expect(store.devices.get("d1")).toMatchObject({ status: "revoked", revokedAt: 200 });
    expect(store.devices.revoke("d1", 300)).toBe(false);
    expect(store.warnList.nextCommandId("d1")).toBe(1);
    expect(store.warnList.nextCommandId("d1")).toBe(2);
  });

  it("deletes only relayed records past retention", () => {
    const a = store.records.insert("d1", rec(1), ctx)!;
    store.records.insert("d1", rec(2), ctx);
    expect(store.records.get("d1", 1)!.id).toBe(a);
    store.records.markRelayedSpan("d1", 1, 1, 1000);
    expect(store.applyRetention(1, 1000 + 86_400 + 1)).toBe(1);
    expect(store.records.count()).toBe(1);
  });
});

describe("DiskGuard", () => {
  it("raises the alarm below the threshold and clears it when space returns", () => {
    let free = 10_000;
    const changes: boolean[] = [];
    const g = new DiskGuard("/", 5_000, 0, () => free, (a) => changes.push(a));
    expect(g.hasRoom(1)).toBe(true);
    free = 100;
    expect(g.hasRoom(2)).toBe(false);
    free = 50_000;
    expect(g.hasRoom(3)).toBe(true);
    expect(changes).toEqual([true, false]);
  });
  it("treats an unreadable volume as full", () => {
    const g = new DiskGuard("/", 1, 0, () => { throw new Error("EIO"); });
    expect(g.hasRoom()).toBe(false);
  });
});
