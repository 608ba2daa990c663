// Reshaping a plan for a run: fewer boards (quick runs), or fresh device ids (a demo that
// runs the scenario again and again against one gateway, which must not mistake a new
// round's seq 1 for a retransmission of the last round's).
import type { ScenarioPlan } from "../scenario/index";

/**
 * Keeps the first `n` boards and the truth that concerns only them; with `withFraud`, also every
 * board an injected fraud pattern involves, so a smaller run still exercises the alerts.
 */
export function limitBoards(plan: ScenarioPlan, n: number, opts: { withFraud?: boolean } = {}): ScenarioPlan {
  if (n >= plan.boards.length) return plan;
  const keep = new Set(plan.boards.slice(0, Math.max(0, n)).map((b) => b.device));
  if (opts.withFraud) for (const a of plan.truth.alerts) for (const d of a.devices) keep.add(d);
  const boards = plan.boards.filter((b) => keep.has(b.device));
  return {
    ...plan,
    boards,
    truth: {
      records: plan.truth.records.filter((r) => keep.has(r.device)),
      rejections: plan.truth.rejections.filter((r) => keep.has(r.device)),
      alerts: plan.truth.alerts.filter((a) => a.devices.every((d) => keep.has(d))),
    },
    summary: { ...plan.summary, boards: boards.length },
  };
}

/** Prefixes every device id (ids stay within the firmware's 24 characters). */
export function relabelDevices(plan: ScenarioPlan, prefix: string): ScenarioPlan {
  const id = (d: string) => {
    const out = prefix + d;
    if (out.length > 24) throw new RangeError(`device id "${out}" is longer than 24 characters`);
    return out;
  };
  return {
    ...plan,
    boards: plan.boards.map((b) => ({ ...b, device: id(b.device) })),
    truth: {
      records: plan.truth.records.map((r) => ({ ...r, device: id(r.device), id: prefix + r.id })),
      rejections: plan.truth.rejections.map((r) => ({ ...r, device: id(r.device) })),
      alerts: plan.truth.alerts.map((a) => ({ ...a, devices: a.devices.map(id) })),
    },
  };
}
