// Records owed to the platform. A row leaves only when the platform has acked it, so the
// backlog survives restarts and outages of any length the disk holds.
import type { Db } from "./open";
import { rowCountStatement } from "./row-counts";

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
  /** Round-robin start among devices, so one busy device never starves the others. */
  private cursor = 0;
  constructor(private readonly db: Db) {
    this.add = db.prepare("INSERT OR IGNORE INTO outbox (record_id, device, seq) VALUES (?, ?, ?)");
    this.del = db.prepare("DELETE FROM outbox WHERE record_id = ?");
    this.sizeStmt = rowCountStatement(db, "outbox");
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
    for (const id of recordIds) this.del.run(id);
  }

  /** Exact, and O(1): kept by triggers (store/row-counts.ts), not counted. */
  size(): number {
    return this.sizeStmt.get()?.n ?? 0;
  }
}
