// Counters worth keeping across restarts (frames in, rejects by reason...). Prometheus
// counters restart at zero; these give the operator the lifetime totals in `status`.
import type { Db } from "./open";

export class CounterRepo {
  private readonly addStmt;
  constructor(private readonly db: Db) {
    this.addStmt = db.prepare("INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value");
  }
  add(name: string, n = 1): void {
    this.addStmt.run(name, n);
  }
  all(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.db.prepare<[], { name: string; value: number }>("SELECT name, value FROM counters ORDER BY name").all()) out[r.name] = r.value;
    return out;
  }
}
