// Feature vectors per clinic-day and per doctor-day: what the learned model and the z-score
// baseline look at. A "day" is a business day that turns at 05:00 local, so a session at
// 01:00 counts with the evening before it (the night it belongs to).
//
// Every feature, in order (FEATURE_NAMES). "Own" figures are the clinic's (doctor's) totals over
// the previous 28 days without its single highest day for that figure (TRIM_DAYS), shrunk towards
// the county's totals over the same days so that a young or quiet entity leans on the county; "surprise" is poissonSurprise (surprise.ts) of today's
// count against own rate x today's exposure. Counts judged this way have the same spread on a
// 2-session day as on a 60-session day, where raw shares are heavy-tailed on small days.
//  sessions_log             log(1 + sessions opened): context (size of the day)
//  weekend                  1 on Saturday and Sunday: context
//  sessions_vs_usual        log((1 + sessions) / (1 + own mean daily sessions, quiet days included))
//  items_surprise           items (boxes, split takes, no-code items) vs own items per session
//  max_items_vs_usual       log(1 + most items in one session) minus its own trailing median
//  high_price_surprise      whole boxes priced at or above `highPrice` (default 100 yuan) among the
//                           day's whole boxes: betaBinomialSurprise of k expensive of n boxes, the
//                           rate a Beta of the own past (all 28 days, none left out) plus the county's
//                           rate worth PRIOR_EXPOSURE boxes, so a small day's share is judged as the
//                           few draws it is and a clinic whose rate rests on few boxes counts as unsure
//  expensive_mix_lr         which expensive products those boxes are: log10 of the likelihood ratio
//                           of "a share s of the day's whole boxes are expensive drugs picked without
//                           regard to what this clinic dispenses" (any expensive product the county
//                           dispenses, alike; s as the day fits it best, surprise.ts contaminationLr)
//                           against the clinic's usual dispensing: its expensive rate as above, and its
//                           mix of expensive products over 28 days shrunk towards the county's worth
//                           MIX_PRIOR_BOXES boxes. Resold drugs are chosen for their resale value,
//                           not for the village's patients: a box of an expensive drug the clinic
//                           and the county seldom dispense weighs much, one of a popular one little;
//                           0 when the usual dispensing explains the day at least as well
//  value_per_session_vs_usual log(1 + yuan per session) minus log(1 + own yuan per session)
//  night_surprise           sessions opened in the night window (clinic hours) vs own night rate
//  prescription_surprise    sessions opened by prescription (not e-voucher) vs own rate
//  new_patient_surprise     voucher sessions whose patient did not come in the previous
//                           PATIENT_LOOKBACK_DAYS (7) vs own rate over the last NEW_PATIENT_RATE_DAYS
//                           (21); only days with a full 7 days of data before them count, on both
//                           sides, so the figure means the same in a county's first weeks, later on,
//                           and at the day close (which reads 28 days of records)
//  duplicate_hits_log       log(1 + whole boxes whose code another record had already sold)
//  undo_surprise            sessions with an undo vs own rate (an undo is one decision of a session)
//  nocode_surprise          no-code items vs own share
//  split_surprise           split-pack takes vs own share
//  untrusted_surprise       sessions stamped before the clock was set vs own rate (a clock is set
//                           or not for a whole boot, so its records are not separate events)
//  upload_delay_vs_usual    log(1 + median hours event to arrival) minus its own trailing median
//  new_devices              devices whose first record is on this day (not on the first day of data)
import { EV_DISPENSE, EV_NOCODE, EV_OPEN, EV_SPLIT, EV_UNDO } from "../../../protocol/src/record";
import { isCodedSale, isItem, keyOf, productOf } from "./codes";
import { betaBinomialSurprise, contaminationLr, poissonSurprise, shrunkRate } from "./surprise";
import { inWindow, localDay, localMinute, localWeekday } from "./time";
import { DEFAULT_HOURS, type ClinicHours, type FraudRow, type ProductLookup } from "./types";

