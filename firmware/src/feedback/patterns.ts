// The one table of what the doctor sees and hears. Each pattern is a list of steps
// [leds, tone Hz, ms]: leds 1 = red, 2 = green, 3 = both; tone 0 = silent. Good news is green
// and high-pitched and short; every refusal is red with a low tone; warnings about the box
// itself (possible resold or flagged drug) are long and impossible to miss.
// A kind is a small number on the board (its index in KINDS, the name hosts use): a name
// would be a string literal at every call site.
export const FB_ACCEPTED = 0;
export const FB_NOT_A_CODE = 1;
export const FB_SAME_BOX_TWICE = 2;
export const FB_ALREADY_DISPENSED = 3;
export const FB_WARN_LIST = 4;
export const FB_STORAGE_LOW = 5;
export const FB_SESSION_OPENED = 6;
export const FB_SESSION_CLOSED = 7;
export const FB_NO_SESSION = 8;
export const FB_STORAGE_FULL = 9;
export const FB_UNDONE = 10;
export const FB_NOTHING_TO_UNDO = 11;
export const FB_SPLIT_ARMED = 12;

export interface FeedbackPattern {
  steps: number[];
  /** First display line (boards with a display); the second line carries the detail. */
  text: string;
}

// Per kind, its steps as one string, 3 characters per step: leds (0-3), tone index (0 silent,
// 1 low 600 Hz, 2 mid 1.8 kHz, 3 high 2.7 kHz), duration letter (a = 50 ms .. p = 1500 ms, see
// stepAt); and the display text apart, so a board without a display is built without it.
// The steps are one string for the whole table, in kind order, split only while a kind is
// looked up (the display texts are a switch): nothing of the table is a variable for the whole
// run, and the string stays in flash until a pattern is played.

/** The packed steps of a kind, or "" for an unknown kind. */
export function patternSteps(kind: number): string {
  // accepted, not-a-code, same-box-twice, already-dispensed, warn-list, storage-low,
  // session-opened, session-closed, no-session, storage-full, undone, nothing-to-undo, split-armed
  return "23e20j 11k00d10l 32d00d32d30n 11h00f11h00f11h10p 11m00g11m10p 32f00f32f30m 22c23c20k 23c22c00a 12f00d12f10k 11o10o 33b00b33b00b33b 12c00c12c 22b00b22b20i".split(" ")[kind] || "";
}

/** The display's first line for a kind. */
export function patternText(kind: number): string {
  switch (kind) {
    case 0: // accepted
      return "OK";
    case 1: // not-a-code
      return "Not a trace code";
    case 2: // same-box-twice
      return "Already scanned";
    case 3: // already-dispensed
      return "ALREADY SOLD";
    case 4: // warn-list
      return "WARNING: flagged";
    case 5: // storage-low
      return "Storage low: sync";
    case 6: // session-opened
      return "Patient open";
    case 7: // session-closed
      return "Patient closed";
    case 8: // no-session
      return "Scan patient first";
    case 9: // storage-full
      return "STORAGE FULL";
    case 10: // undone
      return "Last box undone";
    case 11: // nothing-to-undo
      return "Nothing to undo";
    case 12: // split-armed
      return "Split: scan box";
  }
  return "";
}

/** The step at steps[i] as [leds, tone Hz, ms]. */
export function stepAt(row: string, i: number): number[] {
  return [
    row.charCodeAt(i) - 48,
    [0, 600, 1800, 2700][row.charCodeAt(i + 1) - 48],
    [50, 60, 80, 100, 120, 150, 200, 250, 300, 380, 400, 500, 600, 700, 1000, 1500][row.charCodeAt(i + 2) - 97],
  ];
}

/** The name of every kind the firmware plays, by its number. */
export const KINDS = ["accepted", "not-a-code", "same-box-twice", "already-dispensed", "warn-list", "storage-low", "session-opened", "session-closed", "no-session", "storage-full", "undone", "nothing-to-undo", "split-armed"];

/** Every pattern as [leds, tone Hz, ms] steps, for hosts that read the table (the simulator). */
function decodeTable(): { [kind: string]: FeedbackPattern } {
  const out: { [kind: string]: FeedbackPattern } = {};
  KINDS.forEach((kind, n) => {
    const packed = patternSteps(n);
    const steps: number[] = [];
    for (let i = 0; i < packed.length; i += 3) {
      const st = stepAt(packed, i);
      steps.push(st[0], st[1], st[2]);
    }
    out[kind] = { steps: steps, text: patternText(n) };
  });
  return out;
}

/** Not used on the board (the player reads patternSteps), so the bundle leaves it out. */
export const PATTERNS: { [kind: string]: FeedbackPattern } = /* @__PURE__ */ decodeTable();
