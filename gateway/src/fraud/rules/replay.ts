// A device replaying the past: sequence numbers that go backwards or come again with other
// content (a cloned or rolled-back journal), or a code this device sold long ago sold again
// (a returned box pushed through the counter a second time).
import { EV_DISPENSE, EV_SPLIT, EV_UNDO } from "../../../../protocol/src/record";
import type { FraudAlert, FraudRow } from "../types";
import { isCodedSale, keyOf } from "../codes";
import { localDay } from "../time";

export interface ReplayOptions {
  /** A code sold again by the same device at least this long after its first sale is a replay (default 7 days). */
  oldCodeAfterSec?: number;
}

/** The fields that make a record what it is; a retransmission repeats them all. */
function content(r: FraudRow): string {
  return JSON.stringify([r.time, r.event, r.session, r.code ?? "", r.units ?? 0, r.ref ?? 0, r.patient ?? "", r.rx ?? "", r.boot, r.uptime]);
}

/**
 * `history`: rows of the same devices stored before `rows` (may be empty); `rows`: the rows to
 * judge, in the order the gateway stored them. Only rows in `rows` raise alerts.
 */
export function replays(rows: readonly FraudRow[], history: readonly FraudRow[] = [], opts: ReplayOptions = {}): FraudAlert[] {
  const oldAfter = opts.oldCodeAfterSec ?? 7 * 86400;
  const seen = new Map<string, FraudRow>(); // key -> first row with that seq
  const highWater = new Map<string, number>(); // device -> highest seq so far
  const sold = new Map<string, FraudRow>(); // device|code -> first sale still standing
  const undone = new Set<string>(); // keys withdrawn by an undo
  const alerts: FraudAlert[] = [];

  const learn = (r: FraudRow): void => {
    seen.set(keyOf(r), r);
    highWater.set(r.device, Math.max(highWater.get(r.device) ?? 0, r.seq));
    if (r.event === EV_UNDO && r.ref) {
      const withdrawn = r.device + ":" + r.ref;
      undone.add(withdrawn);
      const first = seen.get(withdrawn);
      if (first && first.code && sold.get(r.device + "|" + first.code) === first) sold.delete(r.device + "|" + first.code);
    }
    if (isCodedSale(r) && !sold.has(r.device + "|" + r.code)) sold.set(r.device + "|" + r.code, r);
  };
  for (const r of history) learn(r);

  for (const r of rows) {
    const key = keyOf(r);
    const earlier = seen.get(key);
    if (earlier) {
      if (content(earlier) !== content(r)) {
        alerts.push({
          kind: "replay",
          severity: "critical",
          device: r.device,
          code: r.code,
          reason: `device ${r.device} sent seq ${r.seq} again with different content`,
          evidence: { records: [key], firstTime: earlier.correctedTime, againTime: r.correctedTime, firstCode: earlier.code ?? null, againCode: r.code ?? null },
        });
      }
      continue; // an identical retransmission is normal
    }
    const top = highWater.get(r.device) ?? 0;
    if (r.seq < top) {
      alerts.push({
        kind: "replay",
        severity: "warning",
        device: r.device,
        reason: `device ${r.device} sequence went backwards: ${r.seq} after ${top}`,
        evidence: { records: [key], seq: r.seq, highest: top },
      });
    }
    if (isCodedSale(r)) {
      const first = sold.get(r.device + "|" + r.code);
      const isSplitSeries = first && first.event === EV_SPLIT && r.event === EV_SPLIT;
      if (first && !isSplitSeries && r.correctedTime - first.correctedTime >= oldAfter && !undone.has(keyOf(first))) {
        const days = Math.floor((r.correctedTime - first.correctedTime) / 86400);
        alerts.push({
          kind: "replay",
          severity: "critical",
          device: r.device,
          code: r.code,
          reason: `device ${r.device} sold code again ${days} days after selling it on ${localDay(first.correctedTime)}`,
          evidence: { records: [keyOf(first), key], firstSale: localDay(first.correctedTime), againSale: localDay(r.correctedTime), days, event: r.event === EV_DISPENSE ? "dispense" : "split" },
        });
      }
    }
    learn(r);
  }
  return alerts;
}
