// Plays one feedback pattern on the LEDs, the buzzer and the display; a new one cuts the
// previous one short so the doctor always hears about the latest scan.
import type { Leds, Buzzer, Display, Timers } from "../hal/io";
import { patternSteps, patternText, stepAt } from "./patterns";
import { HAS_DISPLAY } from "../../../protocol/src/board-flags";

// Written as locals of the constructor rather than members (one-byte names on the board).
export class FeedbackPlayer {
  /** The last kind played (its number, see KINDS): lets tests and the board's console see what the doctor saw. */
  last = -1;
  play: (kind: number, detail: string) => void;

  constructor(leds: Leds, buzzer: Buzzer, display: Display | null, timers: Timers) {
    let timer = 0;
    /** Plays the step at row[i] (3 characters, see patterns.ts) and schedules the next. */
    const step = (row: string, i: number) => {
      if (i >= row.length) {
        timer = 0;
        leds.set(false, false);
        buzzer.tone(0);
        return;
      }
      const s = stepAt(row, i);
      leds.set((s[0] & 1) !== 0, (s[0] & 2) !== 0);
      buzzer.tone(s[1]);
      timer = timers.after(s[2], () => step(row, i + 3));
    };
    this.play = (kind, detail) => {
      const row = patternSteps(kind);
      if (!row) return;
      this.last = kind;
      if (timer) timers.cancel(timer);
      timer = 0;
      if (HAS_DISPLAY && display) display.show(patternText(kind), detail);
      step(row, 0);
    };
  }
}
