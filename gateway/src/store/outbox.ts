// Records owed to the platform. A row leaves only when the platform has acked it, so the
// backlog survives restarts and outages of any length the disk holds.
import type { Db } from "./open";

export interface OutboxRow {
  recordId: number;
  device: string;
  seq: number;
}

export class OutboxRepo {
  private readonly add;
  private readonly del;
  private readonly next;
  constructor(private readonly db: Db) {
    this.add = db.prepare("INSERT OR IGNORE INTO outbox (record_id, device, seq) VALUES (?, ?, ?)");
    this.del = db.prepare("DELETE FROM outbox WHERE record_id = ?");
    // Only records under the device's ack position go out: a gap still being filled by
    // the board would otherwise let a later record overtake an earlier one.
    this.next = db.prepare<[string, number], { record_id: number; device: string; seq: number }>(
      `SELECT o.record_id, o.device, o.seq FROM outbox o JOIN device_acks a ON a.device = o.device
       WHERE o.seq <= a.upto AND o.device NOT IN (SELECT value FROM json_each(?))
       ORDER BY o.device, o.seq LIMIT ?`,
    );
  }

  enqueue(recordId: number, device: string, seq: number): void {
    this.add.run(recordId, device, seq);
  }

  /** The next rows to send, lowest seq first per device, skipping devices with a message in flight. */
  nextBatch(busyDevices: string[], limit: number): OutboxRow[] {
    return this.next.all(JSON.stringify(busyDevices), limit).map((r) => ({ recordId: r.record_id, device: r.device, seq: r.seq }));
  }

  remove(recordIds: number[]): void {
    for (const id of recordIds) this.del.run(id);
  }

  size(): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM outbox").get() as { n: number }).n;
  }
}
