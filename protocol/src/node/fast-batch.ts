// Gateway side: a strict reader for the one spelling a valid batch frame can have. It walks
// the bytes once, straight into the BatchFrame, and steps off (returns null) at anything
// that is not exactly what the encoder would write for the frame it is reading: a head that
// is not in shortest form, an indefinite length, a major type other than the layout's, a
// count the layout does not allow, a value out of range, a record that fails its checks, a
// field coded otherwise than the encoder codes it (an explicit clock that follows from the
// previous record, a session reference that should be 0 or 1, a text code that would be
// packed), or anything between the records and the seal.
//
// So a frame this reader completes is one the full decoder (decodeBatchReference:
// cbor-x, item tree, validation, re-encoding) accepts up to its CRC and tag checks, decoded
// to the same value; everything else, valid or not, goes to the full decoder, which gives
// the reason. Only the CRC, the device key and the tag are checked after it, in that order,
// with the same reasons as the full decoder (decode-batch.ts).
import type { BatchFrame } from "../frame/types";
import type { ScanRecord, EventKind } from "../record";
import { EV_OPEN, EV_DISPENSE, EV_SPLIT, EV_UNDO, EV_NOCODE, OPEN_BY_VOUCHER } from "../record";
import { MAX_FRAME_BYTES } from "../frame/types";
import { BATCH_ITEMS, CRC_HEAD, SEAL_BYTES, CRC_BYTES } from "../frame/layout";
import { MAX_RECORDS_PER_FRAME, MAX_UNITS, MAX_RX_CHARS, MAX_BATCH_CHARS } from "../frame/limits";
import { MAX_CODE_CHARS, MAX_GS1_SERIAL, codeToItem } from "../frame/code-item";
import { isDeviceId, U32 } from "../frame/text";

const TAG_HEAD_OFFSET = 1 + CRC_BYTES;
const TAG_HEAD = 0x50;
const BATCH_HEAD = 0x80 + BATCH_ITEMS;
const CN20_BYTES = 8;
const GTIN_BYTES = 6;
const HEX = "0123456789abcdef";

/** Thrown inside the reader when the bytes leave the canonical layout; never escapes it. */
const OFF = { off: true };

// The frame being read: its bytes, a latin1 view of them for text, the read position and
// where the records must end (the CRC item).
const NO_BYTES = new Uint8Array(0);
const NO_TEXT = Buffer.alloc(0);
let buf: Uint8Array = NO_BYTES;
let text: Buffer = NO_TEXT;
let pos = 0;
let end = 0;

/** The argument of a head of major type `major`, shortest form only, at most 32 bits. */
function head(major: number): number {
  if (pos >= end) throw OFF;
  const b = buf[pos++];
  if (b >> 5 !== major) throw OFF;
  const ai = b & 31;
  if (ai < 24) return ai;
  if (ai === 24) {
    if (pos >= end) throw OFF;
    const v = buf[pos++];
    if (v < 24) throw OFF;
    return v;
  }
  if (ai === 25) {
    if (pos + 2 > end) throw OFF;
    const v = (buf[pos] << 8) | buf[pos + 1];
    pos += 2;
    if (v < 256) throw OFF;
    return v;
  }
  if (ai === 26) {
    if (pos + 4 > end) throw OFF;
    const v = buf[pos] * 16777216 + ((buf[pos + 1] << 16) | (buf[pos + 2] << 8) | buf[pos + 3]);
    pos += 4;
    if (v < 65536) throw OFF;
    return v;
  }
  throw OFF; // 64-bit heads (never the shortest form of a value a frame allows), reserved, indefinite
}

function uint(min: number, max: number): number {
  const v = head(0);
  if (v < min || v > max) throw OFF;
  return v;
}

/** A signed integer in -U32..U32. */
function sint(): number {
  if (pos >= end) throw OFF;
  if (buf[pos] >> 5 === 1) {
    const v = -1 - head(1);
    if (v < -U32) throw OFF;
    return v;
  }
  return head(0);
}

