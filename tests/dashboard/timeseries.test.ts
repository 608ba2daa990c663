// The relay series ring: bounded memory, oldest-first reads, catch-up reads, honest rates.
import { RateCounter, RingSeries } from "../../gateway/src/dashboard/timeseries";

const sample = (t: number) => ({ t, backlog: t, inPerSec: 0, relayedPerSec: 0 });

describe("RingSeries", () => {
  it("keeps only the newest `capacity` samples, oldest first", () => {
    const r = new RingSeries(3);
    expect(r.toArray()).toEqual([]);
    expect(r.latest()).toBeNull();
    for (let t = 1; t <= 5; t++) r.push(sample(t));
    expect(r.size).toBe(3);
    expect(r.toArray().map((s) => s.t)).toEqual([3, 4, 5]);
    expect(r.latest()!.t).toBe(5);
  });

  it("returns only what a reconnecting page missed", () => {
    const r = new RingSeries(10);
    for (let t = 1; t <= 6; t++) r.push(sample(t * 1000));
    expect(r.toArray(4000).map((s) => s.t)).toEqual([5000, 6000]);
    expect(r.toArray(9000)).toEqual([]);
  });

  it("holds 15 minutes at 1 Hz by default and refuses a nonsense capacity", () => {
    expect(new RingSeries().capacity).toBe(900);
    expect(() => new RingSeries(0)).toThrow(/capacity/);
    expect(() => new RingSeries(2.5)).toThrow(/capacity/);
  });
});

describe("RateCounter", () => {
  it("divides counts by the real elapsed time and starts over after each sample", () => {
    const c = new RateCounter(10_000);
    c.addIn(30);
    c.addRelayed(12);
    c.addIn(-5); // nonsense counts are ignored
    expect(c.sample(12_000, 7)).toEqual({ t: 12_000, backlog: 7, inPerSec: 15, relayedPerSec: 6 });
    expect(c.sample(13_000, 7)).toEqual({ t: 13_000, backlog: 7, inPerSec: 0, relayedPerSec: 0 });
  });

  it("does not divide by zero when two samples share a timestamp", () => {
    const c = new RateCounter(5000);
    c.addIn(1);
    expect(Number.isFinite(c.sample(5000, 0).inPerSec)).toBe(true);
  });
});
