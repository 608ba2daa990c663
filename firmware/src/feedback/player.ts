// Plays one feedback pattern on the LEDs, the buzzer and the display; a new one cuts the
// previous one short so the doctor always hears about the latest scan.
import type { Leds, Buzzer, Display, Timers } from "../hal/io";
import { PATTERNS } from "./patterns";

export class FeedbackPlayer {
  private leds: Leds;
  private buzzer: Buzzer;
  private display: Display | null;
  private timers: Timers;
  private timer = 0;
  /** The last kind played: lets tests and the board's console see what the doctor saw. */
  last = "";
  lastDetail = "";

  constructor(leds: Leds, buzzer: Buzzer, display: Display | null, timers: Timers) {
    this.leds = leds;
    this.buzzer = buzzer;
    this.display = display;
    this.timers = timers;
  }

  play(kind: string, detail: string): void {
    const p = PATTERNS[kind];
    if (!p) return;
    this.last = kind;
    this.lastDetail = detail;
    if (this.timer) this.timers.cancel(this.timer);
    this.timer = 0;
    if (this.display) this.display.show(p.text, detail);
    this.step(p.steps, 0);
  }

  private step(steps: number[], i: number): void {
    if (i >= steps.length) {
      this.timer = 0;
      this.leds.set(false, false);
      this.buzzer.tone(0);
      return;
    }
    const leds = steps[i];
    this.leds.set((leds & 1) !== 0, (leds & 2) !== 0);
    this.buzzer.tone(steps[i + 1]);
    this.timer = this.timers.after(steps[i + 2], () => this.step(steps, i + 3));
  }
}
