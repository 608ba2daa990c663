// The one table of what the doctor sees and hears. Each pattern is a list of steps
// [leds, tone Hz, ms]: leds 1 = red, 2 = green, 3 = both; tone 0 = silent. Good news is green
// and high-pitched and short; every refusal is red with a low tone; warnings about the box
// itself (possible resold or flagged drug) are long and impossible to miss.
export const FB_ACCEPTED = "accepted";
export const FB_NOT_A_CODE = "not-a-code";
export const FB_SAME_BOX_TWICE = "same-box-twice";
export const FB_ALREADY_DISPENSED = "already-dispensed";
export const FB_WARN_LIST = "warn-list";
export const FB_STORAGE_LOW = "storage-low";
export const FB_SESSION_OPENED = "session-opened";
export const FB_SESSION_CLOSED = "session-closed";
export const FB_NO_SESSION = "no-session";
export const FB_STORAGE_FULL = "storage-full";
export const FB_UNDONE = "undone";
export const FB_NOTHING_TO_UNDO = "nothing-to-undo";
export const FB_SPLIT_ARMED = "split-armed";

export interface FeedbackPattern {
  steps: number[];
  /** First display line (boards with a display); the second line carries the detail. */
  text: string;
}

const RED = 1;
const GREEN = 2;
const BOTH = 3;
const HI = 2700;
const MID = 1800;
const LO = 600;

export const PATTERNS: { [kind: string]: FeedbackPattern } = {
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
