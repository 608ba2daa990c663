// Normal dispensing, day by day: how many patients come to each clinic, when, who sees them
// and what they take home. Plain data that the fraud injectors then alter.
import { poisson, randChars, randInt, type Rng } from "../scenario/prng";
import { HIGH_PRICE } from "./catalogue";
import type { Clinic, Doctor, Product } from "./types";

export interface PlannedItem {
  kind: "box" | "split" | "nocode";
  product: Product;
  /** Canonical code key (boxes and splits). */
  code?: string;
  expiry?: string;
  batch?: string;
  /** Split: units taken now; no-code: quantity. */
  units?: number;
  /** Index into the history's labels when this item is injected fraud. */
  fraud?: number;
}

export interface PlannedSession {
  clinic: Clinic;
  doctor: Doctor;
  /** Day index from the history start. */
  day: number;
  /** True Unix seconds of the session open. */
  start: number;
  patient?: string;
  rx?: string;
  items: PlannedItem[];
  /** The patient changed their mind: the last item is withdrawn. */
  undoLast: boolean;
  fraud?: number;
}

/** The mutable world the planner and the injectors share. */
export interface PlanState {
  rng: Rng;
  catalogue: Product[];
  serial: number;
  /** Open split boxes per clinic and product: code and units left. */
  openSplits: Map<string, { code: string; expiry?: string; batch?: string; left: number }>;
  /** Patients registered at each clinic (voucher token hashes). */
  patients: Map<string, string[]>;
}

const DAY = 86400;

export function newCode(st: PlanState, p: Product, saleTime: number): { code: string; expiry?: string; batch?: string } {
  st.serial++;
  const serial = String(st.serial).padStart(7, "0") + randChars(st.rng, "0123456789", 6);
  if (p.kind === "cn20") return { code: p.id + serial };
  const exp = new Date((saleTime + (180 + randInt(st.rng, 0, 720)) * DAY) * 1000);
  const expiry = String(exp.getUTCFullYear() % 100).padStart(2, "0") + String(exp.getUTCMonth() + 1).padStart(2, "0") + "00";
  return { code: "(01)" + p.id + "(21)" + serial, expiry, batch: "B" + randChars(st.rng, "0123456789", 5) };
}

export function patientsOf(st: PlanState, clinic: Clinic): string[] {
  let list = st.patients.get(clinic.institution);
  if (!list) {
    list = [];
    const n = Math.round(clinic.size * 25);
    for (let i = 0; i < n; i++) list.push(randChars(st.rng, "0123456789abcdef", 16));
    st.patients.set(clinic.institution, list);
  }
  return list;
}

export function pickProduct(st: PlanState, clinic: Clinic, highOnly = false): Product {
  let total = 0;
  const w = st.catalogue.map((p) => {
    const high = p.price >= HIGH_PRICE;
    const x = highOnly ? (high ? 1 : 0) : p.popularity * (high ? clinic.priceLean : 1);
    total += x;
    return x;
  });
  let u = st.rng() * total;
  for (let i = 0; i < w.length; i++) {
    u -= w[i];
    if (u <= 0) return st.catalogue[i];
  }
  return st.catalogue[st.catalogue.length - 1];
}

/** One item as the counter would hand it over: mostly whole boxes, some split packs, a few no-code items. */
export function planItem(st: PlanState, clinic: Clinic, p: Product, saleTime: number): PlannedItem {
  const u = st.rng();
  if (u < 0.04) return { kind: "nocode", product: p, units: randInt(st.rng, 1, 3) };
  if (u < 0.16 && p.perPack >= 20) {
    const k = clinic.institution + "|" + p.id;
    let open = st.openSplits.get(k);
    if (!open || open.left <= 0) {
      open = { ...newCode(st, p, saleTime), left: p.perPack };
      st.openSplits.set(k, open);
    }
    const units = Math.min(open.left, randInt(st.rng, 2, Math.max(2, Math.floor(p.perPack / 4))));
    open.left -= units;
    return { kind: "split", product: p, code: open.code, expiry: open.expiry, batch: open.batch, units };
  }
  return { kind: "box", product: p, ...newCode(st, p, saleTime) };
}

function pickDoctor(rng: Rng, clinic: Clinic): Doctor {
  let u = rng();
  for (const d of clinic.doctors) {
    u -= d.share;
    if (u <= 0) return d;
  }
  return clinic.doctors[clinic.doctors.length - 1];
}

/** Open time of a daytime visit: morning peak, quieter afternoon (07:30-19:30 local). */
function daytimeMinute(rng: Rng): number {
  return rng() < 0.6 ? 450 + Math.floor(rng() * 270) : 780 + Math.floor(rng() * 390);
}

export function planSession(st: PlanState, clinic: Clinic, day: number, start: number): PlannedSession {
  const doctor = pickDoctor(st.rng, clinic);
  const s: PlannedSession = { clinic, doctor, day, start, items: [], undoLast: false };
  if (st.rng() < 0.8) {
    const pool = patientsOf(st, clinic);
    // chronic patients come back often: favour the head of the pool
    s.patient = pool[Math.floor(pool.length * Math.pow(st.rng(), 2))];
  } else {
    s.rx = "RX" + randChars(st.rng, "0123456789", 12);
  }
  const n = 1 + poisson(st.rng, clinic.boxesPerSession - 1);
  for (let i = 0; i < n; i++) s.items.push(planItem(st, clinic, pickProduct(st, clinic), start));
  s.undoLast = st.rng() < 0.01 && s.items.length > 1;
  return s;
}

/** Multiplier of visits by local weekday (0 = Sunday). */
const WEEKDAY = [0.55, 1.05, 1, 1, 1, 1.1, 0.7];

/** Normal sessions of one clinic on one day. `dayStartSec`: local midnight. `wave`: county-wide flu factor. */
export function planDay(st: PlanState, clinic: Clinic, day: number, dayStartSec: number, weekday: number, wave: number): PlannedSession[] {
  const dayNoise = Math.exp(0.25 * Math.sqrt(-2 * Math.log(Math.max(st.rng(), 1e-12))) * Math.cos(2 * Math.PI * st.rng()));
  const n = poisson(st.rng, clinic.size * WEEKDAY[weekday] * wave * dayNoise);
  const sessions: PlannedSession[] = [];
  for (let i = 0; i < n; i++) sessions.push(planSession(st, clinic, day, dayStartSec + daytimeMinute(st.rng) * 60 + randInt(st.rng, 0, 59)));
  if (st.rng() < clinic.lateVisitRate) {
    // an emergency after hours: 20:30 to 00:30
    sessions.push(planSession(st, clinic, day, dayStartSec + (1230 + Math.floor(st.rng() * 240)) * 60));
  }
  return sessions;
}
