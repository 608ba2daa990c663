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

// Per kind, its steps as one string, 3 characters per step: leds (0-3), tone index (0 silent,
// 1 low 600 Hz, 2 mid 1.8 kHz, 3 high 2.7 kHz), duration letter (a = 50 ms .. p = 1500 ms, see
// stepAt); and the display text apart, so a board without a display is built without it.
// Returned by switches, not kept in arrays or an object: on the board every element, key and
// string of a table would be a variable for the whole run, while these literals stay in flash
// until one is played.

/** The packed steps of a kind, or "" for an unknown kind. */
export function patternSteps(kind: string): string {
  switch (kind) {
    case "accepted":
      return "23e20j";
    case "not-a-code":
      return "11k00d10l";
    case "same-box-twice":
      return "32d00d32d30n";
    case "already-dispensed":
      return "11h00f11h00f11h10p";
    case "warn-list":
      return "11m00g11m10p";
    case "storage-low":
      return "32f00f32f30m";
    case "session-opened":
      return "22c23c20k";
    case "session-closed":
      return "23c22c00a";
    case "no-session":
      return "12f00d12f10k";
    case "storage-full":
      return "11o10o";
    case "undone":
      return "33b00b33b00b33b";
    case "nothing-to-undo":
      return "12c00c12c";
    case "split-armed":
      return "22b00b22b20i";
  }
  return "";
}

/** The display's first line for a kind. */
export function patternText(kind: string): string {
  switch (kind) {
    case "accepted":
      return "OK";
    case "not-a-code":
      return "Not a trace code";
    case "same-box-twice":
      return "Already scanned";
    case "already-dispensed":
      return "ALREADY SOLD";
    case "warn-list":
      return "WARNING: flagged";
    case "storage-low":
      return "Storage low: sync";
    case "session-opened":
      return "Patient open";
    case "session-closed":
      return "Patient closed";
    case "no-session":
      return "Scan patient first";
    case "storage-full":
      return "STORAGE FULL";
    case "undone":
      return "Last box undone";
    case "nothing-to-undo":
      return "Nothing to undo";
    case "split-armed":
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

/** Every kind the firmware plays. */
export const KINDS = ["accepted", "not-a-code", "same-box-twice", "already-dispensed", "warn-list", "storage-low", "session-opened", "session-closed", "no-session", "storage-full", "undone", "nothing-to-undo", "split-armed"];

/** Every pattern as [leds, tone Hz, ms] steps, for hosts that read the table (the simulator). */
function decodeTable(): { [kind: string]: FeedbackPattern } {
  const out: { [kind: string]: FeedbackPattern } = {};
  for (const kind of KINDS) {
    const packed = patternSteps(kind);
    const steps: number[] = [];
    for (let i = 0; i < packed.length; i += 3) {
      const st = stepAt(packed, i);
      steps.push(st[0], st[1], st[2]);
    }
    out[kind] = { steps: steps, text: patternText(kind) };
  }
  return out;
}

/** Not used on the board (the player reads patternSteps), so the bundle leaves it out. */
export const PATTERNS: { [kind: string]: FeedbackPattern } = /* @__PURE__ */ decodeTable();
