// The relay chart's history: one sample a second kept in a fixed ring, so a page opened
// late still sees the last ~15 minutes without the gateway ever growing its memory.

export interface SeriesSample {
  /** Unix milliseconds of the sample. */
  t: number;
  /** Records waiting for the platform (outbox rows). */
  backlog: number;
  /** Records newly stored per second since the previous sample. */
  inPerSec: number;
  /** Sales the platform accepted per second since the previous sample. */
  relayedPerSec: number;
}

export const DEFAULT_SERIES_CAPACITY = 900; // 15 min at 1 Hz

export class RingSeries {
  private readonly buf: (SeriesSample | undefined)[];
  private next = 0;
  private filled = 0;

  constructor(readonly capacity = DEFAULT_SERIES_CAPACITY) {
    if (!(capacity >= 1) || Math.floor(capacity) !== capacity) throw new Error("series capacity must be a positive integer");
    this.buf = new Array(capacity);
  }

  push(s: SeriesSample): void {
    this.buf[this.next] = s;
    this.next = (this.next + 1) % this.capacity;
    if (this.filled < this.capacity) this.filled++;
  }

  get size(): number {
    return this.filled;
  }

  /** Oldest first; only samples newer than `sinceMs` when given (a reconnecting page asks for what it missed). */
  toArray(sinceMs?: number): SeriesSample[] {
    const out: SeriesSample[] = [];
    const start = (this.next - this.filled + this.capacity) % this.capacity;
    for (let i = 0; i < this.filled; i++) {
      const s = this.buf[(start + i) % this.capacity]!;
      if (sinceMs === undefined || s.t > sinceMs) out.push(s);
    }
    return out;
  }

  latest(): SeriesSample | null {
    return this.filled ? this.buf[(this.next - 1 + this.capacity) % this.capacity]! : null;
  }
}

/**
 * Turns event counts into per-second rates. Counts accumulate between samples; a sample
 * divides by the real elapsed time so a late timer does not inflate the rate.
 */
export class RateCounter {
  private inCount = 0;
  private relayedCount = 0;
  private lastT: number;

  constructor(now: number) {
    this.lastT = now;
  }

  addIn(n: number): void {
    if (n > 0) this.inCount += n;
  }

  addRelayed(n: number): void {
    if (n > 0) this.relayedCount += n;
  }

  sample(now: number, backlog: number): SeriesSample {
    const secs = Math.max(0.001, (now - this.lastT) / 1000);
    const s: SeriesSample = {
      t: now,
      backlog,
      inPerSec: round2(this.inCount / secs),
      relayedPerSec: round2(this.relayedCount / secs),
    };
    this.inCount = 0;
    this.relayedCount = 0;
    this.lastT = now;
    return s;
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
