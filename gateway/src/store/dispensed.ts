// The county-wide one-box-one-sale index: one row per code currently out of stock.
import { MultiRowStatements, placeholders, valueGroups } from "./multi-row";
import type { Db } from "./open";

const CHUNK = 200;
import type { DispensedEntry } from "./types";

interface DispensedSqlRow { code: string; mode: string; keys: string; institution: string; per_pack: number; units: number }

function fromSql(r: DispensedSqlRow): DispensedEntry {
  return { code: r.code, mode: r.mode as DispensedEntry["mode"], keys: JSON.parse(r.keys) as string[], institution: r.institution, perPack: r.per_pack, units: r.units };
}

export class DispensedRepo {
  private readonly getStmt;
  private readonly putStmt;
  private readonly delStmt;
  private readonly getMulti: MultiRowStatements<DispensedSqlRow>;
  private readonly putMulti: MultiRowStatements;
  private readonly delMulti: MultiRowStatements;
  constructor(db: Db) {
    this.getMulti = new MultiRowStatements<DispensedSqlRow>(db, CHUNK, (n) => `SELECT * FROM dispensed WHERE code IN (${placeholders(n)})`);
    this.putMulti = new MultiRowStatements(db, CHUNK, (n) => `INSERT OR REPLACE INTO dispensed (code, mode, keys, institution, per_pack, units) VALUES ${valueGroups(n, 6)}`);
    this.delMulti = new MultiRowStatements(db, CHUNK, (n) => `DELETE FROM dispensed WHERE code IN (${placeholders(n)})`);
    this.getStmt = db.prepare<[string], DispensedSqlRow>("SELECT * FROM dispensed WHERE code = ?");
    this.putStmt = db.prepare("INSERT OR REPLACE INTO dispensed (code, mode, keys, institution, per_pack, units) VALUES (?, ?, ?, ?, ?, ?)");
    this.delStmt = db.prepare("DELETE FROM dispensed WHERE code = ?");
  }

  get(code: string): DispensedEntry | null {
    const r = this.getStmt.get(code);
    return r ? fromSql(r) : null;
  }

  /** The entries of these codes (absent codes are not in the map), a few statements for any number. */
  getMany(codes: string[]): Map<string, DispensedEntry> {
    const out = new Map<string, DispensedEntry>();
    const unique = [...new Set(codes)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const part = unique.slice(i, i + CHUNK);
      for (const r of this.getMulti.forRows(part.length).all(...part)) out.set(r.code, fromSql(r));
    }
    return out;
  }

  /** Writes many entries at once; null removes the code. Each code at most once. */
  putMany(entries: Map<string, DispensedEntry | null>): void {
    const puts: [string, DispensedEntry][] = [];
    const dels: string[] = [];
    for (const [code, e] of entries) {
      if (e === null) dels.push(code);
      else puts.push([code, e]);
    }
    for (let i = 0; i < puts.length; i += CHUNK) {
      const part = puts.slice(i, i + CHUNK);
      const args: (string | number)[] = [];
      for (const [code, e] of part) args.push(code, e.mode, JSON.stringify(e.keys), e.institution, e.perPack, e.units);
      this.putMulti.forRows(part.length).run(...args);
    }
    for (let i = 0; i < dels.length; i += CHUNK) {
      const part = dels.slice(i, i + CHUNK);
      this.delMulti.forRows(part.length).run(...part);
    }
  }

  /** null removes the entry: the box is back in stock (an undo). */
  put(code: string, entry: DispensedEntry | null): void {
    if (entry === null) this.delStmt.run(code);
    else this.putStmt.run(code, entry.mode, JSON.stringify(entry.keys), entry.institution, entry.perPack, entry.units);
  }
}
