// The county-wide one-box-one-sale index: one row per code currently out of stock.
import type { Db } from "./open";
import type { DispensedEntry } from "./types";

interface DispensedSqlRow { code: string; mode: string; keys: string; institution: string; per_pack: number; units: number }

export class DispensedRepo {
  private readonly getStmt;
  private readonly putStmt;
  private readonly delStmt;
  constructor(db: Db) {
    this.getStmt = db.prepare<[string], DispensedSqlRow>("SELECT * FROM dispensed WHERE code = ?");
    this.putStmt = db.prepare("INSERT OR REPLACE INTO dispensed (code, mode, keys, institution, per_pack, units) VALUES (?, ?, ?, ?, ?, ?)");
    this.delStmt = db.prepare("DELETE FROM dispensed WHERE code = ?");
  }

  get(code: string): DispensedEntry | null {
    const r = this.getStmt.get(code);
    if (!r) return null;
    return { code: r.code, mode: r.mode as DispensedEntry["mode"], keys: JSON.parse(r.keys) as string[], institution: r.institution, perPack: r.per_pack, units: r.units };
  }

  /** null removes the entry: the box is back in stock (an undo). */
  put(code: string, entry: DispensedEntry | null): void {
    if (entry === null) this.delStmt.run(code);
    else this.putStmt.run(code, entry.mode, JSON.stringify(entry.keys), entry.institution, entry.perPack, entry.units);
  }
}
