// The ground truth of a run, built from what each board SIGNALLED: every feedback that stands
// for a durable record ("accepted", "session opened/closed", "undone") takes the next seq, and
// what was done at the counter at that moment says what the record holds. The boot line the
// firmware prints ("... boot N: seq S ...") re-anchors the count after every power-up, which
// shows records written but never signalled (power lost between the write and the beep) and,
// were it ever to happen, signalled records the board no longer has.
import { classifyScan } from "../../../protocol/src/code/index";
import { EV_CLOSE, EV_DISPENSE, EV_NOCODE, EV_OPEN, EV_SPLIT, EV_UNDO, type EventKind } from "../../../protocol/src/record";
import { interpretScan, type ScanInput } from "../../../firmware/src/scanner/scan-input";
import { SPLIT_ARM_SECONDS } from "../scenario/cards";
import type { AcceptedScan } from "../platform/index";
import type { BoardEvent } from "../board/index";
import { decodeFeedback, type FeedbackSignal } from "./feedback-decoder";

/** What the host did to one board: a read through the scanner or a button press. */
export type CounterInput = { t: number; type: "scan"; raw: string } | { t: number; type: "button"; pressMs: number };

/** A signalled record with its seq. */
export interface SignalledRecord extends AcceptedScan {
  /** Virtual ms of the signal. */
  t: number;
}

export interface BoardTruth {
  device: string;
  records: SignalledRecord[];
  /** Feedback kinds seen, with counts (every kind, refusals included). */
  feedback: Record<string, number>;
  /** Seqs the board wrote but never signalled (boot line ahead of the count). */
  unsignalled: number[];
  /** Seqs the board signalled but no longer had at a later boot (must stay empty). */
  forgotten: number[];
  /** Signals that fitted no input (should stay 0), and when the first few were. */
  unexplained: number;
  unexplainedAt: number[];
}

/** How long after an input its feedback may start (a read takes ~0.2 s at 9600 baud). */
const INPUT_WINDOW_MS = 5000;

const BOOT_LINE = /boot (\d+): seq (\d+) /;

type Reply = ScanInput["type"] | "button-short" | "button-long" | "none";

/** Kinds each input can produce, in the order one input plays them. */
const ALLOWED: Record<Reply, string[]> = {
  voucher: ["session-closed", "session-opened", "storage-low", "storage-full", "not-a-code"],
  rx: ["session-closed", "session-opened", "storage-low", "storage-full", "not-a-code"],
  code: ["accepted", "same-box-twice", "already-dispensed", "warn-list", "no-session", "storage-full", "not-a-code"],
  nocode: ["accepted", "no-session", "storage-full", "not-a-code"],
  split: ["split-armed", "no-session"],
  undo: ["undone", "nothing-to-undo", "no-session", "storage-full"],
  close: ["session-closed", "no-session"],
  reject: ["not-a-code"],
  "button-short": ["session-closed", "no-session"],
  "button-long": ["undone", "nothing-to-undo", "no-session", "storage-full"],
  none: ["session-closed"],
};

function settle(sig: FeedbackSignal, reply: Reply, sameTimeNext: FeedbackSignal | undefined): string | null {
  let kinds = sig.kinds.filter((k) => ALLOWED[reply].indexOf(k) >= 0);
  if (kinds.length > 1 && sameTimeNext && sameTimeNext.kinds.indexOf("session-opened") >= 0) kinds = kinds.filter((k) => k === "session-closed");
  if (kinds.length > 1 && sameTimeNext && sameTimeNext.kinds.indexOf("storage-low") >= 0) kinds = kinds.filter((k) => k === "session-opened");
  return kinds.length ? kinds[0] : null;
}

