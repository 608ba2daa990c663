// Plays one feedback pattern on the LEDs, the buzzer and the display; a new one cuts the
// previous one short so the doctor always hears about the latest scan.
import type { Leds, Buzzer, Display, Timers } from "../hal/io";
import { PATTERNS } from "./patterns";

export class FeedbackPlayer {
  private leds_: Leds;
  private buzzer_: Buzzer;
  private display_: Display | null;
  private timers_: Timers;
  private timer_ = 0;
  /** The last kind played: lets tests and the board's console see what the doctor saw. */
  last = "";
  lastDetail = "";

  constructor(leds: Leds, buzzer: Buzzer, display: Display | null, timers: Timers) {
    this.leds_ = leds;
    this.buzzer_ = buzzer;
    this.display_ = display;
    this.timers_ = timers;
  }

  play(kind: string, detail: string): void {
    const p = PATTERNS[kind];
    if (!p) return;
    this.last = kind;
    this.lastDetail = detail;
    if (this.timer_) this.timers_.cancel(this.timer_);
    this.timer_ = 0;
    if (this.display_) this.display_.show(p.text, detail);
    this.step_(p.steps, 0);
  }

  private step_(steps: number[], i: number): void {
    if (i >= steps.length) {
      this.timer_ = 0;
      this.leds_.set(false, false);
      this.buzzer_.tone(0);
      return;
    }
    const leds = steps[i];
    this.leds_.set((leds & 1) !== 0, (leds & 2) !== 0);
    this.buzzer_.tone(steps[i + 1]);
    this.timer_ = this.timers_.after(steps[i + 2], () => this.step_(steps, i + 3));
  }
}
