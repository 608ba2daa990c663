// Injected fraud patterns: sessions added on top of the ordinary days, each with the alert
// the gateway is expected to raise for it.
import type { BoardTimeline } from "./board-timeline";
import type { ResolvedClinic } from "./clinics";
import { readerString } from "./codes";
import { DAY_MS } from "./clock";
import { findSlot, nextRx, pickDrug, type PlanContext } from "./plan-context";
import { deriveSeed, mulberry32, pick, randInt, type Rng } from "./prng";
import { writeSession, type SessionLine } from "./session";
import type { FraudSpec } from "./types";

const NIGHT = ["00:30-04:30"];
/** A doctor dispensing in bulk works long hours, beyond the clinic's opening times. */
const LONG_DAY = ["07:00-22:00"];

function clinicOf(ctx: PlanContext, rng: Rng, id: string | undefined): { clinic: ResolvedClinic; index: number } {
  const index = id === undefined ? randInt(rng, 0, ctx.clinics.length - 1) : ctx.clinics.findIndex((c) => c.id === id);
  return { clinic: ctx.clinics[index], index };
}

function timeline(ctx: PlanContext, rng: Rng, clinic: ResolvedClinic): BoardTimeline {
  return ctx.timelines.get(pick(rng, clinic.boards).device)!;
}

function newBoxes(ctx: PlanContext, rng: Rng, n: number): SessionLine[] {
  const lines: SessionLine[] = [];
  for (let i = 0; i < n; i++) lines.push({ kind: "box", box: ctx.boxes.newBox(pickDrug(rng, ctx.codedDrugs)) });
  return lines;
}

/** Keys already used by an injection, so two patterns never share a box. */
function used(ctx: PlanContext): Set<string> {
  return ctx.fraudKeys;
}

function twoClinicSale(ctx: PlanContext, rng: Rng, n: number): number {
  const all = [...ctx.timelines.values()].flatMap((tl) => tl.soldBoxes.map((s) => ({ tl, s })));
  let placed = 0;
  for (let k = 0; k < n; k++) {
    let done = false;
    for (let attempt = 0; attempt < 20 && !done && all.length > 0; attempt++) {
      const { tl: first, s } = pick(rng, all);
      if (used(ctx).has(s.box.key)) continue;
      const others = ctx.clinics.filter((c) => c.id !== first.board.clinic);
      if (others.length === 0) break;
      const target = pick(rng, others);
      const tl = timeline(ctx, rng, target);
      const firstDay = Math.floor((s.record.t - ctx.startMs) / DAY_MS);
      for (let day = firstDay; day < ctx.scenario.days && !done; day++) {
        const start = findSlot(rng, tl, ctx, day, target.dispensing.openingHours, 1, "button", s.record.t + 3_600_000);
        if (start === null) continue;
        used(ctx).add(s.box.key);
        const w = writeSession(tl, rng, start, { openBy: "voucher", opener: pick(rng, target.patients).token, lines: [{ kind: "box", box: s.box, raw: readerString(rng, s.box) }], close: "button", fraud: "two-clinic-sale" }, ctx.rejections);
        const resale = w.lines[0].record!;
        ctx.alerts.push({ fraud: "two-clinic-sale", kinds: ["duplicate-sale"], devices: [first.board.device, tl.board.device], codes: [s.box.key], t: resale.t });
        done = true;
        placed++;
      }
    }
    if (!done) ctx.notes.push("two-clinic-sale: could not place resale " + (k + 1) + " of " + n);
  }
  return placed;
}

function nightPhantom(ctx: PlanContext, rng: Rng, spec: { clinic?: string; count: number; day?: number }): number {
  const { clinic, index } = clinicOf(ctx, rng, spec.clinic);
  const tl = timeline(ctx, rng, clinic);
  let placed = 0;
  for (let k = 0; k < spec.count; k++) {
    const day = spec.day ?? randInt(rng, 0, ctx.scenario.days - 1);
    const lines = newBoxes(ctx, rng, randInt(rng, 1, 3));
    const start = findSlot(rng, tl, ctx, day, NIGHT, lines.length, "button", 0, 40);
    if (start === null) {
      ctx.notes.push("night-phantom: no free night time on " + tl.board.device + " day " + day);
      continue;
    }
    const w = writeSession(tl, rng, start, { openBy: "rx", opener: nextRx(ctx, index, day), lines, close: "button", fraud: "night-phantom" }, ctx.rejections);
    ctx.alerts.push({ fraud: "night-phantom", kinds: ["odd-hours"], devices: [tl.board.device], codes: w.lines.map((l) => l.record!.code!), t: w.open.t });
    placed++;
  }
  return placed;
}

