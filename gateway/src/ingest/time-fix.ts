// Fixes a record's untrusted time. A board whose clock was not yet set still counts its
// uptime; once any frame or record of the same boot carries a trusted clock, the offset
// (unix time - uptime) of that boot is known and every record of the boot can be placed.
import type { BatchFrame } from "../../../protocol/src/frame/types";
import type { ScanRecord } from "../../../protocol/src/record";

export interface BootOffset {
  boot: number;
  offset: number;
}

/** Offsets a frame teaches: from its own trusted clock and from its trusted records. */
export function offsetsFromFrame(frame: BatchFrame): BootOffset[] {
  const out: BootOffset[] = [];
  if (frame.trusted) out.push({ boot: frame.boot, offset: frame.time - frame.uptime });
  for (const r of frame.records) {
    if (r.trusted && !out.some((o) => o.boot === r.boot)) out.push({ boot: r.boot, offset: r.time - r.uptime });
  }
  return out;
}

export function fixTime(r: ScanRecord, bootOffset: number | null): { fixedTime: number; timeTrusted: boolean } {
  if (r.trusted) return { fixedTime: r.time, timeTrusted: true };
  if (bootOffset !== null) return { fixedTime: bootOffset + r.uptime, timeTrusted: true };
  return { fixedTime: r.time, timeTrusted: false };
}