export const FEATURE_NAMES = [
  "sessions_log",
  "weekend",
  "sessions_vs_usual",
  "items_surprise",
  "max_items_vs_usual",
  "high_price_surprise",
  "expensive_mix_lr",
  "value_per_session_vs_usual",
  "night_surprise",
  "prescription_surprise",
  "new_patient_surprise",
  "duplicate_hits_log",
  "undo_surprise",
  "nocode_surprise",
  "split_surprise",
  "untrusted_surprise",
  "upload_delay_vs_usual",
  "new_devices",
] as const;

/** Bump when a feature's meaning changes: saved models then refuse to load.
 * 7: expensive_mix_lr added after high_price_surprise (18 features): which expensive products the
 * day's boxes are, against what the clinic and the county usually dispense.
 * 6: new_patient_surprise looks 7 days back for the patient and rates new patients over the last 21
 * days of full lookback (5: 28 days back, rated over the last 28 days whatever their lookback, which
 * drifted with the age of the history: a county's days 29-56 were 11 % above its own days 8-28's
 * 99th percentile).
 * 5: high_price_surprise is the beta-binomial surprise of expensive whole boxes among whole boxes
 * (4: Poisson surprise of expensive items against the trimmed own share of items). */
export const FEATURE_SCHEMA_VERSION = 7;

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
/** Days of an entity's own past that set its expectations. */
const LOOKBACK_DAYS = 28;
/** Weight of the county's rate in an entity's expected rate, in exposure units (sessions, items, records). */
const PRIOR_EXPOSURE = 20;
/** An entity's own rate of a signal leaves out its TRIM_DAYS past days with the highest rate of that
 * signal, once it has MIN_DAYS_TO_TRIM past days with exposure: an odd day (the first day of a
 * multi-day fraud, an earlier fraud at the same clinic) must not become what is usual. One day
 * was measured on the validation histories against none and two (bench/fraud.bench.ts). */
const TRIM_DAYS = 1;
const MIN_DAYS_TO_TRIM = 7;
/** A patient is new at an entity when not seen there in this many days before. A patient lookback
 * as long as LOOKBACK_DAYS is never full in the weeks a county trains on (days 8-28 of its data),
 * nor for most of the days the day close rates against (it reads 28 days of records), so the share
 * of new patients fell as the history grew and the later weeks were judged against an inflated
 * past. 7 days are full on every trained day (TRAIN_DEFAULTS.warmupDays). */
const PATIENT_LOOKBACK_DAYS = 7;
/** Days the new-patient rate is taken over: the trailing days whose own patient lookback is full,
 * the same number in training and at the day close. */
const NEW_PATIENT_RATE_DAYS = LOOKBACK_DAYS - PATIENT_LOOKBACK_DAYS;
/** expensive_mix_lr: the county's mix of expensive products counts as this many of the entity's own
 * expensive boxes, and every expensive product known to the county as this many more (so a product
 * nobody dispensed in 28 days is rare, not impossible). Chosen on the validation histories
 * (docs/fraud-evaluation.md, feature schema 7): 20-300 and 0.5-2 gave the same ranking within noise. */
const MIX_PRIOR_BOXES = 50;
const MIX_PSEUDO_BOXES = 1;

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

/** Today's counts of one unit (entity and business day): what the features are made of. */
interface UnitCounts {
  entity: string;
  day: string;
  dn: number;
  institution: string;
  sessions: number;
  items: number;
  /** Whole boxes (dispense records) and those priced at or above highPrice. */
  boxes: number;
  highBoxes: number;
  /** Expensive whole boxes by product. */
  highProducts: Map<string, number>;
  value: number;
  night: number;
  prescription: number;
  voucher: number;
  /** Voucher sessions on a day with PATIENT_LOOKBACK_DAYS of data before it (0 on other days), and the new patients among them. */
  knownVoucher: number;
  newPatients: number;
  dupHits: number;
  /** Sessions with an undo. */
  undos: number;
  nocode: number;
  split: number;
  /** Sessions with a record stamped before the clock was set. */
  untrusted: number;
  records: number;
  maxItemsLog: number;
  delayLog: number;
  newDevices: number;
  sessionKeys: string[];
}

