// The dispensing counter: one patient visit at a time. Every decision the doctor hears
// about is made here, and a record is durable in flash before the "accepted" signal.
//
// UX (firmware/README.md has the full table):
// - Scan the patient's e-voucher or prescription: a session opens (a still-open one closes
//   first: next patient). Refused when flash is down to its reserve.
// - Scan boxes: each becomes EV_DISPENSE. Refused with a distinct signal when no session is
//   open, the box was scanned already in this session, the box was dispensed from this
//   device before, or the gateway put the code on its warn list.
// - Split pack: scan a printed card "VT:SPLIT:<units>/<perPack>" then, within the arm window,
//   the box: EV_SPLIT. Repeated splits of one box may not exceed its units.
// - "NC:<catalogue code>[*qty]" card: a no-code-list item (EV_NOCODE).
// - Undo the last item: long button press or the "VT:UNDO" card (EV_UNDO, ref = its seq).
// - Close: short button press, "VT:CLOSE" card, or no activity for the configured timeout.
import type { ScanRecord } from "../../../protocol/src/record";
import { EV_OPEN, EV_DISPENSE, EV_SPLIT, EV_UNDO, EV_NOCODE, EV_CLOSE, OPEN_BY_VOUCHER, OPEN_BY_RX } from "../../../protocol/src/record";
import type { Journal } from "../journal/journal";
import type { Entry } from "../journal/record-codec";
import type { BoxHistory } from "../journal/history";
import type { ScanInput } from "../scanner/scan-input";
import {
  FB_ACCEPTED, FB_NOT_A_CODE, FB_SAME_BOX_TWICE, FB_ALREADY_DISPENSED, FB_WARN_LIST, FB_STORAGE_LOW,
  FB_SESSION_OPENED, FB_SESSION_CLOSED, FB_NO_SESSION, FB_STORAGE_FULL, FB_UNDONE, FB_NOTHING_TO_UNDO, FB_SPLIT_ARMED,
} from "../feedback/patterns";
import { HAS_DISPLAY } from "../../../protocol/src/board-flags";

export interface CounterSettings {
  /** Seconds without activity after which an open session closes. */
  sessionTimeout: number;
  /** Warn when free journal space falls below this percentage. */
  warnFreePct: number;
  /** Bytes kept for finishing an open session: no new session below this. */
  reserveBytes: number;
  /** Seconds a split card stays armed. */
  splitArmSeconds: number;
}

export interface CounterDeps {
  journal: Journal;
  history: { lookup(key: string): BoxHistory | null; add(key: string): void };
  warnList: { has(key: string): boolean };
  feedback: (kind: number, detail: string) => void;
  uptime: () => number;
  /** Keyed hash of an e-voucher token: 16 lowercase hex chars. */
  voucherHash: (token: string) => string;
  log: (msg: string) => void;
}

// The detail of a signal is the display's second line: a board without a display is built
// without the texts (HAS_DISPLAY ? text : "").

/** Bytes always kept free for closing the open session. */
const CLOSE_MARGIN = 16;

/** Most items of one session remembered for the same-box and undo checks. */
const MAX_SESSION_ITEMS = 64;

export class Counter {
  private d: CounterDeps;
  settings: CounterSettings;
  /** seq of the open session's EV_OPEN; 0 when none. */
  session = 0;
  /** Seqs and keys of the open session's items that are not undone (bounded, newest last). */
  private itemSeqs_: number[] = [];
  private itemKeys_: string[] = [];
  private lastActivity_ = 0;
  private split_: { units: number; perPack: number; until: number } | null = null;

  constructor(deps: CounterDeps, settings: CounterSettings) {
    this.d = deps;
    this.settings = settings;
  }

  /** Rebuilds the open session from the journal at boot (fed every record in order). */
  replay(r: ScanRecord): void {
    if (r.event === EV_OPEN || r.event === EV_CLOSE) {
      this.setSession_(r.event === EV_OPEN ? r.seq : 0);
    } else if (r.event === EV_UNDO) {
      this.forget_(r.ref as number);
    } else if (r.session !== 0 && r.session === this.session) {
      this.remember_(r.seq, r.event === EV_NOCODE ? "" : (r.code as string));
    }
  }

  /** Call after replay: a resumed session gets a fresh timeout. */
  resumed(): void {
    this.lastActivity_ = this.d.uptime();
    if (this.session) this.d.log("resumed open session " + this.session);
  }

  private remember_(seq: number, key: string): void {
    if (this.itemSeqs_.length >= MAX_SESSION_ITEMS) {
      this.itemSeqs_.shift();
      this.itemKeys_.shift();
    }
    this.itemSeqs_.push(seq);
    this.itemKeys_.push(key);
  }

  private forget_(seq: number): void {
    const at = this.itemSeqs_.indexOf(seq);
    if (at >= 0) {
      this.itemSeqs_.splice(at, 1);
      this.itemKeys_.splice(at, 1);
    }
  }

  /** Starts (seq) or ends (0) the open session: its items and any armed split are dropped. */
  private setSession_(seq: number): void {
    this.session = seq;
    this.itemSeqs_ = [];
    this.itemKeys_ = [];
    this.split_ = null;
  }

  /** Free journal space is below the configured warning percentage. */
  private storageLow_(): boolean {
    const cap = this.d.journal.capacityBytes();
    return (cap > 0 ? (this.d.journal.freeBytes() * 100) / cap : 0) < this.settings.warnFreePct;
  }

