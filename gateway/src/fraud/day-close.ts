// Fraud day close inside the running gateway: reads a business day's records and the days
// before it through the store's read API, runs the rules and the models (FraudEngine), and
// raises each alert exactly once per (kind, scope, day). The once is kept in the gateway's own
// database, in the same transaction as the alert, so a restart or a second close of the same
// day raises nothing twice.
import type { GatewayBus } from "../bus/events";
import { announceAlerts, storeAlert, type RaisedAlert } from "../checks/alert-sink";
import type { GatewayStore } from "../store/store";
import { FraudEngine, type FraudEngineOptions } from "./engine";
import { businessDay } from "./features";
import { dayStart } from "./time";
import { fraudRowFromStored, type FraudAlert, type FraudRow } from "./types";

/** Days of records before the judged day: the features' trailing window (28 days) and replays. */
export const HISTORY_DAYS = 28;
/** The business day turns at 05:00 local; a day is closed this long after it ended. */
const DAY_TURN_SEC = 5 * 3600;

export interface DayCloseResult {
  day: string;
  rows: number;
  /** Alerts the engine produced for the day. */
  found: number;
  /** Of those, raised now (the rest were raised by an earlier close). */
  raised: number;
}

const KEYS_TABLE = `CREATE TABLE IF NOT EXISTS fraud_alert_keys (
  key TEXT PRIMARY KEY,
  alert_id TEXT NOT NULL,
  at INTEGER NOT NULL
)`;
const DAYS_TABLE = `CREATE TABLE IF NOT EXISTS fraud_closed_days (
  day TEXT PRIMARY KEY,
  at INTEGER NOT NULL,
  rows INTEGER NOT NULL,
  raised INTEGER NOT NULL
)`;

/** What makes two alerts "the same" for a day: its kind, what it is about, and the day. */
export function alertKey(a: FraudAlert, day: string): string {
  const e = a.evidence;
  const records = Array.isArray(e.records) ? (e.records as unknown[]).map(String) : [];
  const about =
    a.kind === "anomaly" ? `${String(e.scope)}:${String(e.entity)}`
    : a.kind === "patient-multi-clinic" ? `patient:${String(e.patient)}`
    : a.kind === "odd-hours" ? `${a.device ?? ""}:${records[0] ?? ""}`
    : `${a.device ?? ""}:${a.code ?? ""}:${records.join(",")}`;
  return `${a.kind}|${about}|${day}`;
}

/** First second (Unix) of business day `day` and of the day after it. */
export function businessDayBounds(day: string): { from: number; to: number } {
  const from = dayStart(day) + DAY_TURN_SEC;
  return { from, to: from + 86400 };
}

export interface DayCloserOptions extends FraudEngineOptions {
  nowSec?: () => number;
  log?: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export class FraudDayCloser {
  private readonly engine: FraudEngine;
  private readonly nowSec: () => number;

  constructor(private readonly store: GatewayStore, private readonly bus: GatewayBus, private readonly opts: DayCloserOptions = {}) {
    this.engine = new FraudEngine(opts);
    this.nowSec = opts.nowSec ?? (() => Math.floor(Date.now() / 1000));
    store.db.exec(KEYS_TABLE);
    store.db.exec(DAYS_TABLE);
  }

  /** Records whose fixed time falls in [from, to): the store's read API, without its default limit. */
  private rowsBetween(from: number, to: number): FraudRow[] {
    return this.store.records
      .query({ fromTime: from, toTime: to - 1, limit: Number.MAX_SAFE_INTEGER })
      .map((r) => fraudRowFromStored(r));
  }

  /** Judges one business day ("YYYY-MM-DD") now; safe to call again for the same day. */
  closeDay(day: string): DayCloseResult {
    if (!/^\d{4}-\d\d-\d\d$/.test(day) || Number.isNaN(dayStart(day))) throw new RangeError(`not a day: ${day}`);
    const { from, to } = businessDayBounds(day);
    const rows = this.rowsBetween(from, to).filter((r) => businessDay(r.correctedTime) === day);
    const history = this.rowsBetween(from - HISTORY_DAYS * 86400, from);
    const warned = new Set(this.store.warnList.all());
    const found = this.engine.closeDay({ day, rows, history, warned });
    const remember = this.store.db.prepare<[string, string, number]>("INSERT INTO fraud_alert_keys (key, alert_id, at) VALUES (?, ?, ?)");
    const known = this.store.db.prepare<[string], { n: number }>("SELECT COUNT(*) AS n FROM fraud_alert_keys WHERE key = ?");
    const raised: RaisedAlert[] = [];
    const now = this.nowSec();
    this.store.transaction(() => {
      for (const a of found) {
        const key = alertKey(a, day);
        if (known.get(key)?.n) continue;
        const r = storeAlert(this.store, { ...a, evidence: { ...a.evidence, day, alertKey: key } }, now);
        remember.run(key, r.alert.id, now);
        raised.push(r);
      }
      this.store.db
        .prepare<[string, number, number, number]>("INSERT INTO fraud_closed_days (day, at, rows, raised) VALUES (?, ?, ?, ?) ON CONFLICT(day) DO UPDATE SET at = excluded.at, rows = excluded.rows, raised = raised + excluded.raised")
        .run(day, now, rows.length, raised.length);
    });
    announceAlerts(this.bus, raised);
    const result = { day, rows: rows.length, found: found.length, raised: raised.length };
    this.opts.log?.info(result, "fraud day close");
    return result;
  }

  /** Business days that ended at least `graceSec` ago, within the last `catchUpDays`, not closed yet. */
  dueDays(catchUpDays: number, graceSec: number): string[] {
    const now = this.nowSec();
    const lastEnded = businessDay(now - graceSec - 86400);
    const closed = new Set(this.store.db.prepare<[], { day: string }>("SELECT day FROM fraud_closed_days").all().map((r) => r.day));
    const out: string[] = [];
    for (let i = catchUpDays - 1; i >= 0; i--) {
      const day = new Date(Date.parse(lastEnded + "T00:00:00Z") - i * 86400000).toISOString().slice(0, 10);
      if (!closed.has(day)) out.push(day);
    }
    return out;
  }

  /** Closes every due day, oldest first; a failure is logged and retried on the next call. */
  closeDue(catchUpDays: number, graceSec: number): DayCloseResult[] {
    const out: DayCloseResult[] = [];
    for (const day of this.dueDays(catchUpDays, graceSec)) {
      try {
        out.push(this.closeDay(day));
      } catch (err) {
        this.opts.log?.error({ day, err: String(err) }, "fraud day close failed");
        break;
      }
    }
    return out;
  }

  closedDays(): { day: string; at: number; rows: number; raised: number }[] {
    return this.store.db.prepare<[], { day: string; at: number; rows: number; raised: number }>("SELECT day, at, rows, raised FROM fraud_closed_days ORDER BY day").all();
  }
}
