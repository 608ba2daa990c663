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

/** Tones (Hz) and step lengths (ms) that the table's step characters index. */
export const TONES = [0, 600, 1800, 2700];
export const DURATIONS = [50, 60, 80, 100, 120, 150, 200, 250, 300, 380, 400, 500, 600, 700, 1000, 1500];

// Kept as one string per kind, not arrays of numbers: on the board every array element is a
// variable, and this table lives for the whole run. "<display text>|<steps>", 3 characters per
// step: leds (0-3), tone index into TONES (0 silent, 1 low 600 Hz, 2 mid 1.8 kHz, 3 high 2.7 kHz),
// duration letter indexing DURATIONS (a = 50 ms .. p = 1500 ms).
export const TABLE: { [kind: string]: string } = {
  "accepted": "OK|23e20j",
  "not-a-code": "Not a trace code|11k00d10l",
  "same-box-twice": "Already scanned|32d00d32d30n",
  "already-dispensed": "ALREADY SOLD|11h00f11h00f11h10p",
  "warn-list": "WARNING: flagged|11m00g11m10p",
  "storage-low": "Storage low: sync|32f00f32f30m",
  "session-opened": "Patient open|22c23c20k",
  "session-closed": "Patient closed|23c22c00a",
  "no-session": "Scan patient first|12f00d12f10k",
  "storage-full": "STORAGE FULL|11o10o",
  "undone": "Last box undone|33b00b33b00b33b",
  "nothing-to-undo": "Nothing to undo|12c00c12c",
  "split-armed": "Split: scan box|22b00b22b20i",
};

/** Every pattern as [leds, tone Hz, ms] steps, for hosts that read the table (the simulator). */
function decodeTable(): { [kind: string]: FeedbackPattern } {
  const out: { [kind: string]: FeedbackPattern } = {};
  for (const kind of Object.keys(TABLE)) {
    const row = TABLE[kind];
    const bar = row.indexOf("|");
    const steps: number[] = [];
    for (let i = bar + 1; i < row.length; i += 3) steps.push(row.charCodeAt(i) - 48, TONES[row.charCodeAt(i + 1) - 48], DURATIONS[row.charCodeAt(i + 2) - 97]);
    out[kind] = { steps: steps, text: row.substr(0, bar) };
  }
  return out;
}

/** Not used on the board (the player reads TABLE), so the bundle leaves it out. */
export const PATTERNS: { [kind: string]: FeedbackPattern } = /* @__PURE__ */ decodeTable();
