// The run report: what the boards signalled, what the platform holds, the exactly-once audit,
// alerts expected vs raised, flash and sync figures. Pure: built from the results, printed by
// the CLI, asserted by the tests.
import type { PlatformSale } from "../../../protocol/src/platform";
import { businessDay } from "../../../gateway/src/fraud/features";
import { EV_DISPENSE, EV_NOCODE, EV_SPLIT, EV_UNDO, recordKey } from "../../../protocol/src/record";
import { auditExactlyOnce, type AuditReport } from "../platform/index";
import type { ScenarioPlan } from "../scenario/index";
import type { FleetResult } from "./fleet";

export interface AlertRow {
  /** The injected fraud pattern, or "(not injected)" for alerts of a kind nothing expected. */
  name: string;
  /** Alert kinds that would answer it. */
  kinds: string[];
  expected: number;
  /** Replays the board itself refused (it still remembered the first sale): nothing reached the gateway. */
  stoppedOnBoard: number;
  /** Of the rest, how many involve only boards with a link (the others cannot reach the gateway). */
  reachable: number;
  /** Expected alerts answered by a raised alert of a fitting kind, device and code. */
  raised: number;
}

/** An alert the gateway raised, as far as matching needs it. */
export interface RaisedAlert {
  kind: string;
  device?: string;
  code?: string;
  /** Alerts that stand for a whole night of a device (odd-hours): that night, "YYYY-MM-DD". */
  night?: string;
  /** Alerts that stand for a clinic-day or doctor-day (anomaly): that business day, "YYYY-MM-DD"... */
  day?: string;
  /** ...and the devices whose records the alert names. */
  devices?: string[];
}

export interface FlashFigures {
  kind: string;
  boards: number;
  maxBytes: number;
  p95Bytes: number;
}

export interface RunReport {
  scenario: string;
  seed: number;
  boards: number;
  scansMade: number;
  /** Records the boards signalled (every event, sessions included). */
  signalled: number;
  /** Signalled records that travel to the platform (dispense, split, no-code, undo). */
  accepted: number;
  /** Of those, on boards that could not reach the gateway (a Pico without a USB bridge): kept in their flash, not expected at the platform. */
  heldOnBoards: number;
  delivered: number;
  lost: number;
  duplicates: number;
  phantom: number;
  mismatched: number;
  /** Same sale key delivered again and absorbed by the platform (retransmissions). */
  redeliveries: number;
  /** Written to flash but power failed before the signal; delivered, not counted as accepted. */
  unsignalled: number;
  /** Signalled, then missing from the board at its next boot. */
  forgottenOnBoard: number;
  unexplainedSignals: number;
  uncaughtErrors: number;
  feedback: Record<string, number>;
  alerts: AlertRow[];
  flash: FlashFigures[];
  powerCuts: { inWrite: number; between: number };
  syncs: number;
  unfinishedSyncs: number;
  slowestSync: { device: string; seconds: number; records: number } | null;
  drained: boolean;
  aborted: boolean;
  virtualHours: number;
  wallSeconds: number;
  audit: AuditReport;
  passed: boolean;
  /** Why the run failed, one line each. */
  failures: string[];
}

const PLATFORM_BOUND = new Set<number>([EV_DISPENSE, EV_SPLIT, EV_NOCODE, EV_UNDO]);

function p95(xs: number[]): number {
  if (!xs.length) return 0;
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)];
}

