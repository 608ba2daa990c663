// The progress registry the simulator and training report into.
import { ProgressRegistry } from "../../gateway/src/dashboard/progress";

describe("ProgressRegistry", () => {
  it("tracks start, ticks and done, and tells listeners each time", () => {
    let now = 1000;
    const p = new ProgressRegistry({ now: () => now });
    let changes = 0;
    p.on(() => changes++);
    p.start("fleet", 10, "20 boards");
    p.tick("fleet");
    p.tick("fleet", 3, "board 4");
    expect(p.list()).toEqual([{ name: "fleet", total: 10, done: 4, note: "board 4", startedAt: 1000, updatedAt: 1000, finishedAt: null }]);
    now = 2000;
    p.done("fleet");
    expect(p.list()[0]).toMatchObject({ done: 10, finishedAt: 2000 });
    expect(changes).toBe(4);
  });

  it("never goes past the total, ignores late or unknown ticks and bad counts", () => {
    const p = new ProgressRegistry();
    p.start("train", 5);
    p.tick("train", 50);
    p.tick("train", Number.NaN);
    p.tick("nobody");
    expect(p.list()[0].done).toBe(5);
    p.done("train");
    p.tick("train");
    p.set("train", 1);
    expect(p.list()[0].done).toBe(5);
  });

  it("shows failures and an unknown total as counts", () => {
    const p = new ProgressRegistry();
    p.start("replay", 0);
    p.set("replay", 42);
    p.done("replay", "platform offline");
    expect(p.list()[0]).toMatchObject({ total: 0, done: 42, error: "platform offline" });
  });

  it("drops finished tasks after the keep time and beyond the cap, keeps running ones", () => {
    let now = 0;
    const p = new ProgressRegistry({ now: () => now, keepFinishedMs: 1000, maxFinished: 2 });
    for (const n of ["a", "b", "c"]) {
      p.start(n, 1);
      p.done(n);
    }
    p.start("running", 3);
    expect(p.list().map((e) => e.name)).toEqual(["b", "c", "running"]);
    now = 5000;
    expect(p.list().map((e) => e.name)).toEqual(["running"]);
  });

  it("a throwing listener does not break the job that reports", () => {
    const p = new ProgressRegistry();
    p.on(() => {
      throw new Error("boom");
    });
    expect(() => p.start("x", 1)).not.toThrow();
  });
});
