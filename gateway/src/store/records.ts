// Scan records, unique per (device, seq), plus the per-device ack position and the
// per-boot clock offsets used to fix untrusted times.
import type { ScanRecord } from "../../../protocol/src/record";
import { recordKey } from "../../../protocol/src/record";
import type Database from "better-sqlite3";
import type { Db } from "./open";
import { MultiRowStatements, placeholders } from "./multi-row";
import { rowCountStatement } from "./row-counts";
import type { StoredRecord } from "./types";

interface RecordSqlRow {
  id: number; device: string; seq: number; time: number; trusted: number; boot: number; uptime: number;
  event: number; session: number; code: string | null; batch: string | null; expiry: string | null;
  units: number | null; per_pack: number | null; ref: number | null; open_by: number | null;
  patient: string | null; rx: string | null; fixed_time: number; time_trusted: number;
  institution: string; operator: string; received_at: number; relayed_at: number | null; relay_error: string | null;
}

function fromSql(r: RecordSqlRow): StoredRecord {
  const out: StoredRecord = {
    id: r.id, device: r.device, key: recordKey(r.device, r.seq), seq: r.seq, time: r.time,
    trusted: r.trusted === 1, boot: r.boot, uptime: r.uptime, event: r.event as ScanRecord["event"],
    session: r.session, fixedTime: r.fixed_time, timeTrusted: r.time_trusted === 1,
    institution: r.institution, operator: r.operator, receivedAt: r.received_at,
    relayedAt: r.relayed_at, relayError: r.relay_error,
  };
  if (r.code !== null) out.code = r.code;
  if (r.batch !== null) out.batch = r.batch;
  if (r.expiry !== null) out.expiry = r.expiry;
  if (r.units !== null) out.units = r.units;
  if (r.per_pack !== null) out.perPack = r.per_pack;
  if (r.ref !== null) out.ref = r.ref;
  if (r.open_by !== null) out.openBy = r.open_by;
  if (r.patient !== null) out.patient = r.patient;
  if (r.rx !== null) out.rx = r.rx;
  return out;
}

/**
 * When the platform took a record: its own relayed_at for a refused one, else the latest
 * relayed run (schema v4) holding its seq. The (device, to_seq) index reaches the runs that
 * end at or after the seq, so a record not relayed yet costs one index probe.
 */
const RELAYED_AT = "COALESCE(relayed_at, (SELECT MAX(x.at) FROM relayed x WHERE x.device = records.device AND x.to_seq >= records.seq AND x.from_seq <= records.seq)) AS relayed_at";

/** Every column of a RecordSqlRow, in a fixed order (reads that take rows as arrays rely on it). */
const RAW_COLUMNS = `id, device, seq, time, trusted, boot, uptime, event, session, code, batch, expiry, units, per_pack, ref, open_by, patient, rx, fixed_time, time_trusted, institution, operator, received_at, ${RELAYED_AT}, relay_error`;
type RawRow = [
  number, string, number, number, number, number, number, number, number, string | null, string | null, string | null,
  number | null, number | null, number | null, number | null, string | null, string | null, number, number,
  string, string, number, number | null, string | null,
];

/**
 * fromSql for a row read as an array (RAW_COLUMNS order): better-sqlite3 builds a named
 * object of 25 keys per row otherwise, which was most of the cost of reading a backlog back.
 */
function fromRaw(r: RawRow): StoredRecord {
  const device = r[1];
  const seq = r[2];
  const out: StoredRecord = {
    id: r[0], device, key: recordKey(device, seq), seq, time: r[3],
    trusted: r[4] === 1, boot: r[5], uptime: r[6], event: r[7] as ScanRecord["event"],
    session: r[8], fixedTime: r[18], timeTrusted: r[19] === 1,
    institution: r[20], operator: r[21], receivedAt: r[22],
    relayedAt: r[23], relayError: r[24],
  };
  if (r[9] !== null) out.code = r[9];
  if (r[10] !== null) out.batch = r[10];
  if (r[11] !== null) out.expiry = r[11];
  if (r[12] !== null) out.units = r[12];
  if (r[13] !== null) out.perPack = r[13];
  if (r[14] !== null) out.ref = r[14];
  if (r[15] !== null) out.openBy = r[15];
  if (r[16] !== null) out.patient = r[16];
  if (r[17] !== null) out.rx = r[17];
  return out;
}