export function buildReport(
  plan: ScenarioPlan,
  fleet: FleetResult,
  platform: { sales: PlatformSale[]; redeliveries: number },
  raisedAlerts: RaisedAlert[],
): RunReport {
  // Boards that could reach the gateway (older results without `linked`: the ESP32s).
  const linked = new Set(fleet.boards.filter((b) => b.linked ?? b.kind === "esp32").map((b) => b.device));
  const truth = fleet.boards.filter((b) => linked.has(b.device)).flatMap((b) => b.truth.records);
  // Records written but never signalled reach the platform too; they are known, not phantoms.
  const unsignalledKeys = new Set<string>();
  for (const b of fleet.boards) for (const q of b.truth.unsignalled) unsignalledKeys.add(recordKey(b.device, q));
  const sales = platform.sales.filter((s) => !unsignalledKeys.has(s.key));
  const audit = auditExactlyOnce(truth, sales);

  const feedback: Record<string, number> = {};
  for (const b of fleet.boards) for (const [k, n] of Object.entries(b.truth.feedback)) feedback[k] = (feedback[k] ?? 0) + n;

  // Sales each board signalled per code: a replay the board accepted shows as a second one.
  const salesOf = new Map<string, Map<string, number>>();
  for (const b of fleet.boards) {
    const m = new Map<string, number>();
    for (const r of b.truth.records) if (r.code && (r.event === EV_DISPENSE || r.event === EV_SPLIT)) m.set(r.code, (m.get(r.code) ?? 0) + 1);
    salesOf.set(b.device, m);
  }
  const alertRows = new Map<string, AlertRow>();
  const used = new Set<RaisedAlert>();
  for (const a of plan.truth.alerts) {
    const row = alertRows.get(a.fraud) ?? { name: a.fraud, kinds: a.kinds, expected: 0, stoppedOnBoard: 0, reachable: 0, raised: 0 };
    alertRows.set(a.fraud, row);
    row.expected++;
    if (a.onlyIfAccepted && a.codes.every((c) => (salesOf.get(a.devices[0])?.get(c) ?? 0) < 2)) {
      row.stoppedOnBoard++;
      continue;
    }
    if (a.devices.every((d) => linked.has(d))) row.reachable++;
    // An alert for a night answers every injected session of that device and night.
    const night = businessDay(Math.floor(a.t / 1000));
    // An alert for a clinic-day or doctor-day answers an injection on that business day that one of
    // its devices made; the doctor-day and the clinic-day alert of one injection both answer it.
    const units = raisedAlerts.filter((r) => r.day !== undefined && r.day === night && a.kinds.includes(r.kind as never) && a.devices.some((d) => r.devices?.includes(d)));
    if (units.length) {
      for (const r of units) used.add(r);
      row.raised++;
      continue;
    }
    const hit =
      raisedAlerts.find((r) => r.night !== undefined && r.night === night && a.kinds.includes(r.kind as never) && (!r.device || a.devices.includes(r.device))) ??
      raisedAlerts.find((r) => r.night === undefined && r.day === undefined && !used.has(r) && a.kinds.includes(r.kind as never) && (!r.code || a.codes.includes(r.code)) && (!r.device || a.devices.includes(r.device)));
    if (hit) {
      used.add(hit);
      row.raised++;
    }
  }
  // An anomaly alert on the day and board of another injected pattern (a resale's duplicate hit, a
  // phantom night) answers that injection too: it is not "not injected".
  for (const r of raisedAlerts) {
    if (r.day === undefined || used.has(r)) continue;
    if (plan.truth.alerts.some((a) => businessDay(Math.floor(a.t / 1000)) === r.day && a.devices.some((d) => r.devices?.includes(d)))) used.add(r);
  }
  const other = new Map<string, number>();
  for (const r of raisedAlerts) if (!used.has(r)) other.set(r.kind, (other.get(r.kind) ?? 0) + 1);
  for (const [k, n] of other) alertRows.set("other:" + k, { name: "(not injected)", kinds: [k], expected: 0, stoppedOnBoard: 0, reachable: 0, raised: n });

  const flash: FlashFigures[] = [];
  for (const kind of ["pico", "esp32"]) {
    const hw = fleet.boards.filter((b) => b.kind === kind).map((b) => b.highWaterBytes);
    if (hw.length) flash.push({ kind, boards: hw.length, maxBytes: Math.max(...hw), p95Bytes: p95(hw) });
  }
  const slowest = fleet.syncs.reduce<(typeof fleet.syncs)[number] | null>((m, s) => (!m || s.ms > m.ms ? s : m), null);
  const sum = (f: (b: FleetResult["boards"][number]) => number) => fleet.boards.reduce((n, b) => n + f(b), 0);
  const allRecords = fleet.boards.flatMap((b) => b.truth.records);
  const accepted = allRecords.filter((r) => PLATFORM_BOUND.has(r.event)).length;
  const report: RunReport = {
    scenario: plan.scenario,
    seed: plan.seed,
    boards: fleet.boards.length,
    scansMade: fleet.scansMade,
    signalled: allRecords.length,
    accepted,
    heldOnBoards: accepted - audit.expected,
    delivered: audit.matched + audit.mismatched,
    lost: audit.missing + sum((b) => b.truth.forgotten.length),
    duplicates: audit.duplicated,
    phantom: audit.phantom,
    mismatched: audit.mismatched,
    redeliveries: platform.redeliveries,
    unsignalled: unsignalledKeys.size,
    forgottenOnBoard: sum((b) => b.truth.forgotten.length),
    unexplainedSignals: sum((b) => b.truth.unexplained),
    uncaughtErrors: sum((b) => b.uncaughtErrors),
    feedback,
    alerts: [...alertRows.values()],
    flash,
    powerCuts: { inWrite: sum((b) => b.cutsInWrite), between: sum((b) => b.cutsBetween) },
    syncs: fleet.syncs.length,
    unfinishedSyncs: fleet.unfinishedSyncs,
    slowestSync: slowest ? { device: slowest.device, seconds: slowest.ms / 1000, records: slowest.records } : null,
    drained: fleet.drained,
    aborted: fleet.aborted,
    virtualHours: fleet.virtualMs / 3600_000,
    wallSeconds: fleet.wallMs / 1000,
    audit,
    passed: false,
    failures: [],
  };
  const f = report.failures;
  if (report.lost) f.push(`${report.lost} accepted record(s) lost (examples: ${audit.examples.missing.slice(0, 5).join(", ")})`);
  if (audit.duplicated) f.push(`${audit.duplicated} duplicated sale(s) at the platform (examples: ${audit.examples.duplicated.slice(0, 5).join(", ")})`);
  if (audit.phantom) f.push(`${audit.phantom} phantom sale(s) at the platform (examples: ${audit.examples.phantom.slice(0, 5).join(", ")})`);
  if (audit.mismatched) f.push(`${audit.mismatched} sale(s) differ from what was scanned`);
  if (report.forgottenOnBoard) f.push(`${report.forgottenOnBoard} signalled record(s) missing from a board's flash after a reboot`);
  if (report.uncaughtErrors) {
    const first = fleet.boards.find((b) => b.errors.length);
    f.push(`${report.uncaughtErrors} uncaught error(s) in the firmware` + (first ? ` (${first.device}: ${first.errors[0]})` : ""));
  }
  if (!fleet.drained && !fleet.aborted) f.push("sync and relay did not drain before the time limit");
  if (fleet.aborted) f.push("stopped before the end");
  report.passed = f.length === 0;
  return report;
}

