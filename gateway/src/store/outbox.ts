// Records owed to the platform. A row leaves only when the platform has acked it, so the
// backlog survives restarts and outages of any length the disk holds.
import type { Db } from "./open";
import { MultiRowStatements, placeholders, valueGroups } from "./multi-row";
import { rowCountStatement } from "./row-counts";

const ENQUEUE_CHUNK = 200;
const REMOVE_CHUNK = 500;

export interface OutboxRow {
  recordId: number;
  device: string;
  seq: number;
}

export class OutboxRepo {
  private readonly add;
  private readonly del;
  private readonly ackPositions;
  private readonly forDevice;
  private readonly sizeStmt;
  private readonly addMulti: MultiRowStatements;
  private readonly delMulti: MultiRowStatements;
  /** Round-robin start among devices, so one busy device never starves the others. */
  private cursor = 0;
  constructor(private readonly db: Db) {
    this.add = db.prepare("INSERT OR IGNORE INTO outbox (record_id, device, seq) VALUES (?, ?, ?)");
    this.del = db.prepare("DELETE FROM outbox WHERE record_id = ?");
    this.sizeStmt = rowCountStatement(db, "outbox");
    this.addMulti = new MultiRowStatements(db, ENQUEUE_CHUNK, (n) => `INSERT OR IGNORE INTO outbox (record_id, device, seq) VALUES ${valueGroups(n, 3)}`);
    this.delMulti = new MultiRowStatements(db, REMOVE_CHUNK, (n) => `DELETE FROM outbox WHERE record_id IN (${placeholders(n)})`);
    this.ackPositions = db.prepare<[], { device: string; upto: number }>("SELECT device, upto FROM device_acks ORDER BY device");
    // Only records under the device's ack position go out: a gap still being filled by
    // the board would otherwise let a later record overtake an earlier one. One index
    // range per device: cheap however large the backlog is.
    this.forDevice = db.prepare<[string, number, number], { record_id: number; seq: number }>(
      "SELECT record_id, seq FROM outbox WHERE device = ? AND seq <= ? ORDER BY seq LIMIT ?",
    );
  }

  enqueue(recordId: number, device: string, seq: number): void {
    this.add.run(recordId, device, seq);
  }

  /** Many rows with a few multi-row statements. */
  enqueueMany(rows: OutboxRow[]): void {
    for (let i = 0; i < rows.length; i += ENQUEUE_CHUNK) {
      const part = rows.slice(i, i + ENQUEUE_CHUNK);
      const args: (string | number)[] = [];
      for (const r of part) args.push(r.recordId, r.device, r.seq);
      this.addMulti.forRows(part.length).run(...args);
    }
  }

  /** The next rows to send, lowest seq first per device, skipping devices with a message in flight. */
  nextBatch(busyDevices: string[], limit: number): OutboxRow[] {
    const devices = this.ackPositions.all();
    const busy = new Set(busyDevices);
    const out: OutboxRow[] = [];
    const start = this.cursor;
    for (let k = 0; k < devices.length && out.length < limit; k++) {
      const i = (start + k) % devices.length;
      const d = devices[i];
      if (busy.has(d.device)) continue;
      const rows = this.forDevice.all(d.device, d.upto, limit - out.length);
      for (const r of rows) out.push({ recordId: r.record_id, device: d.device, seq: r.seq });
      if (rows.length) this.cursor = (i + 1) % devices.length;
    }
    return out;
  }

  remove(recordIds: number[]): void {
    if (recordIds.length === 1) {
      this.del.run(recordIds[0]);
      return;
    }
    for (let i = 0; i < recordIds.length; i += REMOVE_CHUNK) {
      const part = recordIds.slice(i, i + REMOVE_CHUNK);
      this.delMulti.forRows(part.length).run(...part);
    }
  }

  /** Exact, and O(1): kept by triggers (store/row-counts.ts), not counted. */
  size(): number {
    return this.sizeStmt.get()?.n ?? 0;
  }
}
