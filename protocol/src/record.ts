// The scan record: the one unit of data that travels from a board's flash, through the
// gateway's store, to the insurance platform. Shared by both ends, so it stays inside the
// Espruino 2v29 subset (see ../../../shared/docs/espruino-2v29-profile.md).

/** What happened at the counter. Numeric so that flash and frames stay small. */
export const EV_OPEN = 1; // a dispensing session opened for one patient visit
export const EV_DISPENSE = 2; // one whole box handed over
export const EV_SPLIT = 3; // part of a box handed over (split-pack, trdn_flag = 1)
export const EV_UNDO = 4; // an earlier record of this device is withdrawn
export const EV_NOCODE = 5; // an item from the no-code list, by catalogue code
export const EV_CLOSE = 6; // the session closed (button, timeout or next patient)

export type EventKind = 1 | 2 | 3 | 4 | 5 | 6;

/** How a session was opened: e-voucher token (hashed) or prescription number. */
export const OPEN_BY_VOUCHER = 1;
export const OPEN_BY_RX = 2;

export interface ScanRecord {
  /** Per-device sequence number: starts at 1, +1 per record, never reused, survives reboots. */
  seq: number;
  /** Seconds since the Unix epoch by the device clock when recorded. */
  time: number;
  /** True when the device clock had been set by the gateway (in this boot) when recorded. */
  trusted: boolean;
  /** Boot counter at recording: with `uptime`, lets the gateway fix an untrusted time later. */
  boot: number;
  /** Whole seconds since that boot. */
  uptime: number;
  event: EventKind;
  /** `seq` of the EV_OPEN record that opened the session this record belongs to (0: none). */
  session: number;
  /** EV_DISPENSE / EV_SPLIT: canonical code key (see code/parse). EV_NOCODE: catalogue code. */
  code?: string;
  /** GS1 packs: batch/lot (AI 10) and expiry YYMMDD (AI 17) as read. */
  batch?: string;
  expiry?: string;
  /** EV_SPLIT: units taken now, of `perPack` units in the box. EV_NOCODE: quantity. */
  units?: number;
  perPack?: number;
  /** EV_UNDO: `seq` of the record withdrawn. */
  ref?: number;
  /** EV_OPEN: OPEN_BY_VOUCHER or OPEN_BY_RX. */
  openBy?: number;
  /** EV_OPEN by voucher: keyed hash of the patient's e-voucher token, lowercase hex (16 chars). */
  patient?: string;
  /** EV_OPEN by prescription: the prescription number as scanned. */
  rx?: string;
}

/** The idempotency key of a record across the whole system. */
export function recordKey(device: string, seq: number): string {
  return device + ":" + seq;
}
