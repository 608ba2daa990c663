// One box, one sale: pure rules over the county-wide index of dispensed codes.
// - a whole box (EV_DISPENSE) takes the code; any later sale of it anywhere is a
//   "duplicate-sale";
// - a split pack (EV_SPLIT) may be re-scanned at the same institution until its units are
//   used up; more is a "split-overrun"; at another institution it is a duplicate sale;
// - an undo (EV_UNDO) gives back what the withdrawn record took.
import { EV_DISPENSE, EV_SPLIT } from "../../../protocol/src/record";
import type { DispensedEntry, NewAlert } from "../store/types";

export interface SaleFacts {
  key: string;
  device: string;
  institution: string;
  event: number;
  code: string;
  units?: number;
  perPack?: number;
}

export interface SaleDecision {
  /** New index state for the code (null: free again). */
  entry: DispensedEntry | null;
  alert?: NewAlert;
}

export function isSale(event: number): boolean {
  return event === EV_DISPENSE || event === EV_SPLIT;
}

/** A dispense or split of `sale.code`, given what the index holds for it. */
export function judgeSale(sale: SaleFacts, current: DispensedEntry | null): SaleDecision {
  const split = sale.event === EV_SPLIT;
  const units = split ? Math.max(1, sale.units ?? 1) : 1;
  const perPack = split ? Math.max(1, sale.perPack ?? 1) : 1;
  if (current === null) {
    const entry: DispensedEntry = { code: sale.code, mode: split ? "split" : "box", keys: [sale.key], institution: sale.institution, perPack, units };
    if (split && units > perPack) return { entry, alert: overrun(sale, entry) };
    return { entry };
  }
  const keys = current.keys.concat([sale.key]);
  if (split && current.mode === "split" && current.institution === sale.institution) {
    const entry: DispensedEntry = { ...current, keys, units: current.units + units };
    if (entry.units > entry.perPack) return { entry, alert: overrun(sale, entry) };
    return { entry };
  }
  const entry: DispensedEntry = { ...current, keys };
  return {
    entry,
    alert: {
      kind: "duplicate-sale",
      severity: "critical",
      device: sale.device,
      code: sale.code,
      reason: `code sold again at ${sale.institution} after ${current.mode === "split" ? "a split sale" : "a sale"} at ${current.institution}`,
      evidence: { records: keys, first: current.keys[0], again: sale.key, institutions: [current.institution, sale.institution] },
    },
  };
}

/** An undo of the record `undone` (which took `units` from `code`). */
export function judgeUndo(undone: { key: string; units?: number; event: number }, current: DispensedEntry | null): DispensedEntry | null {
  if (current === null || current.keys.indexOf(undone.key) < 0) return current;
  const keys = current.keys.filter((k) => k !== undone.key);
  if (keys.length === 0) return null;
  const taken = undone.event === EV_SPLIT ? Math.max(1, undone.units ?? 1) : 1;
  return { ...current, keys, units: Math.max(0, current.units - taken) };
}

function overrun(sale: SaleFacts, entry: DispensedEntry): NewAlert {
  return {
    kind: "split-overrun",
    severity: "warning",
    device: sale.device,
    code: sale.code,
    reason: `split pack re-scanned for ${entry.units} units of ${entry.perPack}`,
    evidence: { records: entry.keys, units: entry.units, perPack: entry.perPack, institution: entry.institution },
  };
}
