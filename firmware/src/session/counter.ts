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

/** What the counter reaches: the journal, the box history, the warn list, the feedback player. */
export type CounterHistory = { lookup(key: string): BoxHistory | null; add(key: string): void };
export type CounterWarnList = { has(key: string): boolean };

// The detail of a signal is the display's second line: a board without a display is built
// without the texts (HAS_DISPLAY ? text : "").

/** Bytes always kept free for closing the open session. */
const CLOSE_MARGIN = 16;

/** Most items of one session remembered for the same-box and undo checks. */
const MAX_SESSION_ITEMS = 64;

// Written as locals of the constructor rather than members: on the board a local is a one-byte
// name, a member `this.x` three bytes, a dependency reached through an object more.
export class Counter {
  settings: CounterSettings;
  /** seq of the open session's EV_OPEN; 0 when none. */
  session = 0;
  /** Rebuilds the open session from the journal at boot (fed every record in order). */
  replay: (r: ScanRecord) => void;
  /** Call after replay: a resumed session gets a fresh timeout. */
  resumed: () => void;
  onScan: (s: ScanInput) => void;
  /** Button: short press closes the session, long press (>= 1 s) undoes the last item. */
  onButton: (ms: number) => void;
  /** Called about once a second: closes an idle session. */
  tick: () => void;

