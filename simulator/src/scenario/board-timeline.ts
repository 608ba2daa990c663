// One board's timeline while a plan is built: its events, the journal records it should
// make, and the intervals already taken (sessions, power cuts), so that nothing overlaps.
import type { Box } from "./codes";
import type { ExpectedRecord, PlanEvent, PlannedBoard } from "./types";

/** After power returns the board boots and reconnects its reader: no scans for this long. */
export const BOOT_MARGIN_MS = 30_000;

export class BoardTimeline {
  private readonly busy: [number, number][] = [];
  private recordCount = 0;
  readonly records: ExpectedRecord[] = [];
  /** Records of whole-box sales never withdrawn: what a replay or resale can reuse. */
  readonly soldBoxes: { record: ExpectedRecord; raw: string; box: Box }[] = [];

  constructor(readonly board: PlannedBoard) {}

  /** True when [from, to) touches nothing already planned. */
  isFree(from: number, to: number): boolean {
    for (const [a, b] of this.busy) if (from < b && a < to) return false;
    return true;
  }

  reserve(from: number, to: number): void {
    this.busy.push([from, to]);
  }

  powerCut(offAt: number, onAt: number): void {
    this.board.events.push({ t: offAt, type: "power", on: false });
    this.board.events.push({ t: onAt, type: "power", on: true });
    this.reserve(offAt, onAt + BOOT_MARGIN_MS);
  }

  event(e: PlanEvent): void {
    this.board.events.push(e);
  }

  record(r: Omit<ExpectedRecord, "id" | "device">): ExpectedRecord {
    const rec: ExpectedRecord = { id: this.board.device + "#" + ++this.recordCount, device: this.board.device, ...r };
    // Absent, not undefined: plans compare and serialise cleanly.
    for (const k of Object.keys(rec) as (keyof ExpectedRecord)[]) if (rec[k] === undefined) delete rec[k];
    this.records.push(rec);
    return rec;
  }

  /** Sorts events by time; equal times keep insertion order. */
  finish(): void {
    this.board.events.sort((a, b) => a.t - b.t);
    this.records.sort((a, b) => a.t - b.t);
  }
}
