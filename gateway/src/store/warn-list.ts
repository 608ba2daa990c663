// Codes every board should warn about when scanned, and the per-device command ids that
// let a board ignore a replayed command.
import type { Db } from "./open";

export class WarnListRepo {
  constructor(private readonly db: Db) {}

  /** True when the code is new on the list. */
  add(code: string, at: number, alertId: string | null): boolean {
    return this.db.prepare("INSERT OR IGNORE INTO warn_list (code, added_at, alert_id) VALUES (?, ?, ?)").run(code, at, alertId).changes === 1;
  }

  all(): string[] {
    return this.db.prepare<[], { code: string }>("SELECT code FROM warn_list ORDER BY added_at, code").all().map((r) => r.code);
  }

  /** Next command id for a device: strictly increasing across restarts. */
  nextCommandId(device: string): number {
    const row = this.db
      .prepare<[string], { last_id: number }>(
        "INSERT INTO command_ids (device, last_id) VALUES (?, 1) ON CONFLICT (device) DO UPDATE SET last_id = last_id + 1 RETURNING last_id",
      )
      .get(device);
    return row!.last_id;
  }
}