/** Text of min..max characters, each in lo..hi (printable ASCII or narrower). */
function str(min: number, max: number): string {
  const n = head(3);
  if (n < min || n > max || pos + n > end) throw OFF;
  for (let i = pos; i < pos + n; i++) {
    const c = buf[i];
    if (c < 0x20 || c > 0x7e) throw OFF;
  }
  const s = text.toString("latin1", pos, pos + n);
  pos += n;
  return s;
}

/** A device id, by the protocol's own rule (isDeviceId: 1..64 of [A-Za-z0-9._-]); once per frame. */
function deviceId(): string {
  const s = str(1, 64);
  if (!isDeviceId(s)) throw OFF;
  return s;
}

/** The start of a byte string of exactly `len` bytes; the position moves past it. */
function bytesAt(len: number): number {
  if (head(2) !== len || pos + len > end) throw OFF;
  const at = pos;
  pos += len;
  return at;
}

const TEN_DIGITS = 1e10;
const ZEROS = "0000000000";

/**
 * The `width`-digit decimal string (11..19 digits) of the big-endian value in
 * buf[at..at+len) (len even, at most 8), exactly as unpackDigits spells it; off the layout
 * when it needs more digits. Long division by 10^10 over 16-bit limbs: every partial
 * dividend stays below 10^10 * 65536 < 2^53 and the quotient below 2^64 / 10^10 < 2^31, so
 * all of it is exact in doubles.
 */
function decimal(at: number, len: number, width: number): string {
  let rem = 0;
  let quot = 0;
  for (let j = 0; j < len; j += 2) {
    const v = rem * 65536 + ((buf[at + j] << 8) | buf[at + j + 1]);
    const d = Math.floor(v / TEN_DIGITS);
    rem = v - d * TEN_DIGITS;
    quot = quot * 65536 + d;
  }
  const topDigits = width - 10;
  const top = "" + quot;
  const low = "" + rem;
  if (top.length > topDigits) throw OFF;
  return ZEROS.slice(top.length + 10 - topDigits) + top + ZEROS.slice(low.length) + low;
}

/** A code item in its canonical form (code-item.ts): packed cn20, packed GS1, or other text. */
function codeItem(): string {
  if (pos >= end) throw OFF;
  const b = buf[pos];
  if (b === 0x40 + CN20_BYTES) {
    const at = bytesAt(CN20_BYTES);
    return "8" + decimal(at, CN20_BYTES, 19);
  }
  if (b === 0x82) {
    pos++;
    const at = bytesAt(GTIN_BYTES);
    const gtin = decimal(at, GTIN_BYTES, 14);
    return "(01)" + gtin + "(21)" + str(1, MAX_GS1_SERIAL);
  }
  const s = str(1, MAX_CODE_CHARS);
  // text that the encoder would pack is not canonical
  if (typeof codeToItem(s) !== "string") throw OFF;
  return s;
}

/** GS1 extras: `left` items (0..2) after the code: nothing, batch, or batch|null and expiry. */
function extras(r: ScanRecord, left: number): void {
  if (left === 0) return;
  if (left === 1) {
    r.batch = str(1, MAX_BATCH_CHARS);
    return;
  }
  if (pos < end && buf[pos] === 0xf6) pos++;
  else r.batch = str(1, MAX_BATCH_CHARS);
  const e = uint(0, 999999);
  r.expiry = ("00000" + e).slice(-6);
}

/**
 * Frames this reader produced. The same bytes read again give the same frame, so a frame in
 * here can travel (to the gateway's store writer thread) as its bytes and be read there,
 * which costs less than copying the decoded records across.
 */
const readHere = new WeakSet<BatchFrame>();

/** Whether `frame` came out of readCanonicalBatch (and so out of its bytes, read again, exactly). */
export function readByStrictReader(frame: BatchFrame): boolean {
  return readHere.has(frame);
}

/**
 * The batch frame the bytes are the canonical encoding of (CRC and tag not checked), or
 * null when they are anything else. Expects a Uint8Array within the size limits.
 */
