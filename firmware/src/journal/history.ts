// "Was this box already dispensed from this device?" without keeping codes in RAM: a Bloom
// filter over the dispensed code keys still in flash, rebuilt at boot while the journal is
// scanned, and a confirming scan of the journal on a hit (undone records do not count).
import type { ScanRecord } from "../../../protocol/src/record";
import { EV_DISPENSE, EV_SPLIT, EV_UNDO } from "../../../protocol/src/record";
import type { Crc32Str } from "./record-codec";
import type { Journal } from "./journal";

const HASHES = 3;

export interface BoxHistory {
  /** A whole-box dispense of this key that is not undone. */
  whole: boolean;
  /** Units taken so far by split-pack dispenses that are not undone, and the box's size. */
  splitUnits: number;
  perPack: number;
}

export class DispenseHistory {
  private bits_: Uint8Array;
  private crc_: Crc32Str;
  private journal_: Journal;
  /** Confirming scans run (Bloom hits) and how many were false positives. */
  scans = 0;
  falseHits = 0;

  constructor(journal: Journal, bloomBytes: number, crc: Crc32Str) {
    this.journal_ = journal;
    this.bits_ = new Uint8Array(bloomBytes);
    this.crc_ = crc;
  }

  /** Sets (set) or tests the key's bits; true when every bit was already set. */
  private probe_(key: string, set: boolean): boolean {
    const b = this.bits_;
    const m = b.length * 8;
    const h1 = this.crc_(key);
    const h2 = (this.crc_(key + "\u0001") | 1) >>> 0;
    let all = true;
    for (let i = 0; i < HASHES; i++) {
      const bit = (h1 + i * h2) % m;
      if ((b[bit >> 3] & (1 << (bit & 7))) === 0) all = false;
      if (set) b[bit >> 3] |= 1 << (bit & 7);
    }
    return all;
  }

  add(key: string): void {
    this.probe_(key, true);
  }

  /** Feed every journal record through this at boot. */
  replay(r: ScanRecord): void {
    if ((r.event === EV_DISPENSE || r.event === EV_SPLIT) && r.code !== undefined) this.add(r.code);
  }

  mightContain(key: string): boolean {
    return this.probe_(key, false);
  }

  /** Null when the device never dispensed this box (as far as flash still remembers). */
  lookup(key: string): BoxHistory | null {
    if (!this.mightContain(key)) return null;
    this.scans++;
    // Matching record seqs (and their split units) as a short string-free list: undo removes.
    const seqs: number[] = [];
    const units: number[] = [];
    let perPack = 0;
    this.journal_.read(1, 1e9, (r) => {
      if ((r.event === EV_DISPENSE || r.event === EV_SPLIT) && r.code === key) {
        if (seqs.length >= 32) {
          seqs.shift();
          units.shift();
        }
        seqs.push(r.seq);
        units.push(r.event === EV_SPLIT ? (r.units as number) : 0);
        if (r.event === EV_SPLIT) perPack = r.perPack as number;
      } else if (r.event === EV_UNDO) {
        const at = seqs.indexOf(r.ref as number);
        if (at >= 0) {
          seqs.splice(at, 1);
          units.splice(at, 1);
        }
      }
    });
    if (seqs.length === 0) {
      this.falseHits++;
      return null;
    }
    const h: BoxHistory = { whole: false, splitUnits: 0, perPack: perPack };
    for (let i = 0; i < units.length; i++) {
      if (units[i] === 0) h.whole = true;
      else h.splitUnits += units[i];
    }
    return h;
  }
}
