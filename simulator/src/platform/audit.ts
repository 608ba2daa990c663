// The exactly-once audit: compares what the boards signalled as accepted with what the
// platform holds. Every accepted sale must be there once, nothing else may be there, and what
// is there must say what was scanned.
import { EV_DISPENSE, EV_NOCODE, EV_SPLIT, EV_UNDO, recordKey, type EventKind } from "../../../protocol/src/record";
import type { PlatformSale } from "../../../protocol/src/platform";
import { traceCodeOf } from "./validate-upload";

/** One record a board signalled as accepted (its journal entry), as the fleet runner saw it. */
export interface AcceptedScan {
  device: string;
  seq: number;
  event: EventKind;
  /** Dispense/split: canonical trace code key. No-code: catalogue code. */
  code?: string;
  /** Split: units taken. No-code: quantity. */
  units?: number;
  /** Undo: seq of the withdrawn record. */
  ref?: number;
}

export type MismatchField = "event" | "code" | "quantity" | "ref";

export interface AuditMismatch {
  key: string;
  field: MismatchField;
  expected: string | number | undefined;
  actual: string | number | undefined;
}

export interface AuditReport {
  passed: boolean;
  /** Accepted scans that travel to the platform (dispense, split, no-code, undo). */
  expected: number;
  /** Distinct keys the platform holds. */
  received: number;
  matched: number;
  missing: number;
  duplicated: number;
  phantom: number;
  mismatched: number;
  /** A few examples of each problem (at most `exampleLimit`), for a readable report. */
  examples: { missing: string[]; duplicated: string[]; phantom: string[]; mismatches: AuditMismatch[] };
}

const PLATFORM_BOUND = new Set<number>([EV_DISPENSE, EV_SPLIT, EV_NOCODE, EV_UNDO]);

/** The record event a platform sale stands for. */
export function eventOfSale(sale: PlatformSale): EventKind {
  if (sale.kind === "return") return EV_UNDO;
  if (sale.trdn_flag === 1) return EV_SPLIT;
  if (traceCodeOf(sale) === undefined && sale.med_list_codg !== undefined) return EV_NOCODE;
  return EV_DISPENSE;
}

function codeOfSale(sale: PlatformSale): string | undefined {
  return traceCodeOf(sale) ?? sale.med_list_codg;
}

/** What the platform should hold as quantity for a scan; undefined when the event has none. */
function expectedQuantity(scan: AcceptedScan): number | undefined {
  if (scan.event === EV_DISPENSE) return 1;
  if (scan.event === EV_SPLIT || scan.event === EV_NOCODE) return scan.units;
  return undefined;
}

/** Same content, regardless of key: how a re-keyed copy of one scan is recognised. */
function signature(device: string, event: number, code: string | undefined, qty: number | undefined): string {
  return device + "|" + event + "|" + (code ?? "") + "|" + (qty ?? "");
}

export function auditExactlyOnce(truth: readonly AcceptedScan[], platformSales: readonly PlatformSale[], exampleLimit = 20): AuditReport {
  const examples: AuditReport["examples"] = { missing: [], duplicated: [], phantom: [], mismatches: [] };
  const note = <T>(list: T[], item: T) => {
    if (list.length < exampleLimit) list.push(item);
  };

  const salesByKey = new Map<string, PlatformSale[]>();
  for (const s of platformSales) {
    const list = salesByKey.get(s.key);
    if (list) list.push(s);
    else salesByKey.set(s.key, [s]);
  }

  const bound = truth.filter((t) => PLATFORM_BOUND.has(t.event));
  const truthKeys = new Map<string, AcceptedScan>();
  for (const t of truth) truthKeys.set(recordKey(t.device, t.seq), t);
  // Content signatures of accepted scans: a sale under an unknown key with one of these is a
  // second copy of a real scan (duplicated), not an invention (phantom).
  const signatures = new Set<string>();
  for (const t of bound) signatures.add(signature(t.device, t.event, t.event === EV_UNDO ? undefined : t.code, expectedQuantity(t)));

  let matched = 0;
  let missing = 0;
  let duplicated = 0;
  let mismatched = 0;
  for (const t of bound) {
    const key = recordKey(t.device, t.seq);
    const got = salesByKey.get(key);
    if (!got) {
      missing++;
      note(examples.missing, key);
      continue;
    }
    if (got.length > 1) {
      duplicated += got.length - 1;
      note(examples.duplicated, key);
    }
    const sale = got[0];
    const problems: AuditMismatch[] = [];
    const ev = eventOfSale(sale);
    if (ev !== t.event) problems.push({ key, field: "event", expected: t.event, actual: ev });
    if (t.event !== EV_UNDO && codeOfSale(sale) !== t.code) problems.push({ key, field: "code", expected: t.code, actual: codeOfSale(sale) });
    const qty = expectedQuantity(t);
    if (qty !== undefined && sale.sel_retn_cnt !== qty) problems.push({ key, field: "quantity", expected: qty, actual: sale.sel_retn_cnt });
    if (t.event === EV_UNDO && t.ref !== undefined) {
      const refKey = recordKey(t.device, t.ref);
      if (sale.ref_key !== refKey) problems.push({ key, field: "ref", expected: refKey, actual: sale.ref_key });
    }
    if (problems.length > 0) {
      mismatched++;
      for (const p of problems) note(examples.mismatches, p);
    } else {
      matched++;
    }
  }

  let phantom = 0;
  for (const [key, sales] of salesByKey) {
    const t = truthKeys.get(key);
    if (t && PLATFORM_BOUND.has(t.event)) continue;
    for (const s of sales) {
      const qty = eventOfSale(s) === EV_DISPENSE ? 1 : eventOfSale(s) === EV_UNDO ? undefined : s.sel_retn_cnt;
      if (!t && signatures.has(signature(s.device, eventOfSale(s), eventOfSale(s) === EV_UNDO ? undefined : codeOfSale(s), qty))) {
        duplicated++;
        note(examples.duplicated, key);
      } else {
        phantom++;
        note(examples.phantom, key);
      }
    }
  }

  return {
    passed: missing === 0 && duplicated === 0 && phantom === 0 && mismatched === 0,
    expected: bound.length,
    received: salesByKey.size,
    matched,
    missing,
    duplicated,
    phantom,
    mismatched,
    examples,
  };
}