export function readCanonicalBatch(bytes: Uint8Array): BatchFrame | null {
  const n = bytes.length;
  if (n < SEAL_BYTES + 5 || n > MAX_FRAME_BYTES || bytes[0] !== BATCH_HEAD || bytes[1] !== 1 || bytes[2] !== 1) return null;
  end = n - SEAL_BYTES;
  if (bytes[end] !== CRC_HEAD || bytes[end + TAG_HEAD_OFFSET] !== TAG_HEAD) return null;
  buf = bytes;
  text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  pos = 3;
  try {
    const frame = readBody();
    readHere.add(frame);
    return frame;
  } catch (e) {
    if (e === OFF) return null;
    throw e;
  } finally {
    buf = NO_BYTES;
    text = NO_TEXT;
  }
}

function readBody(): BatchFrame {
  const device = deviceId();
  const boot = uint(0, U32);
  const uptime = uint(0, U32);
  const time = uint(0, U32);
  if (pos >= end) throw OFF;
  const t = buf[pos++];
  if (t !== 0xf4 && t !== 0xf5) throw OFF;
  const first = uint(0, U32);
  const count = head(4);
  if (count > MAX_RECORDS_PER_FRAME) throw OFF;
  if (count === 0 ? first !== 0 : first < 1 || first > U32 - count + 1) throw OFF;
  const records: ScanRecord[] = [];
  const frame: BatchFrame = { device: device, boot: boot, uptime: uptime, time: time, trusted: t === 0xf5, records: records };
  let pTime = time;
  let pBoot = boot;
  let pUptime = uptime;
  let pSession = 0;
  for (let i = 0; i < count; i++) {
    const seq = first + i;
    const items = head(4);
    if (items < 3) throw OFF;
    const ev = uint(0, 23);
    const explicitClock = ev >= 12;
    const trusted = ev % 12 >= 6;
    const event = ((ev % 6) + 1) as EventKind;
    const time = pTime + sint();
    if (time < 0 || time > U32) throw OFF;
    const sref = uint(0, seq + 1);
    let left = items - 3;
    let boot = pBoot;
    let uptime = pUptime + (time - pTime);
    if (explicitClock) {
      if (left < 2) throw OFF;
      boot = uint(0, U32);
      uptime = uint(0, U32);
      left -= 2;
      // a clock that follows from the previous record is never sent
      if (boot === pBoot && uptime - pUptime === time - pTime) throw OFF;
    } else if (uptime < 0 || uptime > U32) throw OFF;
    let session: number;
    if (sref === 0) session = pSession;
    else if (sref === 1) {
      if (pSession === 0) throw OFF; // the encoder writes 0 for "still no session"
      session = 0;
    } else {
      session = seq - sref + 2;
      if (session === pSession) throw OFF;
    }
    const r: ScanRecord = { seq: seq, time: time, trusted: trusted, boot: boot, uptime: uptime, event: event, session: session };
    if (event === EV_OPEN) {
      if (left !== 2) throw OFF;
      const by = uint(1, 2);
      r.openBy = by;
      if (by === OPEN_BY_VOUCHER) {
        const at = bytesAt(8);
        let h = "";
        for (let j = at; j < at + 8; j++) h += HEX[buf[j] >> 4] + HEX[buf[j] & 15];
        r.patient = h;
      } else r.rx = str(1, MAX_RX_CHARS);
    } else if (event === EV_DISPENSE) {
      if (left < 1 || left > 3) throw OFF;
      r.code = codeItem();
      extras(r, left - 1);
    } else if (event === EV_SPLIT) {
      if (left < 3 || left > 5) throw OFF;
      r.code = codeItem();
      const units = uint(1, MAX_UNITS);
      const perPack = uint(1, MAX_UNITS);
      if (units > perPack) throw OFF;
      r.units = units;
      r.perPack = perPack;
      extras(r, left - 3);
    } else if (event === EV_UNDO) {
      if (left !== 1) throw OFF;
      r.ref = seq - uint(1, seq - 1);
    } else if (event === EV_NOCODE) {
      if (left !== 2) throw OFF;
      r.code = codeItem();
      r.units = uint(1, MAX_UNITS);
    } else if (left !== 0) throw OFF;
    records.push(r);
    pTime = time;
    pBoot = boot;
    pUptime = uptime;
    pSession = session;
  }
  if (pos !== end) throw OFF;
  return frame;
}