/** Rebuilds one board's signalled records from its event log and the inputs it was given. */
export function signalledRecords(device: string, events: readonly BoardEvent[], inputs: readonly CounterInput[], buzzerPin?: string): BoardTruth {
  const signals = decodeFeedback(events, buzzerPin);
  const boots: { t: number; seq: number }[] = [];
  for (const e of events) {
    if (e.kind !== "console") continue;
    const m = BOOT_LINE.exec(e.text);
    if (m && e.text.indexOf("village-trace") >= 0) boots.push({ t: e.t, seq: Number(m[2]) });
  }
  const truth: BoardTruth = { device, records: [], feedback: {}, unsignalled: [], forgotten: [], unexplained: 0, unexplainedAt: [] };
  let seq = 0;
  let items: number[] = [];
  let split: { units: number; perPack: number; until: number } | null = null;
  let inputAt = 0;
  let bootAt = 0;
  let booted = false;
  const parsed = inputs.map((i) => ({ input: i, scan: i.type === "scan" ? interpretScan(i.raw, classifyScan) : null }));

  const unexplained = (t: number) => {
    truth.unexplained++;
    if (truth.unexplainedAt.length < 20) truth.unexplainedAt.push(t);
  };
  const add = (t: number, event: EventKind, extra: Partial<AcceptedScan>) => {
    seq++;
    truth.records.push({ device, seq, event, t, ...extra });
    return seq;
  };

  for (let s = 0; s < signals.length; s++) {
    const sig = signals[s];
    while (bootAt < boots.length && boots[bootAt].t <= sig.t) {
      const b = boots[bootAt++];
      if (b.seq > seq) for (let q = seq + 1; q <= b.seq; q++) truth.unsignalled.push(q);
      else if (b.seq < seq && booted) for (let q = b.seq + 1; q <= seq; q++) truth.forgotten.push(q);
      seq = b.seq;
      split = null;
      booted = true;
    }
    while (inputAt < parsed.length && parsed[inputAt].input.t <= sig.t) inputAt++;
    const last = inputAt > 0 ? parsed[inputAt - 1] : null;
    const recent = last && sig.t - last.input.t <= INPUT_WINDOW_MS ? last : null;
    let reply: Reply = "none";
    if (recent) {
      if (recent.scan) reply = recent.scan.type;
      else if (recent.input.type === "button") reply = recent.input.pressMs >= 1000 ? "button-long" : "button-short";
    }
    const next = signals[s + 1] && Math.abs(signals[s + 1].t - sig.t) < 1 ? signals[s + 1] : undefined;
    const kind = settle(sig, reply, next) ?? (sig.kinds.length === 1 ? sig.kinds[0] : null);
    if (!kind) {
      unexplained(sig.t);
      continue;
    }
    truth.feedback[kind] = (truth.feedback[kind] ?? 0) + 1;
    const scan = recent ? recent.scan : null;
    if (scan && scan.type === "code" && (reply === "code")) {
      // The firmware consumes an armed split card on any box read inside a session.
      if (kind !== "no-session" && kind !== "not-a-code") {
        const armed = split !== null && sig.t <= split.until ? split : null;
        split = null;
        if (kind === "accepted") {
          const key = scan.code.key;
          items.push(armed ? add(sig.t, EV_SPLIT, { code: key, units: armed.units }) : add(sig.t, EV_DISPENSE, { code: key }));
        }
        continue;
      }
    }
    if (kind === "session-opened") {
      add(sig.t, EV_OPEN, {});
      items = [];
      split = null;
    } else if (kind === "session-closed") {
      add(sig.t, EV_CLOSE, {});
      items = [];
      split = null;
    } else if (kind === "undone") {
      const ref = items.pop();
      add(sig.t, EV_UNDO, ref === undefined ? {} : { ref });
    } else if (kind === "accepted" && scan && scan.type === "nocode") {
      items.push(add(sig.t, EV_NOCODE, { code: scan.catalogue, units: scan.units }));
    } else if (kind === "split-armed" && scan && scan.type === "split") {
      split = { units: scan.units, perPack: scan.perPack, until: sig.t + SPLIT_ARM_SECONDS * 1000 };
    } else if (kind === "accepted") {
      unexplained(sig.t); // an accepted beep after something that cannot be accepted
    }
  }
  while (bootAt < boots.length) {
    const b = boots[bootAt++];
    if (b.seq > seq) for (let q = seq + 1; q <= b.seq; q++) truth.unsignalled.push(q);
    else if (b.seq < seq && booted) for (let q = b.seq + 1; q <= seq; q++) truth.forgotten.push(q);
    seq = b.seq;
    booted = true;
  }
  return truth;
}
