// Watches free space on the data volume. Below the threshold the gateway stops acking new
// frames: the boards keep their journals, so nothing is lost, and the alarm tells the
// operator. The probe is injectable so tests can simulate a full disk.
import { statfsSync } from "node:fs";

export type FreeBytesProbe = (dir: string) => number;

export const statfsFreeBytes: FreeBytesProbe = (dir) => {
  const s = statfsSync(dir);
  return Number(s.bavail) * Number(s.bsize);
};

export class DiskGuard {
  private lastCheck = -Infinity;
  private free = Infinity;
  private alarm = false;

  constructor(
    private readonly dir: string,
    private readonly minFreeBytes: number,
    private readonly checkEveryMs: number,
    private readonly probe: FreeBytesProbe = statfsFreeBytes,
    private readonly onChange: (alarm: boolean, freeBytes: number) => void = () => {},
  ) {}

  /** True when there is room to take new frames. Re-probes at most every checkEveryMs. */
  hasRoom(nowMs: number = Date.now()): boolean {
    if (nowMs - this.lastCheck >= this.checkEveryMs) this.check(nowMs);
    return !this.alarm;
  }

  check(nowMs: number = Date.now()): void {
    this.lastCheck = nowMs;
    try {
      this.free = this.probe(this.dir);
    } catch {
      // An unreadable volume is treated as full: refusing to ack is the safe side.
      this.free = 0;
    }
    const alarm = this.free < this.minFreeBytes;
    if (alarm !== this.alarm) {
      this.alarm = alarm;
      this.onChange(alarm, this.free);
    }
  }

  get alarmActive(): boolean {
    return this.alarm;
  }
  get freeBytes(): number {
    return this.free;
  }
}
