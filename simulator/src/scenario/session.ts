// Writes one dispensing session onto a board's timeline: the exact reads and presses at the
// counter, and the journal records the board should make for them.
import { EV_CLOSE, EV_DISPENSE, EV_NOCODE, EV_OPEN, EV_SPLIT, EV_UNDO } from "../../../protocol/src/record";
import type { BoardTimeline } from "./board-timeline";
import { CLOSE_PRESS_MS, SESSION_TIMEOUT_SECONDS, SPLIT_ARM_SECONDS, UNDO_CARD, noCodeCard, splitCard } from "./cards";
import { readerString, retailEan13, type Box } from "./codes";
import { randInt, type Rng } from "./prng";
import type { DrugSpec, ExpectedRecord, FraudKind } from "./types";

export type SessionLine =
  /** A box sold whole, or `splitUnits` of it; `raw` replays an earlier reader string. */
  | { kind: "box"; box: Box; splitUnits?: number; undo?: boolean; raw?: string }
  | { kind: "nocode"; drug: DrugSpec; qty: number; undo?: boolean }
  /** A retail barcode scanned by mistake: the board must refuse it. */
  | { kind: "retail" };

export interface SessionSpec {
  openBy: "voucher" | "rx";
  /** The voucher token or the prescription number. */
  opener: string;
  lines: SessionLine[];
  close: "button" | "timeout";
  fraud?: FraudKind;
}

/** Time to keep free for a session of `lines` lines: an upper bound of what writeSession takes,
 * plus the board's idle timeout when nobody closes it. */
export function sessionReserveMs(lines: number, close: "button" | "timeout"): number {
  return 40_000 + (lines + 1) * 60_000 + (close === "timeout" ? (SESSION_TIMEOUT_SECONDS + 30) * 1000 : 0);
}

export interface WrittenSession {
  open: ExpectedRecord;
  /** Per line: its record (undefined for a refused read), and the read string used. */
  lines: { record?: ExpectedRecord; raw?: string }[];
  endMs: number;
}

export function writeSession(tl: BoardTimeline, rng: Rng, start: number, spec: SessionSpec, rejections: { device: string; t: number; raw: string; reason: "retail-ean13" }[]): WrittenSession {
  const suffix = tl.board.readerSuffix;
  const fraud = spec.fraud;
  let t = start;
  tl.event({ t, type: "scan", raw: spec.opener + suffix, what: spec.openBy });
  const open = tl.record({ t, event: EV_OPEN, openBy: spec.openBy, voucher: spec.openBy === "voucher" ? spec.opener : undefined, rx: spec.openBy === "rx" ? spec.opener : undefined, fraud });
  open.session = open.id;
  const tag = (r: ExpectedRecord) => {
    r.session = open.id;
    if (fraud) r.fraud = fraud;
    return r;
  };
  const out: WrittenSession = { open, lines: [], endMs: start };
  for (const line of spec.lines) {
    t += randInt(rng, 8, 40) * 1000;
    if (line.kind === "retail") {
      const raw = retailEan13(rng);
      tl.event({ t, type: "scan", raw: raw + suffix, what: "retail-misscan" });
      rejections.push({ device: tl.board.device, t, raw, reason: "retail-ean13" });
      out.lines.push({ raw });
      continue;
    }
    let rec: ExpectedRecord;
    let raw: string;
    if (line.kind === "nocode") {
      raw = noCodeCard(line.drug.catalogue, line.qty);
      tl.event({ t, type: "scan", raw: raw + suffix, what: "nocode-card" });
      rec = tag(tl.record({ t, event: EV_NOCODE, code: line.drug.catalogue, units: line.qty }));
    } else {
      const box = line.box;
      if (line.splitUnits !== undefined) {
        tl.event({ t, type: "scan", raw: splitCard(line.splitUnits, box.drug.packUnits) + suffix, what: "split-card" });
        t += randInt(rng, 3, Math.min(8, SPLIT_ARM_SECONDS - 5)) * 1000;
      }
      raw = line.raw ?? readerString(rng, box);
      tl.event({ t, type: "scan", raw: raw + suffix, what: "box" });
      rec = tag(
        tl.record({
          t,
          event: line.splitUnits !== undefined ? EV_SPLIT : EV_DISPENSE,
          code: box.key,
          batch: box.batch,
          expiry: box.expiry,
          units: line.splitUnits,
          perPack: line.splitUnits !== undefined ? box.drug.packUnits : undefined,
        }),
      );
    }
    if (line.undo) {
      t += randInt(rng, 3, 10) * 1000;
      tl.event({ t, type: "scan", raw: UNDO_CARD + suffix, what: "undo-card" });
      tag(tl.record({ t, event: EV_UNDO, undoes: rec.id }));
    }
    out.lines.push({ record: rec, raw });
  }
  if (spec.close === "button") {
    t += randInt(rng, 5, 30) * 1000;
    tl.event({ t, type: "button", pressMs: CLOSE_PRESS_MS, what: "close-session" });
    tag(tl.record({ t, event: EV_CLOSE, closedBy: "button" }));
  } else {
    // The board closes it on its idle timeout; the time is the latest it can happen.
    tag(tl.record({ t: t + SESSION_TIMEOUT_SECONDS * 1000, event: EV_CLOSE, closedBy: "timeout" }));
  }
  out.endMs = t;
  return out;
}