/** The additive counts the trailing figures sum up. */
const SUMMED = ["sessions", "items", "boxes", "highBoxes", "value", "night", "prescription", "voucher", "knownVoucher", "newPatients", "undos", "nocode", "split", "untrusted", "records"] as const;
type Sums = Record<(typeof SUMMED)[number], number> & { days: number };

function emptySums(): Sums {
  return { sessions: 0, items: 0, boxes: 0, highBoxes: 0, value: 0, night: 0, prescription: 0, voucher: 0, knownVoucher: 0, newPatients: 0, undos: 0, nocode: 0, split: 0, untrusted: 0, records: 0, days: 0 };
}

function addTo(s: Sums, u: UnitCounts): void {
  for (const k of SUMMED) s[k] += u[k];
}

function addProducts(into: Map<string, number>, from: ReadonlyMap<string, number>): void {
  for (const [p, n] of from) into.set(p, (into.get(p) ?? 0) + n);
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

  // patient visit days per entity, for "new patient"
  const units = new Map<string, Session[]>();
  const patientDays = new Map<string, number[]>(); // entity|patient -> day numbers
  for (const s of sessions.values()) {
    const uk = s.entity + "|" + s.day;
    const list = units.get(uk);
    if (list) list.push(s);
    else units.set(uk, [s]);
    if (!s.open || !s.open.patient) continue;
    const pk = s.entity + "|" + s.open.patient;
    const l = patientDays.get(pk);
    if (l) l.push(dayNumber(s.day));
    else patientDays.set(pk, [dayNumber(s.day)]);
  }

  const counts: UnitCounts[] = [];
  for (const [uk, list] of units) {
    const sep = uk.lastIndexOf("|");
    const entity = uk.slice(0, sep);
    const day = uk.slice(sep + 1);
    if (opts.toDay && day > opts.toDay) continue;
    counts.push(countUnit(entity, day, list, { dups, patientDays, hours, highPrice, priceOf, deviceFirstDay, firstDataDay, firstDataDn: dayNumber(firstDataDay) }));
  }
  counts.sort((a, b) => (a.day === b.day ? (a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : 0) : a.day < b.day ? -1 : 1));

  // trailing sums: per entity and county-wide, over the LOOKBACK_DAYS before each day
  const countyByDay = new Map<number, Sums>();
  const countyProductsByDay = new Map<number, Map<string, number>>();
  const byEntity = new Map<string, UnitCounts[]>();
  for (const u of counts) {
    let c = countyByDay.get(u.dn);
    if (!c) countyByDay.set(u.dn, (c = emptySums()));
    addTo(c, u);
    let cp = countyProductsByDay.get(u.dn);
    if (!cp) countyProductsByDay.set(u.dn, (cp = new Map()));
    addProducts(cp, u.highProducts);
    const l = byEntity.get(u.entity);
    if (l) l.push(u);
    else byEntity.set(u.entity, [u]);
  }
  const entityFirst = new Map<string, number>();
  for (const [e, l] of byEntity) entityFirst.set(e, l[0].dn);

  const out: FeatureVector[] = [];
  for (const u of counts) {
    if (opts.fromDay && u.day < opts.fromDay) continue; // earlier units are history only
    const county = emptySums();
    const countyProducts = new Map<string, number>();
    for (let d = u.dn - LOOKBACK_DAYS; d < u.dn; d++) {
      const c = countyByDay.get(d);
      if (c) for (const k of SUMMED) county[k] += c[k];
      const cp = countyProductsByDay.get(d);
      if (cp) addProducts(countyProducts, cp);
    }
    const countyNew = { newPatients: 0, knownVoucher: 0 };
    for (let d = u.dn - NEW_PATIENT_RATE_DAYS; d < u.dn; d++) {
      const c = countyByDay.get(d);
      if (c) {
        countyNew.newPatients += c.newPatients;
        countyNew.knownVoucher += c.knownVoucher;
      }
    }
    const own = emptySums();
    const past = (byEntity.get(u.entity) as UnitCounts[]).filter((p) => p.dn < u.dn && p.dn >= u.dn - LOOKBACK_DAYS);
    const ownProducts = new Map<string, number>();
    for (const p of past) {
      addTo(own, p);
      addProducts(ownProducts, p.highProducts);
    }
    // quiet days count as days of the entity's life: from its first day (or the window start)
    own.days = Math.max(0, u.dn - Math.max(entityFirst.get(u.entity) as number, u.dn - LOOKBACK_DAYS));
    out.push({
      scope: opts.scope,
      entity: u.entity,
      day: u.day,
      institution: u.institution,
      sessions: u.sessions,
      records: u.records,
      sessionKeys: u.sessionKeys,
      values: featureValues(u, own, county, countyNew, past, { own: ownProducts, county: countyProducts }, opts.priceOf !== undefined),
    });
  }
  return out;
}

