// Plays one feedback pattern on the LEDs, the buzzer and the display; a new one cuts the
// previous one short so the doctor always hears about the latest scan.
import type { Leds, Buzzer, Display, Timers } from "../hal/io";
import { patternSteps, patternText, stepAt } from "./patterns";
import { HAS_DISPLAY } from "../../../protocol/src/board-flags";

export class FeedbackPlayer {
  private leds_: Leds;
  private buzzer_: Buzzer;
  private display_: Display | null;
  private timers_: Timers;
  private timer_ = 0;
  /** The last kind played (its number, see KINDS): lets tests and the board's console see what the doctor saw. */
  last = -1;

  constructor(leds: Leds, buzzer: Buzzer, display: Display | null, timers: Timers) {
    this.leds_ = leds;
    this.buzzer_ = buzzer;
    this.display_ = display;
    this.timers_ = timers;
  }

  play(kind: number, detail: string): void {
    const row = patternSteps(kind);
    if (!row) return;
    this.last = kind;
    if (this.timer_) this.timers_.cancel(this.timer_);
    this.timer_ = 0;
    if (HAS_DISPLAY && this.display_) this.display_.show(patternText(kind), detail);
    this.step_(row, 0);
  }

  /** Plays the step at row[i] (3 characters, see patterns.ts) and schedules the next. */
  private step_(row: string, i: number): void {
    if (i >= row.length) {
      this.timer_ = 0;
      this.leds_.set(false, false);
      this.buzzer_.tone(0);
      return;
    }
    const s = stepAt(row, i);
    this.leds_.set((s[0] & 1) !== 0, (s[0] & 2) !== 0);
    this.buzzer_.tone(s[1]);
    this.timer_ = this.timers_.after(s[2], () => this.step_(row, i + 3));
  }
}
