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

  /** The entries of these codes (each at most once; absent codes have none), a few statements for any number. */
  getMany(codes: string[]): DispensedEntry[] {
    const out: DispensedEntry[] = [];
    for (let i = 0; i < codes.length; i += CHUNK) {
      const part = codes.length <= CHUNK ? codes : codes.slice(i, i + CHUNK);
      for (const r of this.getMulti.forRows(part.length).all(...part)) out.push(fromSql(r));
    }
    return out;
  }

  /** Writes many entries at once; a null entry removes the code. Each code at most once. */
  putMany(entries: readonly { code: string; entry: DispensedEntry | null }[]): void {
    const puts: { code: string; entry: DispensedEntry }[] = [];
    const dels: string[] = [];
    for (const { code, entry } of entries) {
      if (entry === null) dels.push(code);
      else puts.push({ code, entry });
    }
    for (let i = 0; i < puts.length; i += CHUNK) {
      const part = puts.length <= CHUNK ? puts : puts.slice(i, i + CHUNK);
      const args: (string | number)[] = [];
      for (const { code, entry: e } of part) args.push(code, e.mode, JSON.stringify(e.keys), e.institution, e.perPack, e.units);
      this.putMulti.forRows(part.length).run(...args);
    }
    for (let i = 0; i < dels.length; i += CHUNK) {
      const part = dels.length <= CHUNK ? dels : dels.slice(i, i + CHUNK);
      this.delMulti.forRows(part.length).run(...part);
    }
  }

  /** null removes the entry: the box is back in stock (an undo). */
  put(code: string, entry: DispensedEntry | null): void {
    if (entry === null) this.delStmt.run(code);
    else this.putStmt.run(code, entry.mode, JSON.stringify(entry.keys), entry.institution, entry.perPack, entry.units);
  }
}
