// The offline journal: an append-only log of scan records in a ring of fixed-size Storage
// files ("pages") filled in place. Writes only ever fill erased bytes; a page is recreated
// (reclaimed) only when every event record in it was acked by the gateway, and pages are
// used in ring order so wear spreads evenly. A write torn by a power cut is found at boot by
// its CRC; the rest of that page is then left alone (never overwritten) and writing goes on
// in the next page. Nothing is kept in RAM per record: every reader streams from flash.
import type { ScanRecord } from "../../../protocol/src/record";
import type { FlashStore } from "../hal/flash";
import {
  encodeEvent, encodeAck, encodeBoot, encodeTime, decodeAt, blankRecord, copyState,
  DEC_FREE, MAX_RECORD_BYTES, type Entry, type StreamState, type Crc32Str,
} from "./record-codec";
import { HEADER_BYTES, encodeHeader, decodeHeader } from "./page-header";
import { recordFault } from "../../../protocol/src/frame/record-fault";

export interface JournalOptions {
  /** Page files are named prefix + index (Storage names are at most 28 chars). */
  prefix: string;
  pages: number;
  pageSize: number;
  crc32: Crc32Str;
  /** Persist the acked seq after it advanced this many records (a lost ack only costs a resend). */
  ackPersistEvery: number;
}

/** Called for every event record; return true to stop. The record object is reused: copy what you keep. */
export type RecordVisitor = (r: ScanRecord) => boolean | void;

export class Journal {
  private store_: FlashStore;
  private opt_: JournalOptions;
  private gen_: Uint32Array;
  private erases_: Uint32Array;
  private firstSeq_: Uint32Array;
  private endSeq_: Uint32Array;
  private valid_: Uint8Array;
  private active_ = -1;
  private writeOff_ = 0;
  /** The active page takes no more writes (full, or its tail is torn). */
  private sealed_ = true;
  private persistedAck_ = 0;
  private scratch_: ScanRecord = blankRecord();
  state: StreamState = { seq: 1, session: 0, uptime: 0, boot: 0, anchor: 0, trusted: false, acked: 0 };
  /** Torn or corrupt tails found at boot or on a failed write (each one dropped, never overwritten). */
  tornTails = 0;
  /** Why the last malformed entry was refused. */
  lastProblem = "";
  /** Pages recreated since boot. */
  reclaims = 0;

  constructor(store: FlashStore, opt: JournalOptions) {
    if (opt.pages < 2) throw new Error("journal needs at least 2 pages");
    this.store_ = store;
    this.opt_ = opt;
    this.gen_ = new Uint32Array(opt.pages);
    this.erases_ = new Uint32Array(opt.pages);
    this.firstSeq_ = new Uint32Array(opt.pages);
    this.endSeq_ = new Uint32Array(opt.pages);
    this.valid_ = new Uint8Array(opt.pages);
  }

  private pageName_(i: number): string {
    return this.opt_.prefix + i;
  }

  /** Page indices of valid pages, oldest first. */
  private order_(): number[] {
    const idx: number[] = [];
    for (let i = 0; i < this.opt_.pages; i++) if (this.valid_[i]) idx.push(i);
    const g = this.gen_;
    idx.sort((a, b) => g[a] - g[b]);
    return idx;
  }

  /**
   * Recovers the journal from flash. `visit` sees every surviving event record in order
   * (to rebuild the duplicate filter and the open session).
   */
  open(visit?: RecordVisitor): void {
    const crc = this.opt_.crc32;
    for (let i = 0; i < this.opt_.pages; i++) {
      const h = decodeHeader(this.store_.read(this.pageName_(i), 0, HEADER_BYTES), crc);
      this.valid_[i] = h ? 1 : 0;
      if (h) {
        this.gen_[i] = h.gen;
        this.erases_[i] = h.erases;
        this.firstSeq_[i] = h.state.seq;
      }
    }
    const order = this.order_();
    let acked = 0;
    for (let k = 0; k < order.length; k++) {
      const i = order[k];
      const last = k === order.length - 1;
      const page = this.store_.read(this.pageName_(i)) as string;
      const h = decodeHeader(page, crc) as { state: StreamState };
      this.state = copyState(h.state);
      if (this.state.acked < acked) this.state.acked = acked;
      const end = this.scanPage_(page, this.state, visit, last);
      acked = this.state.acked;
      this.endSeq_[i] = this.state.seq;
      if (last) {
        this.active_ = i;
        this.sealed_ = end < 0;
        this.writeOff_ = end < 0 ? this.opt_.pageSize : end;
      }
    }
    this.persistedAck_ = this.state.acked;
  }

