// Reconnect delays: exponential with jitter, so a county's boards that lost the gateway
// together do not all come back in the same second.
// Written as locals of the constructor rather than members (one-byte names on the board).
export class Backoff {
  /** The next delay: half the exponential cap plus a random share of the other half. */
  next: () => number;
  reset: () => void;

  /** `rand` gives a uniform number in [0, 1). */
  constructor(baseMs: number, maxMs: number, rand: () => number) {
    let attempt = 0;
    this.next = () => {
      let cap = baseMs;
      for (let i = 0; i < attempt && cap < maxMs; i++) cap *= 2;
      if (cap > maxMs) cap = maxMs;
      attempt++;
      return Math.floor(cap / 2 + rand() * (cap / 2));
    };
    this.reset = () => {
      attempt = 0;
    };
  }
}