/** Ids per SELECT ... IN (...): well under SQLite's variable limit. */
const BY_IDS_CHUNK = 500;
/** Rows per multi-row INSERT (18 values each, plus 4 named ones all rows share). */
const INSERT_CHUNK = 100;
const ROW_VALUES = 18;
/** One row of RECORD_COLUMNS: the device, institution, operator and received time are named parameters, bound once per statement. */
const SHARED_ROW = "(@device, " + new Array(ROW_VALUES).fill("?").join(", ") + ", @institution, @operator, @received)";
const RECORD_COLUMNS = `device, seq, time, trusted, boot, uptime, event, session, code, batch, expiry,
  units, per_pack, ref, open_by, patient, rx, fixed_time, time_trusted, institution, operator, received_at`;

/** What every record of one insertMany shares. */
export type SharedContext = Pick<RecordContext, "institution" | "operator" | "receivedAt">;

export interface RecordContext {
  fixedTime: number;
  timeTrusted: boolean;
  institution: string;
  operator: string;
  receivedAt: number;
}

export interface RecordQuery {
  device?: string;
  fromSeq?: number;
  toSeq?: number;
  /** Unix seconds on the fixed time, inclusive. */
  fromTime?: number;
  toTime?: number;
  limit?: number;
}

export class RecordRepo {
  private readonly insertStmt;
  private readonly byKeyStmt;
  private readonly ackGet;
  private readonly ackSet;
  private readonly seqsAbove;
  private readonly bootGet;
  private readonly bootSet;
  private byIdsChunk: Database.Statement<number[], RecordSqlRow> | undefined;
  private countStmt: Database.Statement<[], { n: number }> | undefined;
  private readonly rangeStmt;
  private readonly markSpanStmt;
  private readonly expiredRuns;
  private readonly deleteRunRecords;
  private readonly deleteRun;
  private readonly deleteRefused;
  private readonly markErrorStmt;
  private readonly allAcksStmt;
  private readonly insertShared: MultiRowStatements;
  private readonly idsOfSeqs: MultiRowStatements<{ id: number; seq: number }>;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      `INSERT OR IGNORE INTO records (device, seq, time, trusted, boot, uptime, event, session, code, batch, expiry,
         units, per_pack, ref, open_by, patient, rx, fixed_time, time_trusted, institution, operator, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.byKeyStmt = db.prepare<[string, number], RecordSqlRow>(`SELECT ${RAW_COLUMNS} FROM records WHERE device = ? AND seq = ?`);
    this.ackGet = db.prepare<[string], { upto: number }>("SELECT upto FROM device_acks WHERE device = ?");
    this.ackSet = db.prepare("INSERT INTO device_acks (device, upto) VALUES (?, ?) ON CONFLICT (device) DO UPDATE SET upto = excluded.upto");
    this.seqsAbove = db.prepare<[string, number, number], { seq: number }>(
      "SELECT seq FROM records WHERE device = ? AND seq > ? ORDER BY seq LIMIT ?",
    );
    this.bootGet = db.prepare<[string, number], { offset: number }>("SELECT offset FROM device_boots WHERE device = ? AND boot = ?");
    this.bootSet = db.prepare("INSERT OR REPLACE INTO device_boots (device, boot, offset) VALUES (?, ?, ?)");
    this.rangeStmt = db.prepare<[string, number, number], RawRow>(`SELECT ${RAW_COLUMNS} FROM records WHERE device = ? AND seq >= ? AND seq <= ? ORDER BY seq`).raw(true);
    this.markSpanStmt = db.prepare("INSERT INTO relayed (device, from_seq, to_seq, at) VALUES (?, ?, ?, ?)");
    this.expiredRuns = db.prepare<[number], { id: number; device: string; from_seq: number; to_seq: number }>("SELECT id, device, from_seq, to_seq FROM relayed WHERE at < ?");
    // A record the relay sent again later (a replay) is kept until its latest relay is old too.
    this.deleteRunRecords = db.prepare(
      `DELETE FROM records WHERE device = ? AND seq >= ? AND seq <= ? AND relay_error IS NULL
         AND NOT EXISTS (SELECT 1 FROM relayed y WHERE y.device = records.device AND y.to_seq >= records.seq AND y.from_seq <= records.seq AND y.at >= ?)`,
    );
    this.deleteRun = db.prepare("DELETE FROM relayed WHERE id = ?");
    this.deleteRefused = db.prepare("DELETE FROM records WHERE relay_error IS NOT NULL AND relayed_at < ?");
    this.markErrorStmt = db.prepare("UPDATE records SET relayed_at = ?, relay_error = ? WHERE device = ? AND seq = ?");
    this.allAcksStmt = db.prepare<[], { device: string; upto: number }>("SELECT device, upto FROM device_acks");
    // No RETURNING: the rows a statement inserts take consecutive row ids (SQLite gives a new
    // row the largest row id + 1), so when all of them went in their ids follow from the
    // last one; only a part with retransmissions reads its ids back (idsOfSeqs).
    this.insertShared = new MultiRowStatements(db, INSERT_CHUNK, (n) => `INSERT OR IGNORE INTO records (${RECORD_COLUMNS}) VALUES ${new Array(n).fill(SHARED_ROW).join(", ")}`);
    this.idsOfSeqs = new MultiRowStatements<{ id: number; seq: number }>(db, INSERT_CHUNK, (n) => `SELECT id, seq FROM records WHERE device = ? AND seq IN (${placeholders(n)})`);
  }

  /**
   * Inserts one device's records with a few multi-row statements. `fixedTimes` and
   * `timeTrusted` are aligned with `records`; what the rows share (the device, its
   * institution and operator, the received time) is bound once per statement. Returns,
   * aligned with `records`, the new row id of each, or null for a retransmission (or a seq
   * repeated earlier in `records`).
   */
  insertMany(device: string, shared: SharedContext, records: ScanRecord[], fixedTimes: number[], timeTrusted: boolean[]): (number | null)[] {
    const out: (number | null)[] = new Array(records.length).fill(null);
    const named = { device, institution: shared.institution, operator: shared.operator, received: shared.receivedAt };
    for (let start = 0; start < records.length; start += INSERT_CHUNK) {
      const stop = Math.min(records.length, start + INSERT_CHUNK);
      const n = stop - start;
      const args: unknown[] = new Array(n * ROW_VALUES + 1);
      args[0] = named;
      let k = 1;
      for (let i = start; i < stop; i++) {
        const r = records[i];
        args[k++] = r.seq;
        args[k++] = r.time;
        args[k++] = r.trusted ? 1 : 0;
        args[k++] = r.boot;
        args[k++] = r.uptime;
        args[k++] = r.event;
        args[k++] = r.session;
        args[k++] = r.code ?? null;
        args[k++] = r.batch ?? null;
        args[k++] = r.expiry ?? null;
        args[k++] = r.units ?? null;
        args[k++] = r.perPack ?? null;
        args[k++] = r.ref ?? null;
        args[k++] = r.openBy ?? null;
        args[k++] = r.patient ?? null;
        args[k++] = r.rx ?? null;
        args[k++] = fixedTimes[i];
        args[k++] = timeTrusted[i] ? 1 : 0;
      }
      const res = this.insertShared.forRows(n).run(...args);
      const inserted = res.changes;
      if (inserted === 0) continue;
      // The rows this statement inserted have the ids last - inserted + 1 .. last, in order.
      const firstId = Number(res.lastInsertRowid) - inserted + 1;
      if (inserted === n) {
        for (let i = 0; i < n; i++) out[start + i] = firstId + i;
        continue;
      }
      const idBySeq = new Map<number, number>();
      const seqs: number[] = [];
      for (let i = start; i < stop; i++) seqs.push(records[i].seq);
      for (const row of this.idsOfSeqs.forRows(n).all(device, ...seqs)) if (row.id >= firstId) idBySeq.set(row.seq, row.id);
      for (let i = start; i < stop; i++) {
        const id = idBySeq.get(records[i].seq);
        if (id === undefined) continue;
        out[i] = id;
        idBySeq.delete(records[i].seq); // a seq repeated within records is stored once
      }
    }
    return out;
  }

  /** Inserts unless (device, seq) exists. Returns the new row id, or null for a retransmission. */
  insert(device: string, r: ScanRecord, ctx: RecordContext): number | null {
    const res = this.insertStmt.run(
      device, r.seq, r.time, r.trusted ? 1 : 0, r.boot, r.uptime, r.event, r.session,
      r.code ?? null, r.batch ?? null, r.expiry ?? null, r.units ?? null, r.perPack ?? null, r.ref ?? null,
      r.openBy ?? null, r.patient ?? null, r.rx ?? null, ctx.fixedTime, ctx.timeTrusted ? 1 : 0,
      ctx.institution, ctx.operator, ctx.receivedAt,
    );
    return res.changes === 1 ? Number(res.lastInsertRowid) : null;
  }

  get(device: string, seq: number): StoredRecord | null {
    const row = this.byKeyStmt.get(device, seq);
    return row ? fromSql(row) : null;
  }

  /** Rows for the given ids, ascending by id. Any number of ids: read in chunks, since SQLite caps the variables per statement. */
  byIds(ids: number[]): StoredRecord[] {
    if (ids.length === 0) return [];
    const out: StoredRecord[] = [];
    const sorted = ids.length > BY_IDS_CHUNK ? ids.slice().sort((a, b) => a - b) : ids;
    for (let i = 0; i < sorted.length; i += BY_IDS_CHUNK) {
      const part = sorted.slice(i, i + BY_IDS_CHUNK);
      const stmt = part.length === BY_IDS_CHUNK ? (this.byIdsChunk ??= this.byIdsStatement(BY_IDS_CHUNK)) : this.byIdsStatement(part.length);
      for (const row of stmt.all(...part)) out.push(fromSql(row));
    }
    return out;
  }

  private byIdsStatement(n: number) {
    return this.db.prepare<number[], RecordSqlRow>(`SELECT ${RAW_COLUMNS} FROM records WHERE id IN (${new Array(n).fill("?").join(",")}) ORDER BY id`);
  }

  /** One device's records with seqs from..to, ascending (one range of the (device, seq) index). */
  byRange(device: string, from: number, to: number): StoredRecord[] {
    return (this.rangeStmt.all(device, from, to) as unknown as RawRow[]).map(fromRaw);
  }

  /** Read API for the fraud engine, the HTTP API and replay. */
  query(q: RecordQuery): StoredRecord[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.device !== undefined) { where.push("device = ?"); args.push(q.device); }
    if (q.fromSeq !== undefined) { where.push("seq >= ?"); args.push(q.fromSeq); }
    if (q.toSeq !== undefined) { where.push("seq <= ?"); args.push(q.toSeq); }
    if (q.fromTime !== undefined) { where.push("fixed_time >= ?"); args.push(q.fromTime); }
    if (q.toTime !== undefined) { where.push("fixed_time <= ?"); args.push(q.toTime); }
    const sql = `SELECT ${RAW_COLUMNS} FROM records` + (where.length ? " WHERE " + where.join(" AND ") : "") + " ORDER BY id LIMIT ?";
    args.push(q.limit ?? 10_000);
    return this.db.prepare<(string | number)[], RecordSqlRow>(sql).all(...args).map(fromSql);
  }

  /** Highest seq such that every seq from 1 to it is stored (0: none). */
  ackedUpto(device: string): number {
    return this.ackGet.get(device)?.upto ?? 0;
  }

  /**
   * Moves the ack position over any run of stored seqs just above it. `justStored`: seqs
   * the caller has just inserted, ascending; the ones continuing the position are taken
   * without reading them back, and only what lies beyond is looked up. `floor`: a seq the
   * board itself says was acked (its frame starts just above it: protocol/README.md), so
   * the position never waits on records a gateway elsewhere acked and the board erased.
   */
  advanceAck(device: string, justStored?: number[], floor = 0): number {
    const start = this.ackedUpto(device);
    let upto = Math.max(start, floor);
    if (justStored) {
      for (const seq of justStored) {
        if (seq === upto + 1) upto = seq;
        else if (seq > upto + 1) break;
      }
    }
    for (;;) {
      const next = this.seqsAbove.all(device, upto, 512);
      let moved = 0;
      for (const row of next) {
        if (row.seq !== upto + 1) break;
        upto = row.seq;
        moved++;
      }
      if (moved < 512) break;
    }
    if (upto !== start) this.ackSet.run(device, upto);
    return upto;
  }

  bootOffset(device: string, boot: number): number | null {
    return this.bootGet.get(device, boot)?.offset ?? null;
  }

  learnBootOffset(device: string, boot: number, offset: number): void {
    this.bootSet.run(device, boot, offset);
  }

  /** The platform has the records of this span: one relayed run, whatever its length. */
  markRelayedSpan(device: string, from: number, to: number, at: number): void {
    this.markSpanStmt.run(device, from, to, at);
  }

  /** The platform refused this record for good. */
  markRelayErrorSeq(device: string, seq: number, at: number, error: string): void {
    this.markErrorStmt.run(at, error, device, seq);
  }

  /** Every device's ack position. */
  ackPositions(): { device: string; upto: number }[] {
    return this.allAcksStmt.all();
  }

  /**
   * Retention: drops records the platform has had (or refused) for longer than the cutoff,
   * run by run, and the runs with them. Call inside a transaction for one commit.
   */
  deleteRelayedBefore(cutoff: number): number {
    let n = this.deleteRefused.run(cutoff).changes;
    for (const run of this.expiredRuns.all(cutoff)) {
      n += this.deleteRunRecords.run(run.device, run.from_seq, run.to_seq, cutoff).changes;
      this.deleteRun.run(run.id);
    }
    return n;
  }

  /** Exact, and O(1): kept by triggers (store/row-counts.ts), not counted. */
  count(): number {
    return (this.countStmt ??= rowCountStatement(this.db, "records")).get()?.n ?? 0;
  }
}