function bulkDoctor(ctx: PlanContext, rng: Rng, spec: { clinic?: string; day?: number; sessions: number; boxesPerSession: number }): number {
  const { clinic, index } = clinicOf(ctx, rng, spec.clinic);
  const tl = timeline(ctx, rng, clinic);
  const day = spec.day ?? randInt(rng, 0, ctx.scenario.days - 1);
  const codes: string[] = [];
  let placed = 0;
  let lastT = 0;
  for (let k = 0; k < spec.sessions; k++) {
    const lines = newBoxes(ctx, rng, spec.boxesPerSession);
    const start = findSlot(rng, tl, ctx, day, LONG_DAY, lines.length, "button", 0, 60);
    if (start === null) continue;
    const w = writeSession(tl, rng, start, { openBy: "rx", opener: nextRx(ctx, index, day), lines, close: "button", fraud: "bulk-doctor" }, ctx.rejections);
    for (const l of w.lines) codes.push(l.record!.code!);
    lastT = Math.max(lastT, w.endMs);
    placed++;
  }
  if (placed < spec.sessions) ctx.notes.push("bulk-doctor: placed " + placed + " of " + spec.sessions + " sessions on " + tl.board.device);
  if (placed > 0) ctx.alerts.push({ fraud: "bulk-doctor", kinds: ["anomaly"], devices: [tl.board.device], codes, t: lastT });
  return placed;
}

function replayDevice(ctx: PlanContext, rng: Rng, spec: { clinic?: string; count: number; day?: number }): number {
  const day = spec.day ?? randInt(rng, 1, ctx.scenario.days - 1);
  const dayStart = ctx.startMs + day * DAY_MS;
  const { clinic, index } = clinicOf(ctx, rng, spec.clinic);
  // The board of the clinic with the most earlier sales to replay.
  const candidates = clinic.boards.map((b) => ctx.timelines.get(b.device)!);
  const earlier = (tl: BoardTimeline) => tl.soldBoxes.filter((s) => s.record.t < dayStart && !used(ctx).has(s.box.key));
  candidates.sort((a, b) => earlier(b).length - earlier(a).length);
  const tl = candidates[0];
  const pool = earlier(tl);
  const chosen: typeof pool = [];
  while (chosen.length < spec.count && pool.length > 0) chosen.push(pool.splice(randInt(rng, 0, pool.length - 1), 1)[0]);
  if (chosen.length < spec.count) ctx.notes.push("replay-device: only " + chosen.length + " of " + spec.count + " earlier sales to replay on " + tl.board.device);
  if (chosen.length === 0) return 0;
  const start = findSlot(rng, tl, ctx, day, clinic.dispensing.openingHours, chosen.length, "button", 0, 60);
  if (start === null) {
    ctx.notes.push("replay-device: no free time on " + tl.board.device + " day " + day);
    return 0;
  }
  for (const c of chosen) used(ctx).add(c.box.key);
  // The very same reader strings again: old reads fed back in.
  const lines: SessionLine[] = chosen.map((c) => ({ kind: "box", box: c.box, raw: c.raw }));
  const w = writeSession(tl, rng, start, { openBy: "rx", opener: nextRx(ctx, index, day), lines, close: "button", fraud: "replay-device" }, ctx.rejections);
  for (const l of w.lines) {
    // The board refuses a box it still remembers dispensing; once the first sale is acked and
    // its flash reclaimed, only the gateway can catch the replay.
    l.record!.outcome = "accepted-or-refused";
    ctx.alerts.push({ fraud: "replay-device", kinds: ["duplicate-sale", "replay"], devices: [tl.board.device], codes: [l.record!.code!], t: l.record!.t, onlyIfAccepted: true });
  }
  return 1;
}

/** Adds every fraud pattern of the scenario; returns the number of sessions added. */
export function injectFraud(ctx: PlanContext): number {
  let sessions = 0;
  (ctx.scenario.fraud ?? []).forEach((f: FraudSpec, i) => {
    const rng = mulberry32(deriveSeed(ctx.seed, "fraud/" + i + "/" + f.kind));
    if (f.kind === "two-clinic-sale") sessions += twoClinicSale(ctx, rng, f.count);
    else if (f.kind === "night-phantom") sessions += nightPhantom(ctx, rng, f);
    else if (f.kind === "bulk-doctor") sessions += bulkDoctor(ctx, rng, f);
    else sessions += replayDevice(ctx, rng, f);
  });
  return sessions;
}
