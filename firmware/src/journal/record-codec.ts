// One journal record, byte by byte (firmware/README.md has the table):
//   byte 0   : kind (low 4 bits) | uptime delta in seconds 0..14 (high 4 bits; 15 = a varint follows)
//   [varint] : the uptime delta when it does not fit the high nibble
//   payload  : by kind (below)
//   2 bytes  : check = low 16 bits of CRC-32 over every byte before them, big-endian, with
//              0xFFFF stored as 0xFFFE: erased bytes can then never pass as a check, so a
//              write torn before its check bytes is always detected
// Event records take the next sequence number implicitly; the session is implicit too (set by
// the last OPEN, cleared after CLOSE), so a 20-digit dispense costs 11 bytes.
// A 0xFF first byte is erased flash: the end of the page's data.
import type { ScanRecord } from "../../../protocol/src/record";
import { EV_OPEN, EV_DISPENSE, EV_SPLIT, EV_UNDO, EV_NOCODE, EV_CLOSE, OPEN_BY_VOUCHER, OPEN_BY_RX } from "../../../protocol/src/record";
import { varintToStr, readVarint, shortStr, readShortStr, u32ToStr, strU32, strU16, u16ToStr, isDigits, type Cursor } from "./bytes";
import { isPackableCn20, packCn20, unpackCn20 } from "./cn20";
import { fromHex, toHex, stringFromBytes, bytesFromString } from "../../../protocol/src/crypto/bytes";

export const K_OPEN_VOUCHER = 1;
export const K_OPEN_RX = 2;
export const K_DISPENSE_CN = 3;
export const K_DISPENSE_STR = 4;
export const K_SPLIT_CN = 5;
export const K_SPLIT_STR = 6;
export const K_UNDO = 7;
export const K_NOCODE = 8;
export const K_CLOSE = 9;
/** Internal: the gateway acked every record up to this seq. */
export const K_ACK = 10;
/** Internal: a boot; carries the boot counter and the clock's time at uptime 0. */
export const K_BOOT = 11;
/** Internal: the clock was set by the gateway; carries the new time at uptime 0. */
export const K_TIME = 12;
/** A prescription number "RX" + digits, the digits packed two per byte (BCD). */
export const K_OPEN_RX_DIGITS = 13;

/** Longest record the codec writes or accepts. */
export const MAX_RECORD_BYTES = 200;
/** Longest free-text field (codes, batch, rx numbers). */
export const MAX_FIELD = 60;

/** What the session logic asks the journal to record; the journal adds seq, time, session. */
export type Entry = Pick<ScanRecord, "event" | "code" | "batch" | "expiry" | "units" | "perPack" | "ref" | "openBy" | "patient" | "rx">;

/** The decoder's running state: everything a record leaves implicit. */
export interface StreamState {
  /** The seq the next event record takes. */
  seq: number;
  session: number;
  uptime: number;
  boot: number;
  /** Unix time at uptime 0 of this boot (clock time minus uptime). */
  anchor: number;
  trusted: boolean;
  acked: number;
}

export function copyState(s: StreamState): StreamState {
  return { seq: s.seq, session: s.session, uptime: s.uptime, boot: s.boot, anchor: s.anchor, trusted: s.trusted, acked: s.acked };
}

export type Crc32Str = (s: string) => number;

/** A record's check value: never 0xFFFF, the value of erased flash. */
export function check16(crc: Crc32Str, s: string): number {
  const c = crc(s) & 0xffff;
  return c === 0xffff ? 0xfffe : c;
}

function fieldOk(v: string | undefined): boolean {
  return v === undefined || v.length <= MAX_FIELD;
}