interface CountContext {
  dups: Set<string>;
  patientDays: Map<string, number[]>;
  hours: ClinicHours;
  highPrice: number;
  priceOf: ProductLookup;
  deviceFirstDay: Map<string, string>;
  firstDataDay: string;
  firstDataDn: number;
}

function countUnit(entity: string, day: string, list: Session[], cx: CountContext): UnitCounts {
  const dn = dayNumber(day);
  const u: UnitCounts = {
    entity, day, dn, institution: list[0].institution, sessions: 0, items: 0, boxes: 0, highBoxes: 0, highProducts: new Map(), value: 0, night: 0, prescription: 0, voucher: 0, knownVoucher: 0,
    newPatients: 0, dupHits: 0, undos: 0, nocode: 0, split: 0, untrusted: 0, records: 0, maxItemsLog: 0, delayLog: 0, newDevices: 0, sessionKeys: [],
  };
  const patientLookbackFull = dn - cx.firstDataDn >= PATIENT_LOOKBACK_DAYS;
  const delays: number[] = [];
  const devices = new Set<string>();
  let maxItems = 0;
  for (const s of list) {
    devices.add(s.device);
    let sItems = 0;
    let sUntrusted = false;
    let sUndo = false;
    for (const r of s.rows) {
      u.records++;
      if (!r.trusted) sUntrusted = true;
      delays.push(Math.max(0, r.receivedAt - r.correctedTime) / 3600);
      if (r.event === EV_UNDO) sUndo = true;
      if (!isItem(r)) continue;
      u.items++;
      sItems++;
      if (r.event === EV_SPLIT) u.split++;
      if (r.event === EV_NOCODE) u.nocode++;
      if (r.event === EV_DISPENSE && cx.dups.has(keyOf(r))) u.dupHits++;
      const product = r.event === EV_NOCODE ? (r.code ?? "").replace(/^XN/, "") : productOf(r.code ?? "");
      const price = cx.priceOf(product)?.price ?? 0;
      const share = r.event === EV_SPLIT && r.perPack ? (r.units ?? 0) / r.perPack : r.event === EV_NOCODE ? 0 : 1;
      u.value += price * share;
      if (r.event === EV_DISPENSE) {
        u.boxes++;
        if (price >= cx.highPrice) {
          u.highBoxes++;
          u.highProducts.set(product, (u.highProducts.get(product) ?? 0) + 1);
        }
      }
    }
    if (!s.open) continue;
    u.sessions++;
    if (sUntrusted) u.untrusted++;
    if (sUndo) u.undos++;
    maxItems = Math.max(maxItems, sItems);
    if (inWindow(localMinute(s.open.correctedTime), cx.hours.nightStart, cx.hours.nightEnd)) u.night++;
    if (s.open.patient) {
      u.voucher++;
      if (patientLookbackFull) {
        u.knownVoucher++;
        const seen = cx.patientDays.get(entity + "|" + s.open.patient) ?? [];
        if (!seen.some((d) => d < dn && d >= dn - PATIENT_LOOKBACK_DAYS)) u.newPatients++;
      }
    } else u.prescription++;
  }
  u.maxItemsLog = Math.log1p(maxItems);
  u.delayLog = Math.log1p(median(delays));
  for (const d of devices) if (day !== cx.firstDataDay && cx.deviceFirstDay.get(d) === day) u.newDevices++;
  u.sessionKeys = list
    .filter((s) => s.open)
    .sort((a, b) => (a.open as FraudRow).correctedTime - (b.open as FraudRow).correctedTime)
    .map((s) => keyOf(s.open as FraudRow));
  return u;
}

