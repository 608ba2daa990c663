// Fraud injectors: each alters the normal plan in one recognisable way and records a label
// naming the clinic-days, doctor-days and (after materialising) the records it touched.
import { pick, randChars, randInt } from "../scenario/prng";
import { HIGH_PRICE } from "./catalogue";
import { newCode, patientsOf, pickProduct, planItem, planSession, type PlanState, type PlannedSession } from "./plan";
import type { Clinic, FraudLabel, FraudPattern } from "./types";

export interface InjectContext {
  st: PlanState;
  plan: PlannedSession[];
  clinics: Clinic[];
  days: number;
  warmupDays: number;
  dayStarts: number[];
  dayNames: string[];
  labels: FraudLabel[];
}

function label(ctx: InjectContext, pattern: FraudPattern): number {
  ctx.labels.push({ pattern, clinicDays: [], doctorDays: [], records: [] });
  return ctx.labels.length - 1;
}

function touch(ctx: InjectContext, li: number, s: PlannedSession): void {
  const l = ctx.labels[li];
  const cd = s.clinic.institution + "|" + ctx.dayNames[s.day];
  const dd = s.doctor.operator + "|" + ctx.dayNames[s.day];
  if (!l.clinicDays.includes(cd)) l.clinicDays.push(cd);
  if (!l.doctorDays.includes(dd)) l.doctorDays.push(dd);
}

function fraudDay(ctx: InjectContext, minDay = ctx.warmupDays): number {
  return randInt(ctx.st.rng, Math.min(minDay, ctx.days - 1), ctx.days - 1);
}

function sessionsOf(ctx: InjectContext, clinic: Clinic, day: number): PlannedSession[] {
  return ctx.plan.filter((s) => s.clinic === clinic && s.day === day && s.fraud === undefined);
}

/** Boxes sold earlier at one clinic turn up again at another within days. */
function doubleSale(ctx: InjectContext): void {
  const { st } = ctx;
  const li = label(ctx, "double-sale");
  const boxes = ctx.plan.filter((s) => s.day >= ctx.warmupDays - 5 && s.day < ctx.days - 1).flatMap((s) => s.items.filter((i) => i.kind === "box" && i.fraud === undefined).map((i) => ({ s, i })));
  const first = pick(st.rng, boxes);
  const others = ctx.clinics.filter((c) => c !== first.s.clinic);
  const clinic = pick(st.rng, others);
  const day = Math.min(ctx.days - 1, Math.max(ctx.warmupDays, first.s.day + randInt(st.rng, 1, 5)));
  const targets = sessionsOf(ctx, clinic, day);
  const n = randInt(st.rng, 1, 3);
  const sameDay = boxes.filter((b) => b.s.clinic === first.s.clinic && b.s.day === first.s.day && b.i !== first.i);
  const sold = [first, ...sameDay.slice(0, n - 1)];
  for (const b of sold) {
    const s = targets.length ? pick(st.rng, targets) : planSession(st, clinic, day, ctx.dayStarts[day] + 10 * 3600);
    if (!targets.length) ctx.plan.push(s);
    s.items.push({ kind: "box", product: b.i.product, code: b.i.code, expiry: b.i.expiry, batch: b.i.batch, fraud: li });
    touch(ctx, li, s);
  }
}

/** Sessions nobody attended, keyed in between 23:00 and 04:00 with invented prescriptions. */
function nightPhantom(ctx: InjectContext): void {
  const { st } = ctx;
  const li = label(ctx, "night-phantom");
  const clinic = pick(st.rng, ctx.clinics);
  const day = fraudDay(ctx);
  const k = randInt(st.rng, 4, 9);
  for (let i = 0; i < k; i++) {
    const start = ctx.dayStarts[day] + 23 * 3600 + randInt(st.rng, 0, 5 * 3600 - 1);
    const s = planSession(st, clinic, day, start);
    s.patient = undefined;
    s.rx = "RX" + randChars(st.rng, "0123456789", 12);
    s.items = [];
    const n = randInt(st.rng, 1, 3);
    for (let j = 0; j < n; j++) s.items.push({ ...planItem(st, clinic, pickProduct(st, clinic), start), fraud: li });
    s.undoLast = false;
    s.fraud = li;
    ctx.plan.push(s);
    touch(ctx, li, s);
  }
}