/** Payload and kind of an event entry; null when the entry is malformed. */
function payloadOf(e: Entry, seq: number): { kind: number; body: string } | null {
  if (!fieldOk(e.code) || !fieldOk(e.batch) || !fieldOk(e.expiry) || !fieldOk(e.rx)) return null;
  const plainCode = e.batch === undefined && e.expiry === undefined && e.code !== undefined && isPackableCn20(e.code);
  if (e.event === EV_OPEN) {
    if (e.openBy === OPEN_BY_VOUCHER) {
      const b = fromHex(e.patient ?? "");
      const h = b !== null && b.length === 8 ? stringFromBytes(b) : null;
      return h === null ? null : { kind: K_OPEN_VOUCHER, body: h };
    }
    if (e.openBy === OPEN_BY_RX && e.rx !== undefined && e.rx.length > 0) {
      const d = e.rx.substr(2);
      if (e.rx.length > 2 && e.rx.substr(0, 2) === "RX" && isDigits(d)) {
        // digit count, then two digits per byte (high nibble first)
        let bcd = String.fromCharCode(d.length);
        for (let i = 0; i < d.length; i += 2) bcd += String.fromCharCode(((d.charCodeAt(i) - 48) << 4) | (i + 1 < d.length ? d.charCodeAt(i + 1) - 48 : 0));
        return { kind: K_OPEN_RX_DIGITS, body: bcd };
      }
      return { kind: K_OPEN_RX, body: shortStr(e.rx) };
    }
    return null;
  }
  if (e.event === EV_DISPENSE || e.event === EV_SPLIT) {
    if (e.code === undefined || e.code.length === 0) return null;
    let body = plainCode ? packCn20(e.code) : shortStr(e.code) + shortStr(e.batch ?? "") + shortStr(e.expiry ?? "");
    if (e.event === EV_SPLIT) {
      if (!(e.units! >= 1 && e.perPack! >= e.units!)) return null;
      body += varintToStr(e.units!) + varintToStr(e.perPack!);
      return { kind: plainCode ? K_SPLIT_CN : K_SPLIT_STR, body: body };
    }
    return { kind: plainCode ? K_DISPENSE_CN : K_DISPENSE_STR, body: body };
  }
  if (e.event === EV_UNDO) {
    if (!(e.ref! >= 1 && e.ref! < seq)) return null;
    return { kind: K_UNDO, body: varintToStr(seq - e.ref!) };
  }
  if (e.event === EV_NOCODE) {
    if (e.code === undefined || e.code.length === 0 || !(e.units! >= 1)) return null;
    return { kind: K_NOCODE, body: shortStr(e.code) + varintToStr(e.units!) };
  }
  if (e.event === EV_CLOSE) return { kind: K_CLOSE, body: "" };
  return null;
}

function frame(kind: number, state: StreamState, uptime: number, body: string, crc: Crc32Str): string {
  let dt = uptime - state.uptime;
  if (!(dt >= 0)) dt = 0; // uptime is monotonic; never encode a negative delta
  dt = Math.floor(dt);
  const head = dt < 15 ? String.fromCharCode((dt << 4) | kind) : String.fromCharCode(0xf0 | kind) + varintToStr(dt);
  const rec = head + body;
  return rec + u16ToStr(check16(crc, rec));
}

/** Bytes of an event record for `e` at `uptime`; null when the entry is malformed. */
export function encodeEvent(e: Entry, state: StreamState, uptime: number, crc: Crc32Str): string | null {
  const p = payloadOf(e, state.seq);
  return p === null ? null : frame(p.kind, state, uptime, p.body, crc);
}

export function encodeAck(upto: number, state: StreamState, uptime: number, crc: Crc32Str): string {
  return frame(K_ACK, state, uptime, varintToStr(upto), crc);
}

/** A boot record; its uptime delta is 0 and it resets the stream's uptime to 0. */
export function encodeBoot(boot: number, anchor: number, crc: Crc32Str): string {
  const rec = String.fromCharCode(K_BOOT) + varintToStr(boot) + u32ToStr(anchor);
  return rec + u16ToStr(check16(crc, rec));
}

export function encodeTime(anchor: number, state: StreamState, uptime: number, crc: Crc32Str): string {
  return frame(K_TIME, state, uptime, u32ToStr(anchor), crc);
}

/** Result of decoding at one offset. */
export const DEC_FREE = 0; // erased flash: no more data here
export const DEC_BAD = -1; // torn or corrupt: the journal skips MAX_RECORD_BYTES from here

/**
 * Decodes the record at `at` (bounded by `end`), applies it to `state` and, for an event
 * record, fills `out`. Returns the record's length, DEC_FREE or DEC_BAD. `state` is left
 * untouched unless the record is valid.
 */
