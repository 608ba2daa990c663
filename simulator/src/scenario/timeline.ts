// The whole county's plan as one time-ordered stream, for a runner that drives every board
// from a single clock.
import type { PlanEvent, ScenarioPlan } from "./types";

export type DeviceEvent = PlanEvent & { device: string };

/** All events of all boards by time; ties keep board order, then each board's own order. */
export function mergedTimeline(plan: ScenarioPlan): DeviceEvent[] {
  const all: { e: DeviceEvent; b: number; i: number }[] = [];
  plan.boards.forEach((board, b) => board.events.forEach((e, i) => all.push({ e: { ...e, device: board.device }, b, i })));
  all.sort((x, y) => x.e.t - y.e.t || x.b - y.b || x.i - y.i);
  return all.map((x) => x.e);
}
