// planScenario: a validated scenario and a seed in, the exact time-ordered plan of every
// board out, with the ground truth. Same scenario and seed, same plan, byte for byte.
import { BoardTimeline } from "./board-timeline";
import { resolveClinics, type ResolvedClinic } from "./clinics";
import { BoxFactory, type Box } from "./codes";
import { DAY_MS, localMidnightMs, parseHhMm } from "./clock";
import { sample } from "./dist";
import { injectFraud } from "./fraud";
import { linkIntervals } from "./link-windows";
import { findSlot, nextRx, pickDrug, type PlanContext } from "./plan-context";
import { deriveSeed, mulberry32, pick, poisson, randInt, type Rng } from "./prng";
import { writeSession, type SessionLine } from "./session";
import type { PowerSpec, Scenario, ScenarioPlan } from "./types";

const DEFAULT_CUT_SECONDS = { kind: "uniform", min: 5, max: 600 } as const;

function planPower(ctx: PlanContext, clinic: ResolvedClinic): number {
  const days = ctx.scenario.days;
  const fixed = (ctx.scenario.power?.at ?? []).filter((c) => c.clinic === undefined || c.clinic === clinic.id);
  const own: PowerSpec = clinic.power;
  if (own !== ctx.scenario.power) fixed.push(...(own.at ?? []).filter((c) => c.clinic === undefined || c.clinic === clinic.id));
  let cuts = 0;
  for (const b of clinic.boards) {
    const tl = ctx.timelines.get(b.device)!;
    const rng = mulberry32(deriveSeed(ctx.seed, "power/" + b.device));
    for (const c of fixed) {
      const off = ctx.startMs + c.day * DAY_MS + parseHhMm(c.time) * 60_000;
      const on = off + c.seconds * 1000;
      if (c.day < days && tl.isFree(off, on)) {
        tl.powerCut(off, on);
        cuts++;
      }
    }
    const n = poisson(rng, (own.cutsPerDay ?? 0) * days);
    for (let i = 0; i < n; i++) {
      const off = ctx.startMs + Math.floor(rng() * (days * DAY_MS - 3_600_000));
      const on = off + Math.max(1, sample(rng, own.cutSeconds ?? DEFAULT_CUT_SECONDS)) * 1000;
      if (tl.isFree(off, on)) {
        tl.powerCut(off, on);
        cuts++;
      }
    }
  }
  return cuts;
}

function planLinks(ctx: PlanContext, clinic: ResolvedClinic): void {
  const intervals = linkIntervals(clinic.link, ctx.startMs, ctx.scenario.days);
  for (const b of clinic.boards) {
    const tl = ctx.timelines.get(b.device)!;
    for (const [up, down] of intervals) {
      tl.event({ t: up, type: "link", up: true });
      tl.event({ t: down, type: "link", up: false });
    }
  }
}

interface Slot {
  board: string;
  start: number;
  boxes: number;
  noCode: boolean;
  retail: boolean;
  close: "button" | "timeout";
}

