// Feature vectors per clinic-day and per doctor-day: what the learned model and the z-score
// baseline look at. A "day" is a business day that turns at 05:00 local, so a session at
// 01:00 counts with the evening before it (the night it belongs to).
//
// Every feature, in order (FEATURE_NAMES):
//  sessions_log            log(1 + sessions opened)
//  sessions_vs_usual       log((1 + sessions) / (1 + median daily sessions of this clinic or
//                          doctor over the previous 14 days)); 0 without history
//  items_per_session       mean items (boxes, split takes, no-code items) per session
//  max_items_log           log(1 + most items in one session)
//  high_price_share        share of items priced at or above `highPrice` (default 100 yuan)
//  value_per_session_log   log(1 + yuan handed over per session)
//  night_share             share of sessions opened in the night window (clinic hours)
//  night_sessions_log      log(1 + sessions opened in the night window)
//  split_share             share of items that were split-pack takes
//  nocode_share            share of items from the no-code list
//  voucher_share           share of sessions opened by e-voucher (rest: prescription)
//  distinct_patient_ratio  distinct voucher patients / voucher sessions
//  returning_patient_share share of voucher sessions whose patient came in the previous 14 days
//  duplicate_hits_log      log(1 + whole boxes whose code another record had already sold)
//  undo_share              undo records / items
//  upload_delay_log        log(1 + median hours from event to arrival): connectivity gaps
//  untrusted_share         share of records stamped before the clock was set
//  new_devices             devices whose first record is on this day (not on the first day of data)
//  weekend                 1 on Saturday and Sunday: context, so quiet weekends look normal
//  <f>_vs_usual            for f in DEVIATION_OF: today's value minus the median of the same
//                          figure on this clinic's (doctor's) own days with sessions in the
//                          previous 14 days; 0 without such days. This is the per-clinic
//                          normalisation: a clinic that always sells expensive drugs is judged
//                          against itself, not against the county.
import { EV_DISPENSE, EV_NOCODE, EV_OPEN, EV_SPLIT, EV_UNDO } from "../../../protocol/src/record";
import { isCodedSale, isItem, keyOf, productOf } from "./codes";
import { inWindow, localDay, localMinute, localWeekday } from "./time";
import { DEFAULT_HOURS, type ClinicHours, type FraudRow, type ProductLookup } from "./types";

export const FEATURE_NAMES = [
  "sessions_log",
  "sessions_vs_usual",
  "items_per_session",
  "max_items_log",
  "high_price_share",
  "value_per_session_log",
  "night_share",
  "night_sessions_log",
  "split_share",
  "nocode_share",
  "voucher_share",
  "distinct_patient_ratio",
  "returning_patient_share",
  "duplicate_hits_log",
  "undo_share",
  "upload_delay_log",
  "untrusted_share",
  "new_devices",
  "weekend",
  "items_per_session_vs_usual",
  "max_items_log_vs_usual",
  "high_price_share_vs_usual",
  "value_per_session_log_vs_usual",
  "night_sessions_log_vs_usual",
  "voucher_share_vs_usual",
] as const;

/** Base features that also get a per-entity deviation, in the order of the *_vs_usual names. */
const DEVIATION_OF = ["items_per_session", "max_items_log", "high_price_share", "value_per_session_log", "night_sessions_log", "voucher_share"];
const BASE_COUNT = 19;

/** Bump when a feature's meaning changes: saved models then refuse to load. */
export const FEATURE_SCHEMA_VERSION = 2;

export type Scope = "clinic-day" | "doctor-day";

export interface FeatureVector {
  scope: Scope;
  /** Institution code (clinic-day) or operator (doctor-day). */
  entity: string;
  /** Business day "YYYY-MM-DD". */
  day: string;
  institution: string;
  values: number[];
  /** Sessions and records behind the vector, for the evidence. */
  sessions: number;
  records: number;
  /** Keys of the session-opening records, in time order: what a reviewer opens first. */
  sessionKeys: string[];
}

export interface FeatureOptions {
  scope: Scope;
  /** Prices by product (cn20 prefix, GTIN, or catalogue code of no-code items). Unknown products count as cheap. */
  priceOf?: ProductLookup;
  highPrice?: number;
  hours?: ClinicHours;
  /** Only emit vectors for business days in [fromDay, toDay] (inclusive); the other rows still give history. */
  fromDay?: string;
  toDay?: string;
}

