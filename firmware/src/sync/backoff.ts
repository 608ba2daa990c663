// Reconnect delays: exponential with jitter, so a county's boards that lost the gateway
// together do not all come back in the same second.
export class Backoff {
  private attempt_ = 0;
  private baseMs_: number;
  private maxMs_: number;
  private rand_: () => number;

  /** `rand` gives a uniform number in [0, 1). */
  constructor(baseMs: number, maxMs: number, rand: () => number) {
    this.baseMs_ = baseMs;
    this.maxMs_ = maxMs;
    this.rand_ = rand;
  }

  /** The next delay: half the exponential cap plus a random share of the other half. */
  next(): number {
    let cap = this.baseMs_;
    for (let i = 0; i < this.attempt_ && cap < this.maxMs_; i++) cap *= 2;
    if (cap > this.maxMs_) cap = this.maxMs_;
    this.attempt_++;
    return Math.floor(cap / 2 + this.rand_() * (cap / 2));
  }

  reset(): void {
    this.attempt_ = 0;
  }
}
