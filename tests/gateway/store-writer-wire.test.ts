// How frames cross to the store writer thread: a frame the strict reader produced goes as
// its bytes and is read again there, to the very same frame; any other frame goes as it is.
import { fromWire, toWire } from "../../gateway/src/ingest/store-writer";
import type { AcceptedFrame } from "../../gateway/src/ingest/commit";
import type { DeviceRow } from "../../gateway/src/store/types";
import { readCanonicalBatch } from "../../protocol/src/node/fast-batch";
import { EV_OPEN, EV_SPLIT, OPEN_BY_VOUCHER } from "../../protocol/src/record";
import { T0, bytesOf, cn20, dispense, frameOf, secretOf } from "./helpers";

const deviceRow = (id: string): DeviceRow => ({ id, secret: secretOf(id), institution: "H-" + id, operator: "op " + id, status: "active", addedAt: T0 }) as DeviceRow;

describe("frames to the store writer thread", () => {
  it("sends strictly read frames as their bytes and reads them back to equal frames; others travel as frames", () => {
    const a = frameOf("A", [
      { seq: 1, time: T0, trusted: true, boot: 1, uptime: 10, event: EV_OPEN, session: 0, openBy: OPEN_BY_VOUCHER, patient: "0123456789abcdef" },
      dispense(2, cn20(2)),
      { seq: 3, time: T0 + 3, trusted: true, boot: 1, uptime: 13, event: EV_SPLIT, session: 1, code: cn20(3), units: 2, perPack: 10 },
    ]);
    const aBytes = bytesOf(a);
    const aRead = readCanonicalBatch(aBytes)!;
    const b = frameOf("B", [dispense(7, cn20(7))]); // decoded elsewhere (the full path): not strictly read
    const bBytes = bytesOf(b);
    const accepted: AcceptedFrame[] = [
      { frame: aRead, device: deviceRow("A"), bytes: aBytes },
      { frame: b, device: deviceRow("B"), bytes: bBytes },
      { frame: readCanonicalBatch(bytesOf(frameOf("A", [dispense(4, cn20(4))])))!, device: deviceRow("A") }, // no bytes kept
    ];
    const wire = toWire(accepted);
    expect(wire.bytes.length).toBe(aBytes.length);
    expect(wire.frames.map((w) => "frame" in w)).toEqual([false, true, true]);
    for (const w of wire.frames) expect(w.device).toEqual({ id: w.device.id, institution: "H-" + w.device.id, operator: "op " + w.device.id }); // no secret crosses
    const back = fromWire(structuredClone(wire.frames), wire.bytes.slice());
    expect(back.map((x) => x.frame)).toEqual(accepted.map((x) => x.frame));
    expect(back[0].frame).toEqual(a);
  });

  it("fails the commit when bytes do not read back (nothing is acked: the board sends again)", () => {
    const bytes = bytesOf(frameOf("A", [dispense(1, cn20(1))]));
    const wire = toWire([{ frame: readCanonicalBatch(bytes)!, device: deviceRow("A"), bytes }]);
    wire.bytes[3] ^= 0xff;
    expect(() => fromWire(wire.frames, wire.bytes)).toThrow(/did not read again/);
  });
});