  /** Writes an entry; plays `kind` only once it is durable. Returns its seq, or 0. */
  private record_(e: Entry, kind: number, detail: string): number {
    const j = this.d.journal;
    // Whatever else fills flash, the open session must always be able to close.
    if (e.event !== EV_CLOSE && j.freeBytes() < j.sizeOf(e, this.d.uptime()) + CLOSE_MARGIN) {
      this.d.feedback(FB_STORAGE_FULL, HAS_DISPLAY ? "Sync to free space" : "");
      return 0;
    }
    const seq = j.append(e, this.d.uptime());
    if (seq === -1) {
      this.d.log("malformed entry refused, event " + e.event);
      this.d.feedback(FB_NOT_A_CODE, HAS_DISPLAY ? "Unreadable" : "");
      return 0;
    }
    if (seq === 0) {
      this.d.log("journal full: record refused");
      this.d.feedback(FB_STORAGE_FULL, HAS_DISPLAY ? "Sync to free space" : "");
      return 0;
    }
    this.d.feedback(kind, HAS_DISPLAY && kind === FB_ACCEPTED && this.storageLow_() ? "Storage low: sync" : detail);
    return seq;
  }

  onScan(s: ScanInput): void {
    this.lastActivity_ = this.d.uptime();
    if (s.type === "reject") {
      this.d.feedback(FB_NOT_A_CODE, s.message);
      return;
    }
    if (s.type === "voucher" || s.type === "rx") {
      // a patient: a still-open session closes first (next patient), its own signal follows at once
      if (this.session) this.close_();
      if (this.d.journal.freeBytes() < this.settings.reserveBytes) return this.d.feedback(FB_STORAGE_FULL, HAS_DISPLAY ? "No new patient" : "");
      const open: Entry = s.type === "voucher" ? { event: EV_OPEN, openBy: OPEN_BY_VOUCHER, patient: this.d.voucherHash(s.token) } : { event: EV_OPEN, openBy: OPEN_BY_RX, rx: s.rx };
      const seq = this.record_(open, FB_SESSION_OPENED, open.rx ?? "");
      if (!seq) return;
      this.setSession_(seq);
      if (this.storageLow_()) this.d.feedback(FB_STORAGE_LOW, HAS_DISPLAY ? "Patient open" : "");
      return;
    }
    if (s.type === "undo") return this.undo_();
    if (s.type === "close") return this.close_();
    if (!this.session) return this.d.feedback(FB_NO_SESSION, "");
    if (s.type === "split") {
      this.split_ = { units: s.units, perPack: s.perPack, until: this.d.uptime() + this.settings.splitArmSeconds };
      this.d.feedback(FB_SPLIT_ARMED, HAS_DISPLAY ? s.units + "/" + s.perPack : "");
      return;
    }
    if (s.type === "nocode") {
      const seq = this.record_({ event: EV_NOCODE, code: s.catalogue, units: s.units }, FB_ACCEPTED, s.catalogue);
      if (seq) this.remember_(seq, "");
      return;
    }
    // a box
    const key = s.code.key;
    const serial = s.code.serial;
    const split = this.split_ !== null && this.d.uptime() <= this.split_.until ? this.split_ : null;
    this.split_ = null;
    if (this.itemKeys_.indexOf(key) >= 0) return this.d.feedback(FB_SAME_BOX_TWICE, serial);
    if (this.d.warnList.has(key)) return this.d.feedback(FB_WARN_LIST, serial);
    const h = this.d.history.lookup(key);
    if (h !== null) {
      // A whole box already went out; a split box may go on until its units are used up.
      const used = h.whole || split === null || h.splitUnits + split.units > (h.perPack || split.perPack);
      if (used) return this.d.feedback(FB_ALREADY_DISPENSED, serial);
    }
    const e: Entry = split
      ? { event: EV_SPLIT, code: key, units: split.units, perPack: split.perPack }
      : { event: EV_DISPENSE, code: key };
    if (s.code.batch !== undefined) e.batch = s.code.batch;
    if (s.code.expiry !== undefined) e.expiry = s.code.expiry;
    const seq = this.record_(e, FB_ACCEPTED, HAS_DISPLAY && split ? serial + " " + split.units + "/" + split.perPack : serial);
    if (seq) {
      this.remember_(seq, key);
      this.d.history.add(key);
    }
  }

  private close_(): void {
    if (!this.session) return this.d.feedback(FB_NO_SESSION, "");
    if (this.record_({ event: EV_CLOSE }, FB_SESSION_CLOSED, "")) this.setSession_(0);
  }

  private undo_(): void {
    if (!this.session) return this.d.feedback(FB_NO_SESSION, "");
    const n = this.itemSeqs_.length;
    if (n === 0) return this.d.feedback(FB_NOTHING_TO_UNDO, "");
    const ref = this.itemSeqs_[n - 1];
    if (this.record_({ event: EV_UNDO, ref: ref }, FB_UNDONE, HAS_DISPLAY ? "#" + ref : "")) this.forget_(ref);
  }

  /** Button: short press closes the session, long press (>= 1 s) undoes the last item. */
  onButton(ms: number): void {
    this.lastActivity_ = this.d.uptime();
    if (ms >= 1000) this.undo_();
    else this.close_();
  }

  /** Called about once a second: closes an idle session. */
  tick(): void {
    if (this.session && this.d.uptime() - this.lastActivity_ >= this.settings.sessionTimeout) {
      this.d.log("session " + this.session + " closed after timeout");
      this.close_();
      this.lastActivity_ = this.d.uptime();
    }
  }
}