  /**
   * `feedback` plays a kind with its display detail; `uptime` is seconds since boot;
   * `voucherHash` is the keyed hash of an e-voucher token (16 lowercase hex chars).
   */
  constructor(
    journal: Journal,
    history: CounterHistory,
    warnList: CounterWarnList,
    feedback: (kind: number, detail: string) => void,
    uptime: () => number,
    voucherHash: (token: string) => string,
    log: (msg: string) => void,
    settings: CounterSettings,
  ) {
    this.settings = settings;
    /** Seqs and keys of the open session's items that are not undone (bounded, newest last). */
    let itemSeqs: number[] = [];
    let itemKeys: string[] = [];
    let lastActivity = 0;
    let split: { units: number; perPack: number; until: number } | null = null;

    const remember = (seq: number, key: string) => {
      if (itemSeqs.length >= MAX_SESSION_ITEMS) {
        itemSeqs.shift();
        itemKeys.shift();
      }
      itemSeqs.push(seq);
      itemKeys.push(key);
    };
    const forget = (seq: number) => {
      const at = itemSeqs.indexOf(seq);
      if (at >= 0) {
        itemSeqs.splice(at, 1);
        itemKeys.splice(at, 1);
      }
    };
    /** Starts (seq) or ends (0) the open session: its items and any armed split are dropped. */
    const setSession = (seq: number) => {
      this.session = seq;
      itemSeqs = [];
      itemKeys = [];
      split = null;
    };
    /** Free journal space is below the configured warning percentage. */
    const storageLow = () => {
      const cap = journal.capacity;
      return (cap > 0 ? (journal.freeBytes() * 100) / cap : 0) < this.settings.warnFreePct;
    };
    /** Writes an entry; plays `kind` only once it is durable. Returns its seq, or 0. */
    const record = (e: Entry, kind: number, detail: string): number => {
      // Whatever else fills flash, the open session must always be able to close.
      if (e.event !== EV_CLOSE && journal.freeBytes() < journal.sizeOf(e, uptime()) + CLOSE_MARGIN) {
        feedback(FB_STORAGE_FULL, HAS_DISPLAY ? "Sync to free space" : "");
        return 0;
      }
      const seq = journal.append(e, uptime());
      if (seq === -1) {
        log("entry refused, event " + e.event);
        feedback(FB_NOT_A_CODE, HAS_DISPLAY ? "Unreadable" : "");
        return 0;
      }
      if (seq === 0) {
        log("journal full");
        feedback(FB_STORAGE_FULL, HAS_DISPLAY ? "Sync to free space" : "");
        return 0;
      }
      feedback(kind, HAS_DISPLAY && kind === FB_ACCEPTED && storageLow() ? "Storage low: sync" : detail);
      return seq;
    };
    const close = () => {
      if (!this.session) return feedback(FB_NO_SESSION, "");
      if (record({ event: EV_CLOSE }, FB_SESSION_CLOSED, "")) setSession(0);
    };
    const undo = () => {
      if (!this.session) return feedback(FB_NO_SESSION, "");
      const n = itemSeqs.length;
      if (n === 0) return feedback(FB_NOTHING_TO_UNDO, "");
      const ref = itemSeqs[n - 1];
      if (record({ event: EV_UNDO, ref: ref }, FB_UNDONE, HAS_DISPLAY ? "#" + ref : "")) forget(ref);
    };

    this.replay = (r) => {
      if (r.event === EV_OPEN || r.event === EV_CLOSE) {
        setSession(r.event === EV_OPEN ? r.seq : 0);
      } else if (r.event === EV_UNDO) {
        forget(r.ref as number);
      } else if (r.session !== 0 && r.session === this.session) {
        remember(r.seq, r.event === EV_NOCODE ? "" : (r.code as string));
      }
    };
    this.resumed = () => {
      lastActivity = uptime();
      if (this.session) log("resumed session " + this.session);
    };
    this.onScan = (s) => {
      lastActivity = uptime();
      if (s.type === "reject") return feedback(FB_NOT_A_CODE, s.message);
      if (s.type === "voucher" || s.type === "rx") {
        // a patient: a still-open session closes first (next patient), its own signal follows at once
        if (this.session) close();
        if (journal.freeBytes() < this.settings.reserveBytes) return feedback(FB_STORAGE_FULL, HAS_DISPLAY ? "No new patient" : "");
        const open: Entry = s.type === "voucher" ? { event: EV_OPEN, openBy: OPEN_BY_VOUCHER, patient: voucherHash(s.token) } : { event: EV_OPEN, openBy: OPEN_BY_RX, rx: s.rx };
        const seq = record(open, FB_SESSION_OPENED, open.rx ?? "");
        if (!seq) return;
        setSession(seq);
        if (storageLow()) feedback(FB_STORAGE_LOW, HAS_DISPLAY ? "Patient open" : "");
        return;
      }
      if (s.type === "undo") return undo();
      if (s.type === "close") return close();
      if (!this.session) return feedback(FB_NO_SESSION, "");
      if (s.type === "split") {
        split = { units: s.units, perPack: s.perPack, until: uptime() + this.settings.splitArmSeconds };
        return feedback(FB_SPLIT_ARMED, HAS_DISPLAY ? s.units + "/" + s.perPack : "");
      }
      if (s.type === "nocode") {
        const seq = record({ event: EV_NOCODE, code: s.catalogue, units: s.units }, FB_ACCEPTED, s.catalogue);
        if (seq) remember(seq, "");
        return;
      }
      // a box
      const key = s.code.key;
      const serial = s.code.serial;
      const armed = split !== null && uptime() <= split.until ? split : null;
      split = null;
      if (itemKeys.indexOf(key) >= 0) return feedback(FB_SAME_BOX_TWICE, serial);
      if (warnList.has(key)) return feedback(FB_WARN_LIST, serial);
      const h = history.lookup(key);
      // A whole box already went out; a split box may go on until its units are used up.
      if (h !== null && (h.whole || armed === null || h.splitUnits + armed.units > (h.perPack || armed.perPack))) return feedback(FB_ALREADY_DISPENSED, serial);
      const e: Entry = armed
        ? { event: EV_SPLIT, code: key, units: armed.units, perPack: armed.perPack }
        : { event: EV_DISPENSE, code: key };
      if (s.code.batch !== undefined) e.batch = s.code.batch;
      if (s.code.expiry !== undefined) e.expiry = s.code.expiry;
      const seq = record(e, FB_ACCEPTED, HAS_DISPLAY && armed ? serial + " " + armed.units + "/" + armed.perPack : serial);
      if (seq) {
        remember(seq, key);
        history.add(key);
      }
    };
    this.onButton = (ms) => {
      lastActivity = uptime();
      if (ms >= 1000) undo();
      else close();
    };
    this.tick = () => {
      if (this.session && uptime() - lastActivity >= this.settings.sessionTimeout) {
        log("session " + this.session + " closed after timeout");
        close();
        lastActivity = uptime();
      }
    };
  }
}