/** One clinic's ordinary day: sessions spread over its boards and opening hours. */
function planClinicDay(ctx: PlanContext, clinic: ResolvedClinic, clinicIndex: number, day: number, stock: Map<string, Box>, allPatients: { token: string; home: string }[]): number {
  const rng: Rng = mulberry32(deriveSeed(ctx.seed, "day" + day + "/" + clinic.id));
  const d = clinic.dispensing;
  const wanted = sample(rng, d.sessionsPerDay);
  const slots: Slot[] = [];
  for (let i = 0; i < wanted; i++) {
    const boxes = Math.max(1, sample(rng, d.boxesPerSession));
    const noCode = ctx.noCodeDrugs.length > 0 && rng() < d.noCodeShare;
    const retail = rng() < d.retailMisscanShare;
    const close = rng() < d.buttonCloseShare ? "button" : "timeout";
    const board = pick(rng, clinic.boards).device;
    const start = findSlot(rng, ctx.timelines.get(board)!, ctx, day, d.openingHours, boxes + (noCode ? 1 : 0) + (retail ? 1 : 0), close);
    if (start !== null) slots.push({ board, start, boxes, noCode, retail, close });
  }
  if (slots.length < wanted) ctx.notes.push(clinic.id + " day " + day + ": " + (wanted - slots.length) + " of " + wanted + " sessions found no free time");
  // Filled in time order, so a split box is opened before it is split again.
  slots.sort((a, b) => a.start - b.start || (a.board < b.board ? -1 : 1));
  for (const slot of slots) {
    const tl = ctx.timelines.get(slot.board)!;
    const lines: SessionLine[] = [];
    const inSession = new Set<string>();
    for (let k = 0; k < slot.boxes; k++) {
      const drug = pickDrug(rng, ctx.codedDrugs);
      const undo = rng() < d.undoShare;
      if (drug.splittable && rng() < d.splitShare) {
        // The board refuses one box twice in a session: a second split line opens a new box.
        const open = stock.get(drug.catalogue);
        const box = open && !inSession.has(open.key) ? open : ctx.boxes.newBox(drug);
        inSession.add(box.key);
        const units = randInt(rng, 1, Math.min(box.unitsLeft, Math.max(1, Math.floor(drug.packUnits / 2))));
        // A withdrawn split leaves the units in the box.
        if (!undo) box.unitsLeft -= units;
        if (box.unitsLeft > 0) stock.set(drug.catalogue, box);
        else stock.delete(drug.catalogue);
        lines.push({ kind: "box", box, splitUnits: units, undo });
      } else {
        lines.push({ kind: "box", box: ctx.boxes.newBox(drug), undo });
      }
    }
    if (slot.noCode) lines.splice(randInt(rng, 0, lines.length), 0, { kind: "nocode", drug: pickDrug(rng, ctx.noCodeDrugs), qty: randInt(rng, 1, 3), undo: rng() < d.undoShare });
    if (slot.retail) lines.splice(randInt(rng, 0, lines.length), 0, { kind: "retail" });
    const byVoucher = rng() < d.voucherShare;
    let opener: string;
    if (byVoucher) {
      const away = allPatients.length > clinic.patients.length && rng() < d.awayShare;
      let p = away ? pick(rng, allPatients) : pick(rng, clinic.patients);
      if (away && p.home === clinic.id) p = pick(rng, clinic.patients);
      opener = p.token;
    } else {
      opener = nextRx(ctx, clinicIndex, day);
    }
    const written = writeSession(tl, rng, slot.start, { openBy: byVoucher ? "voucher" : "rx", opener, lines, close: slot.close }, ctx.rejections);
    written.lines.forEach((l, i) => {
      const line = lines[i];
      if (line.kind === "box" && line.splitUnits === undefined && !line.undo && l.record && l.raw) tl.soldBoxes.push({ record: l.record, raw: l.raw, box: line.box });
    });
  }
  return slots.length;
}

export function planScenario(scenario: Scenario, seed?: number): ScenarioPlan {
  const useSeed = (seed ?? scenario.seed ?? 1) >>> 0;
  const startMs = localMidnightMs(scenario.startDate);
  if (Number.isNaN(startMs)) throw new RangeError("scenario.startDate is not a date; validate the scenario first");
  const clinics = resolveClinics(scenario, useSeed);
  const ctx: PlanContext = {
    scenario,
    seed: useSeed,
    startMs,
    clinics,
    timelines: new Map(),
    boxes: new BoxFactory(mulberry32(deriveSeed(useSeed, "boxes")), +scenario.startDate.slice(0, 4)),
    codedDrugs: scenario.catalogue.filter((d) => !d.noCode),
    noCodeDrugs: scenario.catalogue.filter((d) => d.noCode),
    rejections: [],
    alerts: [],
    notes: [],
    rxCounter: new Map(),
    fraudKeys: new Set(),
  };
  if (ctx.codedDrugs.length === 0) throw new RangeError("the catalogue needs at least one drug with a code");
  for (const c of clinics) for (const b of c.boards) ctx.timelines.set(b.device, new BoardTimeline(b));

  let powerCuts = 0;
  for (const c of clinics) {
    powerCuts += planPower(ctx, c);
    planLinks(ctx, c);
  }
  const allPatients = clinics.flatMap((c) => c.patients);
  const stocks = clinics.map(() => new Map<string, Box>());
  let sessions = 0;
  for (let day = 0; day < scenario.days; day++) {
    clinics.forEach((c, i) => {
      sessions += planClinicDay(ctx, c, i, day, stocks[i], allPatients);
    });
  }
  sessions += injectFraud(ctx);

  const boards = clinics.flatMap((c) => c.boards);
  for (const tl of ctx.timelines.values()) tl.finish();
  const records = boards.flatMap((b) => ctx.timelines.get(b.device)!.records).sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : 1));
  const codes = new Set<string>();
  let scans = 0;
  for (const b of boards) for (const e of b.events) if (e.type === "scan") scans++;
  for (const r of records) if (r.code !== undefined && (r.event === 2 || r.event === 3)) codes.add(r.code);
  ctx.alerts.sort((a, b) => a.t - b.t);
  ctx.rejections.sort((a, b) => a.t - b.t);
  return {
    scenario: scenario.name,
    seed: useSeed,
    startMs,
    endMs: startMs + scenario.days * DAY_MS,
    boards,
    truth: { records, rejections: ctx.rejections, alerts: ctx.alerts },
    notes: ctx.notes,
    summary: { clinics: clinics.length, boards: boards.length, sessions, scans, records: records.length, boxes: codes.size, powerCuts, alerts: ctx.alerts.length },
  };
}