export function decodeAt(s: string, at: number, end: number, state: StreamState, out: ScanRecord, crc: Crc32Str): number {
  if (at >= end) return DEC_FREE;
  const b0 = s.charCodeAt(at);
  if (b0 === 0xff) return DEC_FREE;
  const kind = b0 & 15;
  const limit = Math.min(end, at + MAX_RECORD_BYTES);
  const c: Cursor = { pos: at + 1, end: limit };
  let dt = b0 >> 4;
  if (dt === 15) dt = readVarint(s, c);
  if (c.end < 0) return DEC_BAD;
  let code: string | null = null;
  let batch: string | null = null;
  let expiry: string | null = null;
  let n1 = 0;
  let n2 = 0;
  let str: string | null = null;
  switch (kind) {
    case K_OPEN_VOUCHER:
      if (c.pos + 8 > c.end) return DEC_BAD;
      str = toHex(bytesFromString(s.substr(c.pos, 8)));
      c.pos += 8;
      break;
    case K_OPEN_RX:
      str = readShortStr(s, c);
      break;
    case K_OPEN_RX_DIGITS: {
      // digit count, then two digits per byte (high nibble first)
      if (c.pos >= c.end) return DEC_BAD;
      const digits = s.charCodeAt(c.pos++);
      const bytes = (digits + 1) >> 1;
      if (digits === 0 || c.pos + bytes > c.end) return DEC_BAD;
      str = "RX";
      for (let i = 0; i < digits; i++) {
        const b = s.charCodeAt(c.pos + (i >> 1));
        const v = i & 1 ? b & 15 : b >> 4;
        if (v > 9) return DEC_BAD;
        str += String.fromCharCode(48 + v);
      }
      c.pos += bytes;
      break;
    }
    case K_DISPENSE_CN:
    case K_SPLIT_CN:
      if (c.pos + 8 > c.end) return DEC_BAD;
      code = unpackCn20(s, c.pos);
      if (code === null) return DEC_BAD;
      c.pos += 8;
      break;
    case K_DISPENSE_STR:
    case K_SPLIT_STR:
      code = readShortStr(s, c);
      batch = readShortStr(s, c);
      expiry = readShortStr(s, c);
      break;
    case K_UNDO:
    case K_ACK:
      n1 = readVarint(s, c);
      break;
    case K_NOCODE:
      code = readShortStr(s, c);
      n1 = readVarint(s, c);
      break;
    case K_CLOSE:
      break;
    case K_BOOT:
      n1 = readVarint(s, c);
      if (c.pos + 4 > c.end) return DEC_BAD;
      n2 = strU32(s, c.pos);
      c.pos += 4;
      break;
    case K_TIME:
      if (c.pos + 4 > c.end) return DEC_BAD;
      n2 = strU32(s, c.pos);
      c.pos += 4;
      break;
    default:
      return DEC_BAD;
  }
  if (kind === K_SPLIT_CN || kind === K_SPLIT_STR) {
    n1 = readVarint(s, c);
    n2 = readVarint(s, c);
  }
  if (c.end < 0 || c.pos + 2 > c.end) return DEC_BAD;
  if (check16(crc, s.substring(at, c.pos)) !== strU16(s, c.pos)) return DEC_BAD;
  const len = c.pos + 2 - at;

  if (kind === K_BOOT) {
    state.boot = n1;
    state.anchor = n2;
    state.trusted = false;
    state.uptime = 0;
    // The open session (if any) survives a reboot: the doctor carries on with the same patient.
    return len;
  }
  state.uptime += dt;
  if (kind === K_ACK) {
    if (n1 > state.acked) state.acked = n1;
    return len;
  }
  if (kind === K_TIME) {
    state.anchor = n2;
    state.trusted = true;
    return len;
  }
  const seq = state.seq;
  out.seq = seq;
  out.time = state.anchor + state.uptime;
  out.trusted = state.trusted;
  out.boot = state.boot;
  out.uptime = state.uptime;
  // Optional fields are deleted, not set to undefined, so a record encodes cleanly.
  delete out.code;
  delete out.batch;
  delete out.expiry;
  delete out.units;
  delete out.perPack;
  delete out.ref;
  delete out.openBy;
  delete out.patient;
  delete out.rx;
  if (kind === K_OPEN_VOUCHER || kind === K_OPEN_RX || kind === K_OPEN_RX_DIGITS) {
    out.event = EV_OPEN;
    out.session = seq;
    out.openBy = kind === K_OPEN_VOUCHER ? OPEN_BY_VOUCHER : OPEN_BY_RX;
    if (kind === K_OPEN_VOUCHER) out.patient = str as string;
    else out.rx = str as string;
    state.session = seq;
  } else {
    out.session = state.session;
    if (kind === K_CLOSE) {
      out.event = EV_CLOSE;
      state.session = 0;
    } else if (kind === K_UNDO) {
      out.event = EV_UNDO;
      out.ref = seq - n1;
    } else if (kind === K_NOCODE) {
      out.event = EV_NOCODE;
      out.code = code as string;
      out.units = n1;
    } else {
      out.event = kind === K_SPLIT_CN || kind === K_SPLIT_STR ? EV_SPLIT : EV_DISPENSE;
      out.code = code as string;
      if (batch) out.batch = batch;
      if (expiry) out.expiry = expiry;
      if (out.event === EV_SPLIT) {
        out.units = n1;
        out.perPack = n2;
      }
    }
  }
  state.seq = seq + 1;
  return len;
}

/** A fresh record object to decode into (reused across a scan to spare the board's heap). */
export function blankRecord(): ScanRecord {
  return { seq: 0, time: 0, trusted: false, boot: 0, uptime: 0, event: EV_CLOSE, session: 0 };
}
