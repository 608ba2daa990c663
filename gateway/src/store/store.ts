// The gateway's durable state behind one object. Ingest, the relay, the checks, the CLI
// and the fraud engine all go through this.
import { join } from "node:path";
import { openDatabase, type Db } from "./open";
import { DeviceRepo } from "./devices";
import { RecordRepo } from "./records";
import { OutboxRepo } from "./outbox";
import { AlertRepo } from "./alerts";
import { DispensedRepo } from "./dispensed";
import { WarnListRepo } from "./warn-list";
import { CounterRepo } from "./counters";

export class GatewayStore {
  readonly devices: DeviceRepo;
  readonly records: RecordRepo;
  readonly outbox: OutboxRepo;
  readonly alerts: AlertRepo;
  readonly dispensed: DispensedRepo;
  readonly warnList: WarnListRepo;
  readonly counters: CounterRepo;

  constructor(readonly db: Db, private readonly synchronous: "FULL" | "NORMAL" = "FULL") {
    this.devices = new DeviceRepo(db);
    this.records = new RecordRepo(db);
    this.outbox = new OutboxRepo(db);
    this.alerts = new AlertRepo(db);
    this.dispensed = new DispensedRepo(db);
    this.warnList = new WarnListRepo(db);
    this.counters = new CounterRepo(db);
  }

  static open(dataDir: string, synchronous: "FULL" | "NORMAL" = "FULL"): GatewayStore {
    return new GatewayStore(openDatabase(dataDir === ":memory:" ? ":memory:" : join(dataDir, "gateway.sqlite"), synchronous), synchronous);
  }

  /** Runs fn in one transaction (IMMEDIATE: takes the write lock up front). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /**
   * A transaction whose loss in a power cut is harmless because it is redone anyway: its
   * commit is not fsynced (synchronous=NORMAL for this one commit). In WAL mode the next
   * FULL commit's fsync makes it durable too, and a cut can only lose it, never reorder
   * it. The relay settles acked spans this way: a lost settle means those sales are sent
   * again and the platform, which stores each key once, answers them as duplicates.
   */
  redoableTransaction<T>(fn: () => T): T {
    if (this.synchronous !== "FULL") return this.transaction(fn);
    this.db.pragma("synchronous = NORMAL");
    try {
      return this.transaction(fn);
    } finally {
      this.db.pragma("synchronous = FULL");
    }
  }

  /** Retention: relayed records older than `days` go; unrelayed ones never do. */
  applyRetention(days: number, nowSec: number): number {
    if (days <= 0) return 0;
    return this.transaction(() => this.records.deleteRelayedBefore(nowSec - days * 86_400));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