  /**
   * Decodes a page's records into `st`. Returns the offset of the first erased byte, or -1 if
   * the data end in a torn/corrupt record (only checked for the active page).
   */
  private scanPage_(page: string, st: StreamState, visit: RecordVisitor | undefined, checkTail: boolean): number {
    const size = page.length;
    let off = HEADER_BYTES;
    const out = this.scratch_;
    while (true) {
      const before = st.seq;
      const n = decodeAt(page, off, size, st, out, this.opt_.crc32);
      if (n === DEC_FREE) break;
      if (n < 0) {
        if (checkTail) this.tornTails++;
        return -1;
      }
      off += n;
      if (visit && st.seq !== before) visit(out);
    }
    if (!checkTail) return off;
    // Erased flash must stay erased for a whole record's length: otherwise a write was torn
    // after its first byte came out as 0xFF.
    const tailEnd = Math.min(size, off + MAX_RECORD_BYTES);
    for (let p = off; p < tailEnd; p++) {
      if (page.charCodeAt(p) !== 0xff) {
        this.tornTails++;
        return -1;
      }
    }
    return off;
  }

  /** Makes room for `len` bytes in the active page, moving to the next page if needed. */
  private ensureSpace_(len: number): boolean {
    if (this.active_ >= 0 && !this.sealed_ && this.writeOff_ + len <= this.opt_.pageSize) return true;
    const next = this.active_ < 0 ? 0 : (this.active_ + 1) % this.opt_.pages;
    // a page may be recreated only when every event record in it is acked
    if (this.valid_[next] && this.endSeq_[next] > this.state.acked + 1) return false;
    let maxGen = 0;
    for (let i = 0; i < this.opt_.pages; i++) if (this.valid_[i] && this.gen_[i] > maxGen) maxGen = this.gen_[i];
    const wasValid = this.valid_[next] === 1;
    const erases = this.erases_[next] + (wasValid ? 1 : 0);
    const header = encodeHeader(maxGen + 1, erases, this.state, this.opt_.crc32);
    // From here the old page is gone whatever happens, so forget it first.
    this.valid_[next] = 0;
    let ok = false;
    try {
      ok = this.store_.write(this.pageName_(next), header, 0, this.opt_.pageSize) !== false;
      ok = ok && this.store_.read(this.pageName_(next), 0, HEADER_BYTES) === header;
    } catch {
      ok = false;
    }
    if (!ok) return false;
    if (wasValid) this.reclaims++;
    this.valid_[next] = 1;
    this.gen_[next] = maxGen + 1;
    this.erases_[next] = erases;
    this.firstSeq_[next] = this.state.seq;
    this.endSeq_[next] = this.state.seq;
    this.active_ = next;
    this.writeOff_ = HEADER_BYTES;
    this.sealed_ = false;
    return len + HEADER_BYTES <= this.opt_.pageSize;
  }

  /** Writes encoded bytes durably and applies them to the state; false if there is no room. */
  private put_(bytes: string): boolean {
    for (let attempt = 0; attempt < 2; attempt++) {
      if (!this.ensureSpace_(bytes.length)) return false;
      const name = this.pageName_(this.active_);
      let ok = false;
      try {
        ok = this.store_.write(name, bytes, this.writeOff_) !== false;
        // Read back: a write the flash did not take must never be reported as durable.
        ok = ok && this.store_.read(name, this.writeOff_, bytes.length) === bytes;
      } catch {
        ok = false;
      }
      if (ok) {
        decodeAt(bytes, 0, bytes.length, this.state, this.scratch_, this.opt_.crc32);
        this.writeOff_ += bytes.length;
        this.endSeq_[this.active_] = this.state.seq;
        return true;
      }
      // The bytes there are now unknown: leave them, continue on a fresh page.
      this.sealed_ = true;
      this.tornTails++;
    }
    return false;
  }

  /** Bytes an event entry would take now (0 if it is malformed). */
  sizeOf(e: Entry, uptime: number): number {
    const b = encodeEvent(e, this.state, uptime, this.opt_.crc32);
    return b === null ? 0 : b.length;
  }

  /**
   * Appends an event; returns its seq once it is durable in flash, 0 when there is no room,
   * -1 when the entry is malformed. The returned seq is safe to confirm to the doctor.
   */
  append(e: Entry, uptime: number): number {
    const bytes = encodeEvent(e, this.state, uptime, this.opt_.crc32);
    if (bytes === null) return -1;
    // Only what the gateway will accept goes to flash: check the record as it will read back.
    const probe = copyState(this.state);
    decodeAt(bytes, 0, bytes.length, probe, this.scratch_, this.opt_.crc32);
    const problem = recordFault(this.scratch_);
    if (problem !== null) {
      this.lastProblem = problem;
      return -1;
    }
    const seq = this.state.seq;
    return this.put_(bytes) ? seq : 0;
  }

