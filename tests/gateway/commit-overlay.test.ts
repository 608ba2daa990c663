// The one-box-one-sale index inside one commit: however the frames are grouped into
// commits, the index ends the same and the same alerts are raised, in the same order.
import { commitFrames, type AcceptedFrame } from "../../gateway/src/ingest/commit";
import { GatewayStore } from "../../gateway/src/store/store";
import type { DeviceRow } from "../../gateway/src/store/types";
import { EV_SPLIT, EV_UNDO, type ScanRecord } from "../../protocol/src/record";
import { T0, cn20, dispense, frameOf, secretOf } from "./helpers";

const split = (seq: number, code: string, units = 1): ScanRecord => ({ seq, time: T0 + seq, trusted: true, boot: 1, uptime: seq, event: EV_SPLIT, session: 0, code, units, perPack: 4 });
const undo = (seq: number, ref: number): ScanRecord => ({ seq, time: T0 + seq, trusted: true, boot: 1, uptime: seq, event: EV_UNDO, session: 0, ref });

function run(groups: number[]): { index: unknown[]; alerts: string[] } {
  const store = GatewayStore.open(":memory:");
  const dev = (id: string): DeviceRow => {
    if (!store.devices.get(id)) store.devices.add({ id, secret: secretOf(id), institution: "H-" + id, operator: "op " + id }, T0);
    return store.devices.get(id)!;
  };
  const frames: AcceptedFrame[] = [
    { frame: frameOf("A", [dispense(1, cn20(1)), split(2, cn20(2), 3), dispense(3, cn20(3))]), device: dev("A") },
    { frame: frameOf("B", [dispense(1, cn20(1)), split(2, cn20(2), 1), split(3, cn20(2), 1)]), device: dev("B") },
    { frame: frameOf("A", [undo(4, 1), split(5, cn20(2), 2), dispense(6, cn20(1)), undo(7, 3)]), device: dev("A") },
    { frame: frameOf("B", [undo(4, 1), dispense(5, cn20(3)), dispense(6, cn20(3))]), device: dev("B") },
  ];
  const alerts: string[] = [];
  let at = 0;
  for (const n of groups) {
    const out = commitFrames(store, frames.slice(at, at + n), T0 + 10);
    for (const a of out.alerts) alerts.push(a.alert.kind + " " + a.alert.code + " " + a.alert.device);
    at += n;
  }
  const index = store.db.prepare("SELECT * FROM dispensed ORDER BY code").all();
  store.close();
  return { index, alerts };
}

describe("one-box-one-sale index within a commit", () => {
  it("ends the same, with the same alerts in the same order, whether frames commit one by one or together", () => {
    const oneByOne = run([1, 1, 1, 1]);
    expect(oneByOne.alerts.length).toBeGreaterThan(2);
    expect(oneByOne.index.length).toBeGreaterThan(0);
    for (const groups of [[4], [2, 2], [1, 3], [3, 1]]) expect(run(groups)).toEqual(oneByOne);
  });
});
