// What the planning steps share: the resolved clinics, every board's timeline, the box
// factory and the ground truth collected so far.
import type { BoardTimeline } from "./board-timeline";
import type { ResolvedClinic } from "./clinics";
import { prescriptionNumber, type BoxFactory } from "./codes";
import { DAY_MS, parseWindow } from "./clock";
import { randInt, type Rng } from "./prng";
import { sessionReserveMs } from "./session";
import type { DrugSpec, ExpectedAlert, ExpectedRejection, Scenario } from "./types";

export interface PlanContext {
  scenario: Scenario;
  seed: number;
  startMs: number;
  clinics: ResolvedClinic[];
  timelines: Map<string, BoardTimeline>;
  boxes: BoxFactory;
  codedDrugs: DrugSpec[];
  noCodeDrugs: DrugSpec[];
  rejections: ExpectedRejection[];
  alerts: ExpectedAlert[];
  notes: string[];
  /** Box keys already taken by a fraud injection. */
  fraudKeys: Set<string>;
  /** Prescription numbers issued per clinic and day. */
  rxCounter: Map<string, number>;
}

/** Local date "YYYY-MM-DD" of plan day `day`. */
export function localDate(ctx: PlanContext, day: number): string {
  return new Date(ctx.startMs + day * DAY_MS + 8 * 3600_000).toISOString().slice(0, 10);
}

export function nextRx(ctx: PlanContext, clinicIndex: number, day: number): string {
  const k = clinicIndex + "/" + day;
  const n = (ctx.rxCounter.get(k) ?? 0) + 1;
  ctx.rxCounter.set(k, n);
  return prescriptionNumber(localDate(ctx, day), clinicIndex, n);
}

/** A drug drawn by catalogue weight. */
export function pickDrug(rng: Rng, drugs: DrugSpec[]): DrugSpec {
  let total = 0;
  for (const d of drugs) total += d.weight ?? 1;
  let x = rng() * total;
  for (const d of drugs) {
    x -= d.weight ?? 1;
    if (x < 0) return d;
  }
  return drugs[drugs.length - 1];
}

/** A free start for a session of `lines` lines on `tl` within the local windows of `day`
 * (minutes after midnight, may pass midnight), not before `notBefore`; null after `attempts`. */
export function findSlot(rng: Rng, tl: BoardTimeline, ctx: PlanContext, day: number, windows: string[], lines: number, close: "button" | "timeout", notBefore = 0, attempts = 12): number | null {
  const wins = windows.map((w) => parseWindow(w)).filter((w): w is { from: number; to: number } => w !== null);
  if (wins.length === 0) return null;
  const dayStart = ctx.startMs + day * DAY_MS;
  const endOfPlan = ctx.startMs + ctx.scenario.days * DAY_MS;
  const reserve = sessionReserveMs(lines, close);
  for (let i = 0; i < attempts; i++) {
    const w = wins[randInt(rng, 0, wins.length - 1)];
    const start = dayStart + w.from * 60_000 + randInt(rng, 0, Math.max(0, (w.to - w.from) * 60 - 60)) * 1000;
    if (start < notBefore || start + reserve > endOfPlan) continue;
    if (tl.isFree(start, start + reserve)) {
      tl.reserve(start, start + reserve);
      return start;
    }
  }
  return null;
}
