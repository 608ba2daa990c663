// What every reliability suite asserts at the end: nothing lost, nothing doubled, each
// device's sales stored at the platform in seq order.
import type { PlatformEmulator } from "../../../simulator/src/platform";
import type { ResendingBoard } from "./resending-board";
import { platformSeqsByDevice } from "./rig";

export function expectExactlyOnceInOrder(platform: PlatformEmulator, boards: ResendingBoard[]): void {
  const byDevice = platformSeqsByDevice(platform);
  for (const b of boards) {
    const seqs = byDevice.get(b.id) ?? [];
    // Every record the board made (and the gateway acked) is there exactly once...
    expect(seqs.length).toBe(b.head);
    expect(new Set(seqs).size).toBe(b.head);
    // ...and the platform stored them in the board's order.
    expect(seqs).toEqual(Array.from({ length: b.head }, (_, i) => i + 1));
  }
  expect(platform.stats().conflicts).toBe(0);
}
