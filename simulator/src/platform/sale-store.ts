// The platform's durable record of sales and alerts (SQLite). The primary key on the sale key
// is what makes storage exactly-once: a re-sent key can never become a second row.
import Database from "better-sqlite3";
import type { PlatformAlert, PlatformSale } from "../../../protocol/src/platform";
import { traceCodeOf } from "./validate-upload";

export type StoreOutcome = "stored" | "duplicate" | "conflict";

/** JSON with sorted keys, so the same sale always serialises to the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return "[" + value.map(canonicalJson).join(",") + "]";
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return "{" + keys.map((k) => JSON.stringify(k) + ":" + canonicalJson(obj[k])).join(",") + "}";
  }
  return JSON.stringify(value);
}

export interface SaleRow {
  sale: PlatformSale;
  gateway: string;
  msgId: string;
  receivedAt: string;
  /** How many times the same key arrived again after it was stored. */
  resends: number;
}

export class SaleStore {
  private readonly db: Database.Database;
  private readonly insertSale: Database.Statement;
  private readonly findSale: Database.Statement;
  private readonly bumpResend: Database.Statement;
  private readonly insertAlert: Database.Statement;
  private readonly bumpAlert: Database.Statement;
  private readonly noteMessage: Database.Statement;

  constructor(path: string) {
    this.db = new Database(path);
    if (path !== ":memory:") this.db.pragma("journal_mode = WAL");
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS sales (
        key TEXT PRIMARY KEY,
        device TEXT NOT NULL,
        seq INTEGER NOT NULL,
        code TEXT,
        gateway TEXT NOT NULL,
        msg_id TEXT NOT NULL,
        received_at TEXT NOT NULL,
        body TEXT NOT NULL,
        resends INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX IF NOT EXISTS sales_by_code ON sales(code);
      CREATE TABLE IF NOT EXISTS alerts (
        id TEXT NOT NULL,
        gateway TEXT NOT NULL,
        kind TEXT NOT NULL,
        received_at TEXT NOT NULL,
        body TEXT NOT NULL,
        resends INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (gateway, id)
      );
      CREATE TABLE IF NOT EXISTS messages (
        gateway TEXT NOT NULL,
        msg_id TEXT NOT NULL,
        times INTEGER NOT NULL,
        PRIMARY KEY (gateway, msg_id)
      );
    `);
    this.insertSale = this.db.prepare(
      "INSERT INTO sales (key, device, seq, code, gateway, msg_id, received_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO NOTHING",
    );
    this.findSale = this.db.prepare("SELECT body FROM sales WHERE key = ?");
    this.bumpResend = this.db.prepare("UPDATE sales SET resends = resends + 1 WHERE key = ?");
    this.insertAlert = this.db.prepare(
      "INSERT INTO alerts (id, gateway, kind, received_at, body) VALUES (?, ?, ?, ?, ?) ON CONFLICT(gateway, id) DO NOTHING",
    );
    this.bumpAlert = this.db.prepare("UPDATE alerts SET resends = resends + 1 WHERE gateway = ? AND id = ?");
    this.noteMessage = this.db.prepare(
      "INSERT INTO messages (gateway, msg_id, times) VALUES (?, ?, 1) ON CONFLICT(gateway, msg_id) DO UPDATE SET times = times + 1 RETURNING times",
    );
  }

  /** Records that a message id arrived; answers how many times it has arrived in all. */
  noteMessageSeen(gateway: string, msgId: string): number {
    return (this.noteMessage.get(gateway, msgId) as { times: number }).times;
  }

  /** Stores valid sales in one transaction; a key already stored is a duplicate (same content)
   * or a conflict (different content: never overwritten). */
  storeSales(gateway: string, msgId: string, sales: PlatformSale[], receivedAt: string): StoreOutcome[] {
    const run = this.db.transaction((): StoreOutcome[] =>
      sales.map((sale) => {
        const body = canonicalJson(sale);
        const code = traceCodeOf(sale) ?? sale.med_list_codg ?? null;
        const info = this.insertSale.run(sale.key, sale.device, sale.seq, code, gateway, msgId, receivedAt, body);
        if (info.changes === 1) return "stored";
        const existing = this.findSale.get(sale.key) as { body: string };
        if (existing.body !== body) return "conflict";
        this.bumpResend.run(sale.key);
        return "duplicate";
      }),
    );
    return run();
  }

  /** Stores an alert once per (gateway, id); answers false for a re-sent alert. */
  storeAlert(alert: PlatformAlert, receivedAt: string): boolean {
    const info = this.insertAlert.run(alert.id, alert.gateway, alert.kind, receivedAt, canonicalJson(alert));
    if (info.changes === 1) return true;
    this.bumpAlert.run(alert.gateway, alert.id);
    return false;
  }

  salesForCode(code: string): PlatformSale[] {
    const rows = this.db.prepare("SELECT body FROM sales WHERE code = ? ORDER BY rowid").all(code) as { body: string }[];
    return rows.map((r) => JSON.parse(r.body) as PlatformSale);
  }

  allSaleKeys(): string[] {
    return (this.db.prepare("SELECT key FROM sales ORDER BY rowid").all() as { key: string }[]).map((r) => r.key);
  }

  allSales(): SaleRow[] {
    const rows = this.db
      .prepare("SELECT body, gateway, msg_id, received_at, resends FROM sales ORDER BY rowid")
      .all() as { body: string; gateway: string; msg_id: string; received_at: string; resends: number }[];
    return rows.map((r) => ({ sale: JSON.parse(r.body) as PlatformSale, gateway: r.gateway, msgId: r.msg_id, receivedAt: r.received_at, resends: r.resends }));
  }

  alerts(): PlatformAlert[] {
    const rows = this.db.prepare("SELECT body FROM alerts ORDER BY rowid").all() as { body: string }[];
    return rows.map((r) => JSON.parse(r.body) as PlatformAlert);
  }

  counts(): { sales: number; alerts: number; resends: number } {
    const s = this.db.prepare("SELECT COUNT(*) AS n, COALESCE(SUM(resends), 0) AS r FROM sales").get() as { n: number; r: number };
    const a = this.db.prepare("SELECT COUNT(*) AS n FROM alerts").get() as { n: number };
    return { sales: s.n, alerts: a.n, resends: s.r };
  }

  close(): void {
    this.db.close();
  }
}
