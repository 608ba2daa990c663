// Exact counts of the big tables (records, and the records waiting in the outbox), kept by
// triggers inside the very transaction that inserts, deletes or changes rows, so the
// once-a-second dashboard summary reads one row instead of running COUNT(*) over a million
// records. The outbox holds runs of seqs (schema v2): its count is the sum of the run
// lengths, i.e. records owed to the platform, not rows.
//
// The counts are derived data, so they live outside the versioned migrations: every open
// makes sure the table and its triggers exist, and (re)builds the counts in one
// transaction when anything was missing.
import type { Db } from "./open";

export const COUNTED_TABLES = ["records", "outbox"] as const;
export type CountedTable = (typeof COUNTED_TABLES)[number];

interface CountSpec {
  /** What one row counts for, written over NEW./OLD. (or a bare row for the rebuild). */
  weight: (row: string) => string;
  triggers: { name: string; sql: string }[];
}

function spec(table: CountedTable): CountSpec {
  if (table === "records") {
    return {
      weight: () => "1",
      triggers: [
        { name: "records_count_insert", sql: "AFTER INSERT ON records BEGIN UPDATE row_counts SET n = n + 1 WHERE name = 'records'; END" },
        { name: "records_count_delete", sql: "AFTER DELETE ON records BEGIN UPDATE row_counts SET n = n - 1 WHERE name = 'records'; END" },
      ],
    };
  }
  const len = (r: string) => `(${r}to_seq - ${r}from_seq + 1)`;
  return {
    weight: () => len(""),
    triggers: [
      { name: "outbox_count_insert", sql: `AFTER INSERT ON outbox BEGIN UPDATE row_counts SET n = n + ${len("NEW.")} WHERE name = 'outbox'; END` },
      { name: "outbox_count_delete", sql: `AFTER DELETE ON outbox BEGIN UPDATE row_counts SET n = n - ${len("OLD.")} WHERE name = 'outbox'; END` },
      { name: "outbox_count_update", sql: `AFTER UPDATE OF from_seq, to_seq ON outbox BEGIN UPDATE row_counts SET n = n + ${len("NEW.")} - ${len("OLD.")} WHERE name = 'outbox'; END` },
    ],
  };
}

/** Creates the counts and their triggers if any piece is missing; returns true if it (re)built them. */
export function ensureRowCounts(db: Db): boolean {
  const have = new Set(
    db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')").all().map((r) => r.name),
  );
  const complete = have.has("row_counts") && COUNTED_TABLES.every((t) => spec(t).triggers.every((tr) => have.has(tr.name)));
  if (complete) return false;
  db.transaction(() => {
    db.exec("CREATE TABLE IF NOT EXISTS row_counts (name TEXT PRIMARY KEY, n INTEGER NOT NULL)");
    for (const t of COUNTED_TABLES) {
      const s = spec(t);
      for (const tr of s.triggers) db.exec(`DROP TRIGGER IF EXISTS ${tr.name}`);
      db.prepare(`INSERT OR REPLACE INTO row_counts (name, n) SELECT ?, COALESCE(SUM(${s.weight("")}), 0) FROM ${t}`).run(t);
      for (const tr of s.triggers) db.exec(`CREATE TRIGGER ${tr.name} ${tr.sql};`);
    }
  }).immediate();
  return true;
}

/** The kept count of a table (0 if it was never built, which ensureRowCounts prevents). */
export function rowCountStatement(db: Db, table: CountedTable) {
  return db.prepare<[], { n: number }>(`SELECT n FROM row_counts WHERE name = '${table}'`);
}
