// Opens the SQLite file with the settings the gateway's promises rest on, and migrates it.
//
// WAL lets the HTTP API and the relay read while ingest writes. synchronous=FULL is the
// default because an ack tells the board it may erase its flash: a commit acked before it
// reached the disk could be lost in a county power cut, and that scan would be gone from
// both ends. Grouping frames into one transaction keeps the fsync cost per frame small.
// NORMAL (durable across process crashes, not power loss) is offered for hosts on a UPS.
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { ensureRowCounts } from "./row-counts";
import { MIGRATIONS } from "./schema";

export type Db = Database.Database;

export function openDatabase(file: string, synchronous: "FULL" | "NORMAL"): Db {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = " + synchronous);
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  migrate(db);
  ensureRowCounts(db);
  return db;
}

/** Runs every migration above the file's user_version, each in its own transaction. */
export function migrate(db: Db): number {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`database schema v${current} is newer than this gateway (v${MIGRATIONS.length})`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma("user_version = " + (v + 1));
    })();
  }
  return MIGRATIONS.length;
}