/** Own count and exposure of a signal over the past days, without the TRIM_DAYS days with its highest rate. */
function trimmedOwn(past: readonly UnitCounts[], key: (typeof SUMMED)[number], per: (typeof SUMMED)[number]): { count: number; exposure: number } {
  let count = 0;
  let exposure = 0;
  const days: UnitCounts[] = [];
  for (const p of past) {
    count += p[key];
    exposure += p[per];
    if (p[per] > 0) days.push(p);
  }
  if (days.length < MIN_DAYS_TO_TRIM) return { count, exposure };
  days.sort((a, b) => b[key] / b[per] - a[key] / a[per]);
  for (const p of days.slice(0, TRIM_DAYS)) {
    count -= p[key];
    exposure -= p[per];
  }
  return { count, exposure };
}

/** Expensive whole boxes by product over the trailing LOOKBACK_DAYS: the entity's own and the county's. */
interface ProductMix {
  own: ReadonlyMap<string, number>;
  county: ReadonlyMap<string, number>;
}

function featureValues(u: UnitCounts, own: Sums, county: Sums, countyNew: { newPatients: number; knownVoucher: number }, past: UnitCounts[], mix: ProductMix, prices: boolean): number[] {
  // expected count = exposure today x own rate (its highest days left out) shrunk towards the
  // county's; no county history yet (the first day of data) means no expectation, so no surprise
  const surprise = (count: number, exposure: number, key: (typeof SUMMED)[number], per: (typeof SUMMED)[number]): number => {
    if (county[per] <= 0) return 0;
    const o = trimmedOwn(past, key, per);
    const rate = shrunkRate(o.count, o.exposure, county[key] / county[per], PRIOR_EXPOSURE);
    return poissonSurprise(count, exposure * rate);
  };
  // expensive whole boxes: k of n draws at a rate known as Beta(own past + county prior); the whole
  // past counts (leaving out the day with the highest share takes most of a rare event's history
  // away and makes every ordinary expensive day look odd); half a box each way keeps the Beta
  // proper where neither the clinic nor the county has sold an expensive box yet
  const highBoxSurprise = (): number => {
    if (!prices || county.boxes <= 0) return 0; // without a catalogue no box is known to be expensive
    const rate = county.highBoxes / county.boxes;
    const a = own.highBoxes + PRIOR_EXPOSURE * rate + 0.5;
    const b = own.boxes - own.highBoxes + PRIOR_EXPOSURE * (1 - rate) + 0.5;
    return betaBinomialSurprise(u.highBoxes, u.boxes, a, b);
  };
  // which expensive products: the day's boxes judged against "a share s of them are expensive boxes
  // picked without regard to what this clinic's patients take" (any of the expensive products the
  // county dispenses, alike), s as the day's boxes fit it best, against the clinic's usual dispensing
  // (its expensive rate as for high_price_surprise, its mix of expensive products its own past shrunk
  // towards the county's). A popular expensive drug weighs little, one the clinic and the county
  // rarely dispense weighs much; the count of expensive boxes and their products in one figure
  const expensiveMixLr = (): number => {
    if (!prices || county.boxes <= 0 || u.highBoxes <= 0) return 0;
    const products = new Set<string>([...mix.county.keys(), ...mix.own.keys(), ...u.highProducts.keys()]);
    const kinds = products.size;
    const rate = (own.highBoxes + PRIOR_EXPOSURE * (county.highBoxes / county.boxes) + 0.5) / (own.boxes + PRIOR_EXPOSURE + 1);
    const countyPrior = county.highBoxes > 0 ? MIX_PRIOR_BOXES : 0;
    const ratios: number[] = [];
    for (const [p, n] of u.highProducts) {
      const share = ((mix.own.get(p) ?? 0) + (countyPrior * (mix.county.get(p) ?? 0)) / Math.max(1, county.highBoxes) + MIX_PSEUDO_BOXES) / (own.highBoxes + countyPrior + MIX_PSEUDO_BOXES * kinds);
      for (let i = 0; i < n; i++) ratios.push(1 / (kinds * rate * share));
    }
    return contaminationLr(ratios, u.boxes - u.highBoxes);
  };
  // new patients among the day's voucher sessions against the last NEW_PATIENT_RATE_DAYS of full
  // lookback (own, its highest day left out as for the other rates, shrunk towards the county's)
  const newPatientSurprise = (): number => {
    if (countyNew.knownVoucher <= 0 || u.knownVoucher <= 0) return 0;
    const o = trimmedOwn(past.filter((p) => p.dn >= u.dn - NEW_PATIENT_RATE_DAYS), "newPatients", "knownVoucher");
    const rate = shrunkRate(o.count, o.exposure, countyNew.newPatients / countyNew.knownVoucher, PRIOR_EXPOSURE);
    return poissonSurprise(u.newPatients, u.knownVoucher * rate);
  };
  const withSessions = past.filter((p) => p.sessions > 0);
  const usualOf = (f: (p: UnitCounts) => number, today: number) => (withSessions.length ? today - median(withSessions.map(f)) : 0);
  // usual sessions per day: quiet days included, the busiest days left out as for the rates
  const busiest = past.filter((p) => p.sessions > 0).length >= MIN_DAYS_TO_TRIM ? past.map((p) => p.sessions).sort((a, b) => b - a).slice(0, TRIM_DAYS) : [];
  const usualDays = own.days - busiest.length;
  const meanSessions = usualDays > 0 ? (own.sessions - busiest.reduce((a, b) => a + b, 0)) / usualDays : u.sessions;
  const ownV = trimmedOwn(past, "value", "sessions");
  const ownValue = ownV.exposure > 0 ? Math.log1p(ownV.count / ownV.exposure) : Math.log1p(u.value / (u.sessions || 1));
  const weekday = localWeekday(Date.parse(u.day + "T04:00:00Z") / 1000);
  return [
    Math.log1p(u.sessions),
    weekday === 0 || weekday === 6 ? 1 : 0,
    Math.log((1 + u.sessions) / (1 + meanSessions)),
    surprise(u.items, u.sessions, "items", "sessions"),
    usualOf((p) => p.maxItemsLog, u.maxItemsLog),
    highBoxSurprise(),
    expensiveMixLr(),
    Math.log1p(u.value / (u.sessions || 1)) - ownValue,
    surprise(u.night, u.sessions, "night", "sessions"),
    surprise(u.prescription, u.sessions, "prescription", "sessions"),
    newPatientSurprise(),
    Math.log1p(u.dupHits),
    surprise(u.undos, u.sessions, "undos", "sessions"),
    surprise(u.nocode, u.items, "nocode", "items"),
    surprise(u.split, u.items, "split", "items"),
    surprise(u.untrusted, u.sessions, "untrusted", "sessions"),
    usualOf((p) => p.delayLog, u.delayLog),
    u.newDevices,
  ];
}
