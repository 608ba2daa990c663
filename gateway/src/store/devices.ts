// Provisioned devices: who may connect and whose frames verify.
import type { Db } from "./open";
import type { DeviceRow, PublicDevice } from "./types";

interface DeviceSqlRow {
  id: string; secret: Buffer; institution: string; operator: string; status: "active" | "revoked";
  added_at: number; revoked_at: number | null; last_seen: number | null; stats: string | null;
}

function fromSql(r: DeviceSqlRow): DeviceRow {
  return {
    id: r.id, secret: new Uint8Array(r.secret), institution: r.institution, operator: r.operator,
    status: r.status, addedAt: r.added_at, revokedAt: r.revoked_at, lastSeen: r.last_seen,
    stats: r.stats ? (JSON.parse(r.stats) as Record<string, unknown>) : null,
  };
}

export function publicDevice(d: DeviceRow): PublicDevice {
  const { secret: _secret, ...rest } = d;
  return rest;
}

export class DeviceRepo {
  private readonly byId;
  /** Prepared on first use: every commit touches its devices. */
  private touchStmt: ReturnType<Db["prepare"]> | undefined;
  constructor(private readonly db: Db) {
    this.byId = db.prepare<[string], DeviceSqlRow>("SELECT * FROM devices WHERE id = ?");
  }

  add(d: { id: string; secret: Uint8Array; institution: string; operator: string }, now: number): DeviceRow {
    this.db
      .prepare("INSERT INTO devices (id, secret, institution, operator, status, added_at) VALUES (?, ?, ?, ?, 'active', ?)")
      .run(d.id, Buffer.from(d.secret), d.institution, d.operator, now);
    return this.get(d.id)!;
  }

  /**
   * Not cached on purpose: `gateway devices revoke` runs in another process against the
   * same file and must take effect on the very next frame. A primary-key read is cheap.
   */
  get(id: string): DeviceRow | null {
    const row = this.byId.get(id);
    return row ? fromSql(row) : null;
  }

  list(): DeviceRow[] {
    return this.db.prepare<[], DeviceSqlRow>("SELECT * FROM devices ORDER BY id").all().map(fromSql);
  }

  revoke(id: string, now: number): boolean {
    return this.db.prepare("UPDATE devices SET status = 'revoked', revoked_at = ? WHERE id = ? AND status = 'active'").run(now, id).changes === 1;
  }

  touch(id: string, now: number): void {
    (this.touchStmt ??= this.db.prepare("UPDATE devices SET last_seen = ? WHERE id = ?")).run(now, id);
  }

  reportStats(id: string, stats: Record<string, unknown>): void {
    this.db.prepare("UPDATE devices SET stats = ? WHERE id = ?").run(JSON.stringify(stats), id);
  }

  counts(): { active: number; revoked: number } {
    const rows = this.db.prepare<[], { status: string; n: number }>("SELECT status, COUNT(*) AS n FROM devices GROUP BY status").all();
    const out = { active: 0, revoked: 0 };
    for (const r of rows) out[r.status as "active" | "revoked"] = r.n;
    return out;
  }
}
