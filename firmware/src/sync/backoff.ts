// Reconnect delays: exponential with jitter, so a county's boards that lost the gateway
// together do not all come back in the same second.
export class Backoff {
  private attempt = 0;
  private baseMs: number;
  private maxMs: number;
  private rand: () => number;

  /** `rand` gives a uniform number in [0, 1). */
  constructor(baseMs: number, maxMs: number, rand: () => number) {
    this.baseMs = baseMs;
    this.maxMs = maxMs;
    this.rand = rand;
  }

  /** The next delay: half the exponential cap plus a random share of the other half. */
  next(): number {
    let cap = this.baseMs;
    for (let i = 0; i < this.attempt && cap < this.maxMs; i++) cap *= 2;
    if (cap > this.maxMs) cap = this.maxMs;
    this.attempt++;
    return Math.floor(cap / 2 + this.rand() * (cap / 2));
  }

  reset(): void {
    this.attempt = 0;
  }
}
