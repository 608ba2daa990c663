// Multi-row statements: one prepared statement writes or reads many rows, so the per-row
// cost is a few bound values instead of a whole statement step. Statements are cached per
// row count; chunks stay far below SQLite's bound-variable limit.
import type Database from "better-sqlite3";
import type { Db } from "./open";

export class MultiRowStatements<Row = unknown> {
  private readonly cache = new Map<number, Database.Statement<unknown[], Row>>();

  /** `build(n)` returns the SQL for n rows. */
  constructor(private readonly db: Db, readonly rowsPerChunk: number, private readonly build: (n: number) => string) {}

  forRows(n: number): Database.Statement<unknown[], Row> {
    let s = this.cache.get(n);
    if (!s) {
      s = this.db.prepare<unknown[], Row>(this.build(n));
      this.cache.set(n, s);
    }
    return s;
  }
}

/** "(?, ?, ?), (?, ?, ?)" for n rows of `columns` values. */
export function valueGroups(n: number, columns: number): string {
  const one = "(" + new Array(columns).fill("?").join(", ") + ")";
  return new Array(n).fill(one).join(", ");
}

export function placeholders(n: number): string {
  return new Array(n).fill("?").join(",");
}