  /** Records a boot: the boot counter goes up by one (in RAM even if flash is full). */
  markBoot(clockNow: number, uptime: number): number {
    const boot = this.state.boot + 1;
    const anchor = Math.max(0, Math.floor(clockNow - uptime));
    if (!this.put_(encodeBoot(boot, anchor, this.opt_.crc32))) {
      this.state.boot = boot;
      this.state.anchor = anchor;
      this.state.trusted = false;
      this.state.uptime = 0;
    }
    return boot;
  }

  /** The clock was set by the gateway: later records carry trusted times. */
  markTime(clockNow: number, uptime: number): void {
    const anchor = Math.max(0, Math.floor(clockNow - uptime));
    if (!this.put_(encodeTime(anchor, this.state, uptime, this.opt_.crc32))) {
      this.state.anchor = anchor;
      this.state.trusted = true;
    }
  }

  /** The gateway durably holds every record up to `upto`. Returns the (possibly unchanged) acked seq. */
  ack(upto: number, uptime: number): number {
    const last = this.state.seq - 1;
    const v = upto > last ? last : upto;
    this.compactIfLow_();
    if (v <= this.state.acked) return this.state.acked;
    this.state.acked = v;
    if (v - this.persistedAck_ >= this.opt_.ackPersistEvery) {
      if (this.put_(encodeAck(v, this.state, uptime, this.opt_.crc32))) this.persistedAck_ = v;
    }
    return v;
  }

  /**
   * Storage compacts by itself when a new file does not fit, at whatever moment that is, and
   * a power cut during a compaction loses the files it was rewriting. So compact here, when
   * an ack arrives (the board is up and its records are held elsewhere), once less
   * free space is left than the journal could fill before the next ack; then Storage never
   * has to compact on its own while records wait for the gateway.
   */
  private compactIfLow_(): void {
    const st = this.store_ as unknown as { [k: string]: () => { [k: string]: number } };
    // quoted: Storage's own names, which the bundler must not shorten
    if (!st["getStats"] || !st["compact"]) return;
    const stats = st["getStats"]();
    if (stats["trashBytes"] > 0 && stats["freeBytes"] < (this.opt_.pages + 4) * (this.opt_.pageSize + 32)) {
      try {
        st["compact"]();
      } catch {
        // Storage still compacts by itself when it must
      }
    }
  }

  get lastSeq(): number {
    return this.state.seq - 1;
  }

  get acked(): number {
    return this.state.acked;
  }

  /** Streams event records with seq >= fromSeq, oldest first, at most `max` of them. */
  read(fromSeq: number, max: number, visit: RecordVisitor): number {
    let count = 0;
    const order = this.order_();
    const out = this.scratch_;
    for (let k = 0; k < order.length && count < max; k++) {
      const i = order[k];
      if (this.endSeq_[i] <= fromSeq) continue;
      const page = this.store_.read(this.pageName_(i)) as string;
      const h = decodeHeader(page, this.opt_.crc32);
      if (!h) continue;
      const s = h.state;
      let off = HEADER_BYTES;
      while (count < max && s.seq < this.endSeq_[i]) {
        const before = s.seq;
        const n = decodeAt(page, off, page.length, s, out, this.opt_.crc32);
        if (n <= 0) break;
        off += n;
        if (s.seq !== before && out.seq >= fromSeq) {
          count++;
          if (visit(out) === true) return count;
        }
      }
    }
    return count;
  }

  /** Free bytes for new records: the active page's rest plus empty or fully-acked pages. */
  freeBytes(): number {
    const usable = this.opt_.pageSize - HEADER_BYTES;
    let free = this.active_ >= 0 && !this.sealed_ ? this.opt_.pageSize - this.writeOff_ : 0;
    let storageFree = -1;
    for (let i = 0; i < this.opt_.pages; i++) {
      if (i === this.active_) continue;
      if (this.valid_[i]) {
        if (this.endSeq_[i] <= this.state.acked + 1) free += usable; // every record acked: reclaimable
        continue;
      }
      // A page file not created yet counts only while Storage can still hold it.
      if (storageFree < 0) storageFree = this.store_.getFree();
      if (this.store_.read(this.pageName_(i), 0, 1) !== undefined || storageFree >= this.opt_.pageSize) {
        free += usable;
        if (this.store_.read(this.pageName_(i), 0, 1) === undefined) storageFree -= this.opt_.pageSize;
      }
    }
    return free;
  }

  capacityBytes(): number {
    return this.opt_.pages * (this.opt_.pageSize - HEADER_BYTES);
  }

  /** Wear: the highest and lowest erase counts over the pages in use. */
  wear(): { min: number; max: number } {
    let min = -1;
    let max = 0;
    for (let i = 0; i < this.opt_.pages; i++) {
      if (!this.valid_[i]) continue;
      if (min < 0 || this.erases_[i] < min) min = this.erases_[i];
      if (this.erases_[i] > max) max = this.erases_[i];
    }
    return { min: min < 0 ? 0 : min, max: max };
  }
}
