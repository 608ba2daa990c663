// The compact feedback table must decode to exactly the signals documented in firmware/README.md
// (this literal is the table as it was written before it was packed into strings).
import { PATTERNS, KINDS, FB_ALREADY_DISPENSED } from "../../../firmware/src/feedback/patterns";
import { FeedbackPlayer } from "../../../firmware/src/feedback/player";

const RED = 1;
const GREEN = 2;
const BOTH = 3;
const HI = 2700;
const MID = 1800;
const LO = 600;

const DOCUMENTED: { [kind: string]: { steps: number[]; text: string } } = {
  "accepted": { steps: [GREEN, HI, 120, GREEN, 0, 380], text: "OK" },
  "not-a-code": { steps: [RED, LO, 400, 0, 0, 100, RED, 0, 500], text: "Not a trace code" },
  "same-box-twice": { steps: [BOTH, MID, 100, 0, 0, 100, BOTH, MID, 100, BOTH, 0, 700], text: "Already scanned" },
  "already-dispensed": { steps: [RED, LO, 250, 0, 0, 150, RED, LO, 250, 0, 0, 150, RED, LO, 250, RED, 0, 1500], text: "ALREADY SOLD" },
  "warn-list": { steps: [RED, LO, 600, 0, 0, 200, RED, LO, 600, RED, 0, 1500], text: "WARNING: flagged" },
  "storage-low": { steps: [BOTH, MID, 150, 0, 0, 150, BOTH, MID, 150, BOTH, 0, 600], text: "Storage low: sync" },
  "session-opened": { steps: [GREEN, MID, 80, GREEN, HI, 80, GREEN, 0, 400], text: "Patient open" },
  "session-closed": { steps: [GREEN, HI, 80, GREEN, MID, 80, 0, 0, 50], text: "Patient closed" },
  "no-session": { steps: [RED, MID, 150, 0, 0, 100, RED, MID, 150, RED, 0, 400], text: "Scan patient first" },
  "storage-full": { steps: [RED, LO, 1000, RED, 0, 1000], text: "STORAGE FULL" },
  "undone": { steps: [BOTH, HI, 60, 0, 0, 60, BOTH, HI, 60, 0, 0, 60, BOTH, HI, 60], text: "Last box undone" },
  "nothing-to-undo": { steps: [RED, MID, 80, 0, 0, 80, RED, MID, 80], text: "Nothing to undo" },
  "split-armed": { steps: [GREEN, MID, 60, 0, 0, 60, GREEN, MID, 60, GREEN, 0, 300], text: "Split: scan box" },
};

describe("feedback table", () => {
  it("decodes to the documented steps and texts for every kind", () => {
    expect(PATTERNS).toEqual(DOCUMENTED);
  });

  it("the player drives LEDs, buzzer, display and timers step by step from the packed table", () => {
    const calls: string[] = [];
    const due: { ms: number; fn: () => void }[] = [];
    const p = new FeedbackPlayer(
      { set: (r: boolean, g: boolean) => calls.push("leds " + (r ? "R" : "-") + (g ? "G" : "-")) },
      { tone: (hz: number) => calls.push("tone " + hz) },
      { show: (a: string, b: string) => calls.push("show " + a + "/" + b) },
      { after: (ms: number, fn: () => void) => due.push({ ms, fn }), cancel: () => undefined },
    );
    p.play(FB_ALREADY_DISPENSED, "123");
    const seen: number[] = [];
    while (due.length) {
      const t = due.shift()!;
      seen.push(t.ms);
      t.fn();
    }
    expect(calls[0]).toBe("show ALREADY SOLD/123");
    expect(calls.slice(1, 3)).toEqual(["leds R-", "tone 600"]);
    expect(calls.slice(-2)).toEqual(["leds --", "tone 0"]);
    expect(seen).toEqual([250, 150, 250, 150, 250, 1500]);
    p.play(KINDS.length, ""); // no such kind
    expect(KINDS[p.last]).toBe("already-dispensed");
  });
});
