// Records owed to the platform, as runs of consecutive seqs per device (schema v2): ingest
// adds one run per device and commit (or extends the device's run that ends just below),
// the relay removes a sent span once the platform has acked it. A record leaves only on
// the platform's ack, so the backlog survives restarts and outages of any length the disk
// holds. Every seq inside a run is a stored record.
import type { Db } from "./open";
import { rowCountStatement } from "./row-counts";

/** Seqs `from`..`to` (inclusive) of one device. */
export interface SeqSpan {
  device: string;
  from: number;
  to: number;
}

/** An outbox row as it is now. */
export interface OutboxRun extends SeqSpan {
  id: number;
}

interface RunSqlRow { id: number; device: string; from_seq: number; to_seq: number }

const toRun = (r: RunSqlRow): OutboxRun => ({ id: r.id, device: r.device, from: r.from_seq, to: r.to_seq });

/**
 * What removing the span [from, to] of a device leaves of one of its runs: runs inside the
 * span go, a run that starts inside it and reaches past it keeps its tail. A run starting
 * before the span is left alone (spans are always taken from the front of a device's runs;
 * a replayed overlap is merely sent again, and the platform dedupes by key). The relay's
 * in-memory copy of the outbox applies the very same rule.
 */
export function afterRemoval(run: { from: number; to: number }, from: number, to: number): "keep" | "delete" | { from: number } {
  if (run.from < from || run.from > to) return "keep";
  if (run.to <= to) return "delete";
  return { from: to + 1 };
}

export class OutboxRepo {
  private readonly extendStmt;
  private readonly insertStmt;
  private readonly allStmt;
  private readonly deleteInside;
  private readonly trimInside;
  private readonly sizeStmt;

  constructor(private readonly db: Db) {
    // A device's runs are few (one, unless its board left a gap): the (device, from_seq)
    // index finds the one to extend.
    this.extendStmt = db.prepare<[number, string, number], RunSqlRow>(
      "UPDATE outbox SET to_seq = ? WHERE id = (SELECT id FROM outbox WHERE device = ? AND to_seq = ? LIMIT 1) RETURNING id, device, from_seq, to_seq",
    );
    this.insertStmt = db.prepare<[string, number, number], RunSqlRow>("INSERT INTO outbox (device, from_seq, to_seq) VALUES (?, ?, ?) RETURNING id, device, from_seq, to_seq");
    this.allStmt = db.prepare<[], RunSqlRow>("SELECT id, device, from_seq, to_seq FROM outbox ORDER BY device, from_seq");
    this.deleteInside = db.prepare("DELETE FROM outbox WHERE device = ? AND from_seq >= ? AND from_seq <= ? AND to_seq <= ?");
    this.trimInside = db.prepare("UPDATE outbox SET from_seq = ? WHERE device = ? AND from_seq >= ? AND from_seq <= ? AND to_seq > ?");
    this.sizeStmt = rowCountStatement(db, "outbox");
  }

  /** Queues one record. */
  enqueue(device: string, seq: number): OutboxRun {
    return this.enqueueSpans([{ device, from: seq, to: seq }])[0];
  }

  /**
   * Queues spans of stored seqs (inside the caller's transaction). A span continuing a run
   * of its device extends that run. Returns every touched run as it now is, in order.
   */
  enqueueSpans(spans: SeqSpan[]): OutboxRun[] {
    const out: OutboxRun[] = [];
    for (const s of spans) {
      const row = this.extendStmt.get(s.to, s.device, s.from - 1) ?? this.insertStmt.get(s.device, s.from, s.to);
      out.push(toRun(row!));
    }
    return out;
  }

  /** Every run, by device then seq: the relay's starting point after a (re)start. */
  all(): OutboxRun[] {
    return this.allStmt.all().map(toRun);
  }

  /** The platform has acked this span: its seqs leave the outbox (see afterRemoval). */
  removeSpan(device: string, from: number, to: number): void {
    this.deleteInside.run(device, from, to, to);
    this.trimInside.run(to + 1, device, from, to, to);
  }

  /** Records owed, exact and O(1): kept by triggers (store/row-counts.ts), not counted. */
  size(): number {
    return this.sizeStmt.get()?.n ?? 0;
  }
}
