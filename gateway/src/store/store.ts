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

  constructor(readonly db: Db) {
    this.devices = new DeviceRepo(db);
    this.records = new RecordRepo(db);
    this.outbox = new OutboxRepo(db);
    this.alerts = new AlertRepo(db);
    this.dispensed = new DispensedRepo(db);
    this.warnList = new WarnListRepo(db);
    this.counters = new CounterRepo(db);
  }

  static open(dataDir: string, synchronous: "FULL" | "NORMAL" = "FULL"): GatewayStore {
    return new GatewayStore(openDatabase(dataDir === ":memory:" ? ":memory:" : join(dataDir, "gateway.sqlite"), synchronous));
  }

  /** Runs fn in one transaction (IMMEDIATE: takes the write lock up front). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** Retention: relayed records older than `days` go; unrelayed ones never do. */
  applyRetention(days: number, nowSec: number): number {
    if (days <= 0) return 0;
    return this.records.deleteRelayedBefore(nowSec - days * 86_400);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
