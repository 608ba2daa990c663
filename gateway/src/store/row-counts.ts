// Exact row counts of the big tables (records, outbox), kept by triggers inside the very
// transaction that inserts or deletes, so the once-a-second dashboard summary reads one
// row instead of running COUNT(*) over a million records.
//
// The counts are derived data, so they live outside the versioned migrations: every open
// makes sure the table and its triggers exist, and (re)builds the counts in one
// transaction when anything was missing. An older gateway binary opening the same file
// keeps them right too, because the triggers travel with the database.
import type { Db } from "./open";

export const COUNTED_TABLES = ["records", "outbox"] as const;
export type CountedTable = (typeof COUNTED_TABLES)[number];

function triggerNames(table: CountedTable): [string, string] {
  return [table + "_count_insert", table + "_count_delete"];
}

/** Creates the counts and their triggers if any piece is missing; returns true if it (re)built them. */
export function ensureRowCounts(db: Db): boolean {
  const have = new Set(
    db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')").all().map((r) => r.name),
  );
  const complete = have.has("row_counts") && COUNTED_TABLES.every((t) => triggerNames(t).every((n) => have.has(n)));
  if (complete) return false;
  db.transaction(() => {
    db.exec("CREATE TABLE IF NOT EXISTS row_counts (name TEXT PRIMARY KEY, n INTEGER NOT NULL)");
    for (const t of COUNTED_TABLES) {
      const [ins, del] = triggerNames(t);
      db.exec(`DROP TRIGGER IF EXISTS ${ins}; DROP TRIGGER IF EXISTS ${del};`);
      db.prepare(`INSERT OR REPLACE INTO row_counts (name, n) SELECT ?, COUNT(*) FROM ${t}`).run(t);
      db.exec(`CREATE TRIGGER ${ins} AFTER INSERT ON ${t} BEGIN UPDATE row_counts SET n = n + 1 WHERE name = '${t}'; END;
               CREATE TRIGGER ${del} AFTER DELETE ON ${t} BEGIN UPDATE row_counts SET n = n - 1 WHERE name = '${t}'; END;`);
    }
  }).immediate();
  return true;
}

/** The kept count of a table (0 if it was never built, which ensureRowCounts prevents). */
export function rowCountStatement(db: Db, table: CountedTable) {
  return db.prepare<[], { n: number }>(`SELECT n FROM row_counts WHERE name = '${table}'`);
}
