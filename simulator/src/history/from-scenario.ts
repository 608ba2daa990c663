// Normal history and a price catalogue for a fleet scenario, so a simulated county's gateway can
// run the learned fraud model: the scenario is planned without its fraud, over enough days and
// enough copies of its clinics to learn from, and the records its boards would journal become
// the rows the gateway would have stored (per-device sequence numbers, sessions, arrival at the
// board's next link window, and an unset clock for records made in a boot before its first link). The catalogue lists each drug's price under the product the
// gateway's features look up (cn20 prefix, GTIN, or the no-code catalogue code).
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { CatalogueEntry } from "../../../gateway/src/fraud/catalogue";
import type { FraudRow } from "../../../gateway/src/fraud/types";
import { EV_OPEN, EV_UNDO, OPEN_BY_RX, OPEN_BY_VOUCHER } from "../../../protocol/src/record";
import { planScenario, type Scenario } from "../scenario/index";
import type { ExpectedRecord, PlannedBoard } from "../scenario/types";

/** The catalogue file (gateway setting fraud.catalogueFile) for a scenario's drugs. */
export function scenarioCatalogue(scenario: Pick<Scenario, "catalogue">): CatalogueEntry[] {
  const out: CatalogueEntry[] = [];
  const seen = new Set<string>();
  for (const d of scenario.catalogue) {
    const product = d.noCode ? d.catalogue : (d.gtin ?? d.cn20Prefix);
    if (!product || seen.has(product)) continue;
    seen.add(product);
    out.push({ product, price: d.price });
  }
  return out;
}

export function writeScenarioCatalogue(scenario: Pick<Scenario, "catalogue">, file: string): number {
  const entries = scenarioCatalogue(scenario);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(entries, null, 1) + "\n");
  return entries.length;
}

export interface ScenarioHistoryOptions {
  /** Plan seeds: each gives the scenario's clinics once more, under their own names (default [1]). */
  seeds?: number[];
  /** Days planned per seed (default 28: 7 of history for the trailing figures, 21 to learn from). */
  days?: number;
}

/** Patient hash as the board journals it: 16 hex characters, stable for one voucher token. */
function patientHash(token: string): string {
  return createHash("sha256").update(token).digest("hex").slice(0, 16);
}

/** For a record made at `t`: when it reaches the gateway (the first moment at or after it that the
 * board's link is up; null: not within the plan), the boot it was made in, and whether the board's
 * clock was set then (the gateway sets it when the link comes up; a power cut loses it). */
function boardTimes(board: PlannedBoard, startMs: number): (t: number) => { arrival: number | null; boot: number; bootAt: number; trusted: boolean } {
  const windows: { from: number; to: number }[] = [];
  const boots: number[] = [startMs];
  let upSince: number | null = null;
  for (const e of [...board.events].sort((x, y) => x.t - y.t)) {
    if (e.type === "power" && e.on) boots.push(e.t);
    if (e.type !== "link") continue;
    if (e.up && upSince === null) upSince = e.t;
    else if (!e.up && upSince !== null) {
      windows.push({ from: upSince, to: e.t });
      upSince = null;
    }
  }
  if (upSince !== null) windows.push({ from: upSince, to: Infinity });
  return (t) => {
    let boot = 0;
    while (boot + 1 < boots.length && boots[boot + 1] <= t) boot++;
    const bootAt = boots[boot];
    let arrival: number | null = null;
    let trusted = false;
    for (const w of windows) {
      if (w.from <= t && w.to > bootAt) trusted = true;
      if (arrival === null) {
        if (t < w.from) arrival = w.from;
        else if (t < w.to) arrival = t;
      }
    }
    return { arrival, boot: boot + 1, bootAt, trusted };
  };
}

function rowsOfPlan(boards: PlannedBoard[], records: ExpectedRecord[], startMs: number, tag: string): FraudRow[] {
  const boardOf = new Map(boards.map((b) => [b.device, b]));
  const byDevice = new Map<string, ExpectedRecord[]>();
  for (const r of records) {
    const l = byDevice.get(r.device);
    if (l) l.push(r);
    else byDevice.set(r.device, [r]);
  }
  const rows: FraudRow[] = [];
  for (const [device, list] of byDevice) {
    const board = boardOf.get(device);
    if (!board) continue;
    const timesOf = boardTimes(board, startMs);
    list.sort((a, b) => a.t - b.t);
    const seqOf = new Map<string, number>();
    list.forEach((r, i) => seqOf.set(r.id, i + 1));
    let lastArrival = 0;
    for (const r of list) {
      const { arrival: at, boot, bootAt, trusted } = timesOf(r.t);
      if (at === null) continue; // never reaches the gateway in the planned days
      const seq = seqOf.get(r.id) as number;
      const time = Math.floor(r.t / 1000);
      lastArrival = Math.max(lastArrival, Math.floor(at / 1000) + 5);
      const row: FraudRow = {
        seq,
        time,
        trusted,
        boot,
        uptime: Math.max(0, Math.floor((r.t - bootAt) / 1000)),
        event: r.event,
        session: r.session ? (seqOf.get(r.session) ?? 0) : 0,
        device: tag + device,
        institution: tag + board.institution,
        operator: tag + board.operator,
        receivedAt: lastArrival,
        correctedTime: time,
      };
      if (r.code !== undefined) row.code = r.code;
      if (r.batch !== undefined) row.batch = r.batch;
      if (r.expiry !== undefined) row.expiry = r.expiry;
      if (r.units !== undefined) row.units = r.units;
      if (r.perPack !== undefined) row.perPack = r.perPack;
      if (r.event === EV_UNDO && r.undoes) row.ref = seqOf.get(r.undoes) ?? 0;
      if (r.event === EV_OPEN) {
        row.openBy = r.openBy === "voucher" ? OPEN_BY_VOUCHER : OPEN_BY_RX;
        if (r.voucher) row.patient = patientHash(r.voucher);
        if (r.rx) row.rx = r.rx;
      }
      rows.push(row);
    }
  }
  // the store order: by arrival
  rows.sort((a, b) => a.receivedAt - b.receivedAt || a.correctedTime - b.correctedTime);
  return rows;
}

/** Rows of normal days for a scenario: planned without its fraud, one copy of its clinics per seed
 * (their names prefixed "s<seed>-" so the copies are different clinics, doctors and boards). */
export function scenarioHistory(scenario: Scenario, o: ScenarioHistoryOptions = {}): FraudRow[] {
  const seeds = o.seeds ?? [1];
  const days = o.days ?? 28;
  if (!Number.isInteger(days) || days < 1 || days > 366) throw new RangeError(`days must be 1..366, got ${days}`);
  if (!seeds.length) throw new RangeError("at least one seed");
  const normal: Scenario = { ...scenario, days, fraud: [] };
  const rows: FraudRow[] = [];
  for (const seed of seeds) {
    const plan = planScenario(normal, seed);
    rows.push(...rowsOfPlan(plan.boards, plan.truth.records, plan.startMs, seeds.length > 1 ? `s${seed}-` : ""));
  }
  if (seeds.length > 1) rows.sort((a, b) => a.receivedAt - b.receivedAt || a.correctedTime - b.correctedTime);
  return rows;
}