const DAY_TURN_SEC = 5 * 3600;
const LOOKBACK_DAYS = 14;

export function businessDay(t: number): string {
  return localDay(t - DAY_TURN_SEC);
}

function dayNumber(day: string): number {
  return Date.parse(day + "T00:00:00Z") / 86400000;
}

function median(xs: number[]): number {
  if (!xs.length) return 0;
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Session {
  device: string;
  entity: string;
  institution: string;
  day: string;
  open: FraudRow | null;
  rows: FraudRow[];
}

/** Whole boxes whose code an earlier record (another device or session) had already sold. */
function duplicateKeys(rows: readonly FraudRow[]): Set<string> {
  const firstBox = new Map<string, FraudRow>();
  const dup = new Set<string>();
  const byTime = rows.filter((r) => isCodedSale(r)).sort((a, b) => a.correctedTime - b.correctedTime);
  for (const r of byTime) {
    const prev = firstBox.get(r.code as string);
    if (!prev) {
      firstBox.set(r.code as string, r);
      continue;
    }
    const splitSeries = prev.event === EV_SPLIT && r.event === EV_SPLIT && prev.institution === r.institution;
    if (!splitSeries && keyOf(prev) !== keyOf(r)) dup.add(keyOf(r));
  }
  return dup;
}

export function computeFeatures(rows: readonly FraudRow[], opts: FeatureOptions): FeatureVector[] {
  const hours = opts.hours ?? DEFAULT_HOURS;
  const highPrice = opts.highPrice ?? 100;
  const priceOf = opts.priceOf ?? (() => undefined);
  const entityOf = (r: FraudRow) => (opts.scope === "clinic-day" ? r.institution : r.operator);

  // sessions by device + open seq; records of a session share its business day
  const sessions = new Map<string, Session>();
  const seenKeys = new Set<string>();
  const deviceFirstDay = new Map<string, string>();
  let firstDataDay = "";
  for (const r of rows) {
    const k = keyOf(r);
    if (seenKeys.has(k)) continue; // a retransmission is the same record
    seenKeys.add(k);
    const day = businessDay(r.correctedTime);
    if (!firstDataDay || day < firstDataDay) firstDataDay = day;
    const fd = deviceFirstDay.get(r.device);
    if (!fd || day < fd) deviceFirstDay.set(r.device, day);
    const sk = r.device + ":" + (r.event === EV_OPEN ? r.seq : r.session);
    let s = sessions.get(sk);
    if (!s) {
      s = { device: r.device, entity: entityOf(r), institution: r.institution, day, open: null, rows: [] };
      sessions.set(sk, s);
    }
    if (r.event === EV_OPEN) {
      s.open = r;
      s.day = day;
    }
    s.rows.push(r);
  }
  const dups = duplicateKeys(rows);

  // per entity: sessions per day and patient visit days, for the trailing figures
  const units = new Map<string, Session[]>();
  const perEntityDay = new Map<string, Map<number, number>>();
  const patientDays = new Map<string, number[]>(); // entity|patient -> day numbers
  for (const s of sessions.values()) {
    const uk = s.entity + "|" + s.day;
    const list = units.get(uk);
    if (list) list.push(s);
    else units.set(uk, [s]);
    if (!s.open) continue;
    const dn = dayNumber(s.day);
    let m = perEntityDay.get(s.entity);
    if (!m) perEntityDay.set(s.entity, (m = new Map()));
    m.set(dn, (m.get(dn) ?? 0) + 1);
    if (s.open.patient) {
      const pk = s.entity + "|" + s.open.patient;
      const l = patientDays.get(pk);
      if (l) l.push(dn);
      else patientDays.set(pk, [dn]);
    }
  }
  const entityFirst = new Map<string, number>();
  for (const [e, m] of perEntityDay) entityFirst.set(e, Math.min(...m.keys()));

  const out: FeatureVector[] = [];
  for (const [uk, list] of units) {
    const sep = uk.lastIndexOf("|");
    const entity = uk.slice(0, sep);
    const day = uk.slice(sep + 1);
    // units before fromDay are still computed: they are the history of the *_vs_usual figures
    if (opts.toDay && day > opts.toDay) continue;
    const dn = dayNumber(day);
    let nSessions = 0, items = 0, maxItems = 0, high = 0, value = 0, night = 0, split = 0, nocode = 0;
    let voucher = 0, returning = 0, dupHits = 0, undos = 0, untrusted = 0, records = 0;
    const patients = new Set<string>();
    const delays: number[] = [];
    const devices = new Set<string>();
    for (const s of list) {
      devices.add(s.device);
      let sItems = 0;
      for (const r of s.rows) {
        records++;
        if (!r.trusted) untrusted++;
        delays.push(Math.max(0, r.receivedAt - r.correctedTime) / 3600);
        if (r.event === EV_UNDO) undos++;
        if (!isItem(r)) continue;
        items++;
        sItems++;
        if (r.event === EV_SPLIT) split++;
        if (r.event === EV_NOCODE) nocode++;
        if (r.event === EV_DISPENSE && dups.has(keyOf(r))) dupHits++;
        const product = r.event === EV_NOCODE ? (r.code ?? "").replace(/^XN/, "") : productOf(r.code ?? "");
        const price = priceOf(product)?.price ?? 0;
        const share = r.event === EV_SPLIT && r.perPack ? (r.units ?? 0) / r.perPack : r.event === EV_NOCODE ? 0 : 1;
        value += price * share;
        if (price >= highPrice) high++;
      }
      if (!s.open) continue;
      nSessions++;
      maxItems = Math.max(maxItems, sItems);
      if (inWindow(localMinute(s.open.correctedTime), hours.nightStart, hours.nightEnd)) night++;
      if (s.open.patient) {
        voucher++;
        patients.add(s.open.patient);
        const seen = patientDays.get(entity + "|" + s.open.patient) ?? [];
        if (seen.some((d) => d < dn && d >= dn - LOOKBACK_DAYS)) returning++;
      }
    }
    const counts = perEntityDay.get(entity) ?? new Map<number, number>();
    const first = entityFirst.get(entity) ?? dn;
    const past: number[] = [];
    for (let d = Math.max(first, dn - LOOKBACK_DAYS); d < dn; d++) past.push(counts.get(d) ?? 0);
    const usual = past.length ? median(past) : nSessions;
    let newDevices = 0;
    for (const d of devices) if (day !== firstDataDay && deviceFirstDay.get(d) === day) newDevices++;
    const perSession = nSessions || 1;
    const perItem = items || 1;
    const weekday = localWeekday(Date.parse(day + "T04:00:00Z") / 1000);
    out.push({
      scope: opts.scope,
      entity,
      day,
      institution: list[0].institution,
      sessions: nSessions,
      records,
      sessionKeys: list.filter((s) => s.open).sort((a, b) => (a.open as FraudRow).correctedTime - (b.open as FraudRow).correctedTime).map((s) => keyOf(s.open as FraudRow)),
      values: [
        Math.log1p(nSessions),
        Math.log((1 + nSessions) / (1 + usual)),
        items / perSession,
        Math.log1p(maxItems),
        high / perItem,
        Math.log1p(value / perSession),
        night / perSession,
        Math.log1p(night),
        split / perItem,
        nocode / perItem,
        voucher / perSession,
        voucher ? patients.size / voucher : 1,
        voucher ? returning / voucher : 0,
        Math.log1p(dupHits),
        undos / perItem,
        Math.log1p(median(delays)),
        untrusted / (records || 1),
        newDevices,
        weekday === 0 || weekday === 6 ? 1 : 0,
      ],
    });
  }
  out.sort((a, b) => (a.day === b.day ? (a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : 0) : a.day < b.day ? -1 : 1));
  addDeviations(out);
  return opts.fromDay ? out.filter((v) => v.day >= (opts.fromDay as string)) : out;
}

/** Appends the *_vs_usual features; `vectors` sorted by day. */
function addDeviations(vectors: FeatureVector[]): void {
  const idx = DEVIATION_OF.map((f) => FEATURE_NAMES.indexOf(f as (typeof FEATURE_NAMES)[number]));
  const past = new Map<string, FeatureVector[]>(); // entity -> its earlier vectors with sessions
  for (const v of vectors) {
    const mine = past.get(v.entity) ?? [];
    const dn = dayNumber(v.day);
    const recent = mine.filter((p) => dayNumber(p.day) >= dn - LOOKBACK_DAYS && p.day < v.day);
    const base = v.values.slice(0, BASE_COUNT);
    for (const j of idx) v.values.push(recent.length ? base[j] - median(recent.map((p) => p.values[j])) : 0);
    if (v.sessions > 0) {
      mine.push(v);
      past.set(v.entity, mine);
    }
  }
}
