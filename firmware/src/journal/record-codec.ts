// One journal record, byte by byte (firmware/README.md has the table); the Journal writes and
// reads them (`enc` and `dec` in journal.ts):
//   byte 0   : kind (low 4 bits) | uptime delta in seconds 0..14 (high 4 bits; 15 = a varint follows)
//   [varint] : the uptime delta when it does not fit the high nibble
//   payload  : by kind
//      1 open by voucher       8 hash bytes
//      2 open by rx (text)     length byte + text
//     13 open by "RX"+digits   digit count + two digits per byte (BCD, high nibble first)
//      3 / 5 dispense / split of a 20-digit code: 8 bytes, 6 product digits after the leading 8
//             in 20 bits then 13 serial digits in 44 bits (exact with doubles)
//      4 / 6 dispense / split of another code: code, batch, expiry as length-prefixed strings
//      5 / 6 then units, perPack varints
//      7 undo                  varint seq - ref
//      8 no-code item          catalogue string, units varint
//      9 close                 -
//     10 ack (internal)        varint acked seq
//     11 boot (internal)       varint boot counter, 4-byte anchor (uptime delta always 0)
//     12 time set (internal)   4-byte anchor
//   2 bytes  : check = low 16 bits of CRC-32 over every byte before them, big-endian, with
//              0xFFFF stored as 0xFFFE: erased bytes can then never pass as a check, so a
//              write torn before its check bytes is always detected
// Event records take the next sequence number implicitly; the session is implicit too (set by
// the last OPEN, cleared after CLOSE), so a 20-digit dispense costs 11 bytes.
// A 0xFF first byte is erased flash: the end of the page's data.
import type { ScanRecord } from "../../../protocol/src/record";

/** What the session logic asks the journal to record; the journal adds seq, time, session. */
export type Entry = Pick<ScanRecord, "event" | "code" | "batch" | "expiry" | "units" | "perPack" | "ref" | "openBy" | "patient" | "rx">;

/** The decoder's running state: everything a record leaves implicit. */
export interface StreamState {
  /** The seq the next event record takes. */
  seq: number;
  session: number;
  uptime: number;
  boot: number;
  /** The anchor: Unix time at uptime 0 of this boot (clock time minus uptime). */
  epoch: number;
  trusted: boolean;
  acked: number;
}

export type Crc32Str = (s: string) => number;