/** One doctor adds armfuls of boxes to many of their sessions over a few days. */
function bulkDoctor(ctx: InjectContext): void {
  const { st } = ctx;
  const li = label(ctx, "bulk-doctor");
  const clinic = pick(st.rng, ctx.clinics);
  const doctor = pick(st.rng, clinic.doctors);
  const first = fraudDay(ctx);
  const span = randInt(st.rng, 1, 3);
  for (let day = first; day < Math.min(ctx.days, first + span); day++) {
    const mine = sessionsOf(ctx, clinic, day).filter((s) => s.doctor === doctor);
    let bulked = 0;
    for (const s of mine) {
      if (st.rng() > 0.6 && bulked > 0) continue;
      const extra = randInt(st.rng, 5, 12);
      for (let j = 0; j < extra; j++) {
        const p = pickProduct(st, clinic);
        s.items.push({ kind: "box", product: p, ...newCode(st, p, s.start), fraud: li });
      }
      bulked++;
      touch(ctx, li, s);
    }
  }
}

/** A day where most of what leaves the counter is expensive. Boxes another injection put there, or
 * whose code another injection sells again (the first sale of a double sale), are left alone:
 * rewriting them would erase that other instance's evidence while its label still names it. */
function highPriceSkew(ctx: InjectContext): void {
  const { st } = ctx;
  const li = label(ctx, "high-price-skew");
  const clinic = pick(st.rng, ctx.clinics);
  const day = fraudDay(ctx);
  const share = 0.4 + 0.3 * st.rng();
  const reused = new Set(ctx.plan.flatMap((s) => s.items.filter((i) => i.fraud !== undefined && i.code !== undefined).map((i) => i.code as string)));
  for (const s of sessionsOf(ctx, clinic, day)) {
    let touched = false;
    for (let j = 0; j < s.items.length; j++) {
      const it = s.items[j];
      if (it.kind !== "box" || it.fraud !== undefined || (it.code !== undefined && reused.has(it.code))) continue;
      if (it.product.price >= HIGH_PRICE || st.rng() > share) continue;
      const p = pickProduct(st, clinic, true);
      s.items[j] = { kind: "box", product: p, ...newCode(st, p, s.start), fraud: li };
      touched = true;
    }
    if (touched) touch(ctx, li, s);
  }
}

/** A device pushes boxes it sold one to three weeks ago through the counter again. */
function replayDevice(ctx: InjectContext): void {
  const { st } = ctx;
  const li = label(ctx, "replay-device");
  const day = fraudDay(ctx, Math.max(ctx.warmupDays, 10));
  const clinic = pick(st.rng, ctx.clinics);
  const doctor = pick(st.rng, clinic.doctors);
  const old = ctx.plan.filter((s) => s.doctor === doctor && s.day <= day - 8 && s.day >= day - 20).flatMap((s) => s.items.filter((i) => i.kind === "box" && i.fraud === undefined));
  const targets = sessionsOf(ctx, clinic, day).filter((s) => s.doctor === doctor);
  if (!old.length) return;
  const n = Math.min(old.length, randInt(st.rng, 3, 6));
  for (let i = 0; i < n; i++) {
    const it = old[Math.floor(st.rng() * old.length)];
    let s = targets.length ? pick(st.rng, targets) : undefined;
    if (!s) {
      s = planSession(st, clinic, day, ctx.dayStarts[day] + 9 * 3600 + i * 600);
      s.doctor = doctor;
      ctx.plan.push(s);
      targets.push(s);
    }
    s.items.push({ kind: "box", product: it.product, code: it.code, expiry: it.expiry, batch: it.batch, fraud: li });
    touch(ctx, li, s);
  }
}

/** One voucher token opens sessions at three or four clinics on the same day. */
function patientHopping(ctx: InjectContext): void {
  const { st } = ctx;
  const li = label(ctx, "patient-hopping");
  const home = pick(st.rng, ctx.clinics);
  const patient = pick(st.rng, patientsOf(st, home));
  const day = fraudDay(ctx);
  const visited = [home, ...ctx.clinics.filter((c) => c !== home).sort(() => st.rng() - 0.5).slice(0, randInt(st.rng, 2, 3))];
  visited.forEach((clinic, i) => {
    const s = planSession(st, clinic, day, ctx.dayStarts[day] + (8 + 2 * i) * 3600 + randInt(st.rng, 0, 3000));
    s.patient = patient;
    s.rx = undefined;
    s.undoLast = false;
    s.fraud = li;
    for (const it of s.items) it.fraud = li;
    ctx.plan.push(s);
    touch(ctx, li, s);
  });
}

export const INJECTORS: Record<FraudPattern, (ctx: InjectContext) => void> = {
  "double-sale": doubleSale,
  "night-phantom": nightPhantom,
  "bulk-doctor": bulkDoctor,
  "high-price-skew": highPriceSkew,
  "replay-device": replayDevice,
  "patient-hopping": patientHopping,
};