function table(rows: (string | number)[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => (typeof c === "number" ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join("  ")).join("\n");
}

export function formatReport(r: RunReport): string {
  const lines: string[] = [];
  lines.push(`Scenario ${r.scenario} (seed ${r.seed}): ${r.boards} boards, ${r.virtualHours.toFixed(1)} h simulated in ${r.wallSeconds.toFixed(1)} s wall`);
  lines.push("");
  lines.push(
    table([
      ["figure", "value"],
      ["scans made", r.scansMade],
      ["records signalled (all events)", r.signalled],
      ["accepted (sales, no-code, undo)", r.accepted],
      ["  held on boards without a link", r.heldOnBoards],
      ["delivered to the platform", r.delivered],
      ["LOST", r.lost],
      ["duplicates at the platform", r.duplicates],
      ["phantom sales", r.phantom],
      ["content mismatches", r.mismatched],
      ["retransmissions absorbed", r.redeliveries],
      ["written, power lost before the beep", r.unsignalled],
      ["power cuts (in a write / between)", `${r.powerCuts.inWrite} / ${r.powerCuts.between}`],
      ["syncs completed (unfinished windows)", `${r.syncs} (${r.unfinishedSyncs})`],
      ["slowest sync", r.slowestSync ? `${r.slowestSync.seconds.toFixed(0)} s virtual (${r.slowestSync.device}, ${r.slowestSync.records} records)` : "-"],
      ["firmware uncaught errors", r.uncaughtErrors],
      ["unexplained signals", r.unexplainedSignals],
    ]),
  );
  lines.push("");
  lines.push(table([["alert", "kinds", "expected", "stopped on board", "reachable", "raised"], ...r.alerts.map((a) => [a.name, a.kinds.join("|"), a.expected, a.stoppedOnBoard, a.reachable, a.raised])]));
  lines.push("");
  lines.push(table([["flash high-water", "boards", "max bytes", "p95 bytes"], ...r.flash.map((f) => [f.kind, f.boards, f.maxBytes, f.p95Bytes])]));
  lines.push("");
  lines.push("feedback: " + Object.entries(r.feedback).map(([k, n]) => `${k} ${n}`).join(", "));
  lines.push("");
  lines.push(r.passed ? "PASS: every accepted record delivered exactly once" : "FAIL:\n  " + r.failures.join("\n  "));
  return lines.join("\n");
}
