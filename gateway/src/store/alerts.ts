// Alerts raised by the checks and the fraud engine, kept for the platform and the dashboard.
import { randomUUID } from "node:crypto";
import type { Db } from "./open";
import type { NewAlert, StoredAlert } from "./types";

interface AlertSqlRow {
  id: string; kind: string; severity: string; at: number; device: string | null; code: string | null;
  reason: string; evidence: string; published: number;
}

function fromSql(r: AlertSqlRow): StoredAlert {
  const a: StoredAlert = {
    id: r.id, kind: r.kind as StoredAlert["kind"], severity: r.severity as StoredAlert["severity"], at: r.at,
    reason: r.reason, evidence: JSON.parse(r.evidence) as Record<string, unknown>, published: r.published === 1,
  };
  if (r.device !== null) a.device = r.device;
  if (r.code !== null) a.code = r.code;
  return a;
}

export class AlertRepo {
  /** The relay asks for unpublished alerts every time it fills its window: prepared once. */
  private unpublishedStmt: ReturnType<Db["prepare"]> | undefined;
  constructor(private readonly db: Db) {}

  insert(a: NewAlert, at: number): StoredAlert {
    const id = randomUUID();
    this.db
      .prepare("INSERT INTO alerts (id, kind, severity, at, device, code, reason, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .run(id, a.kind, a.severity, at, a.device ?? null, a.code ?? null, a.reason, JSON.stringify(a.evidence));
    return { ...a, id, at, published: false };
  }

  /** Newest first. */
  list(opts: { limit?: number; kind?: string; code?: string } = {}): StoredAlert[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (opts.kind) { where.push("kind = ?"); args.push(opts.kind); }
    if (opts.code) { where.push("code = ?"); args.push(opts.code); }
    args.push(opts.limit ?? 100);
    const sql = "SELECT * FROM alerts" + (where.length ? " WHERE " + where.join(" AND ") : "") + " ORDER BY seq DESC LIMIT ?";
    return this.db.prepare<(string | number)[], AlertSqlRow>(sql).all(...args).map(fromSql);
  }

  /** Oldest first: what still has to reach the platform. */
  unpublished(limit: number): StoredAlert[] {
    this.unpublishedStmt ??= this.db.prepare("SELECT * FROM alerts WHERE published = 0 ORDER BY seq LIMIT ?");
    return (this.unpublishedStmt.all(limit) as AlertSqlRow[]).map(fromSql);
  }

  markPublished(id: string): void {
    this.db.prepare("UPDATE alerts SET published = 1 WHERE id = ?").run(id);
  }

  countsByKind(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.db.prepare<[], { kind: string; n: number }>("SELECT kind, COUNT(*) AS n FROM alerts GROUP BY kind").all()) out[r.kind] = r.n;
    return out;
  }
}
