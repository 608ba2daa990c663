// Reads what a doctor would see and hear back into feedback kinds: the LED and buzzer events
// of an emulated board are matched step by step, with their timing, against the firmware's
// one feedback table. A pattern cut short (the next feedback, or a power cut) leaves every
// kind its observed steps still fit; the caller settles those from what was done at the
// counter.
import { PATTERNS } from "../../../firmware/src/feedback/patterns";
import type { BoardEvent } from "../board/index";

export interface FeedbackSignal {
  /** Virtual ms when the pattern started. */
  t: number;
  /** Kinds the observed steps fit, best first; one entry when the pattern played out far enough. */
  kinds: string[];
  /** False when a newer pattern or a power loss cut it short. */
  complete: boolean;
}

interface Step {
  leds: number;
  tone: number;
  ms: number;
}

const TIME_SLACK_MS = 0.5;

function stepsOf(kind: string): Step[] {
  const s = PATTERNS[kind].steps;
  const out: Step[] = [];
  for (let i = 0; i + 2 < s.length; i += 3) out.push({ leds: s[i], tone: s[i + 1], ms: s[i + 2] });
  return out;
}

const TABLE: { kind: string; steps: Step[] }[] = Object.keys(PATTERNS).map((kind) => ({ kind, steps: stepsOf(kind) }));

/** Offset (ms from start) and expected (leds, tone) of the n-th buzzer call of a pattern; the last call switches everything off. */
function expectedCall(steps: Step[], n: number): { at: number; leds: number; tone: number } | null {
  if (n > steps.length) return null;
  let at = 0;
  for (let i = 0; i < n; i++) at += steps[i].ms;
  return n === steps.length ? { at, leds: 0, tone: 0 } : { at, leds: steps[n].leds, tone: steps[n].tone };
}

interface Open {
  t: number;
  /** Candidate kinds with the number of buzzer calls matched so far. */
  cands: { kind: string; steps: Step[]; matched: number }[];
}

/**
 * Decodes a board's event log into the feedback patterns it played. Relies on the player's
 * order of calls per step: LEDs first (red, then green), then exactly one buzzer call.
 */
export function decodeFeedback(events: readonly BoardEvent[], buzzerPin?: string): FeedbackSignal[] {
  const out: FeedbackSignal[] = [];
  let red = false;
  let green = false;
  let open: Open | null = null;

  const finish = (o: Open, cutAt: number | null) => {
    // A candidate still fits if its next call was not yet due when the pattern ended.
    const fits = o.cands.filter((c) => {
      const next = expectedCall(c.steps, c.matched);
      if (!next) return true;
      return cutAt === null || o.t + next.at >= cutAt - TIME_SLACK_MS;
    });
    const done = fits.filter((c) => c.matched > c.steps.length);
    const kinds = (done.length ? done : fits.length ? fits : o.cands).map((c) => c.kind);
    out.push({ t: o.t, kinds, complete: done.length > 0 });
  };

  for (const e of events) {
    if (e.kind === "led") {
      if (e.led === "LED1") red = e.on;
      else green = e.on;
      continue;
    }
    if (e.kind === "power" && e.state !== "on") {
      if (open) finish(open, e.t);
      open = null;
      red = false;
      green = false;
      continue;
    }
    if (e.kind !== "buzzer" || (buzzerPin !== undefined && e.pin !== buzzerPin)) continue;
    const leds = (red ? 1 : 0) | (green ? 2 : 0);
    const tone = e.duty > 0 ? e.freq : 0;
    if (open) {
      const o: Open = open;
      const advanced = o.cands.filter((c) => {
        const next = expectedCall(c.steps, c.matched);
        return next !== null && Math.abs(o.t + next.at - e.t) <= TIME_SLACK_MS && next.leds === leds && next.tone === tone;
      });
      if (advanced.length) {
        for (const c of advanced) c.matched++;
        o.cands = advanced;
        if (advanced.every((c) => c.matched > c.steps.length)) {
          finish(o, null);
          open = null;
        }
        continue;
      }
      finish(o, e.t);
      open = null;
    }
    const starts = TABLE.filter((p) => p.steps[0].leds === leds && p.steps[0].tone === tone);
    if (starts.length) open = { t: e.t, cands: starts.map((p) => ({ kind: p.kind, steps: p.steps, matched: 1 })) };
    // Anything else is a buzzer call outside the table (e.g. a stray "off"): nothing to decode.
  }
  if (open) finish(open, null);
  return out;
}
