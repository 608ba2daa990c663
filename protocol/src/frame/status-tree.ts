// A status frame from its item tree (after the envelope, CRC and tag have been checked).
// Only types and ranges are checked: a board whose numbers disagree with each other (acked
// past its head, more flash used than it has) is exactly the one an operator must see, so
// such a status is delivered, not dropped.
import type { Item } from "../cbor/item";
import type { StatusFrame } from "./types";
import { MAX_BOARD_CHARS, MAX_FIRMWARE_CHARS } from "./limits";
import { isIntIn, isPrintable, isToken, U32 } from "./text";
import { bad } from "./reject";

const NAMES = ["", "", "", "boot", "uptime", "time", "", "", "", "seqHead", "ackedUpto", "flashUsed", "flashTotal", "memUsage"];

function u32(t: Item[], i: number): number {
  if (!isIntIn(t[i], 0, U32)) bad(NAMES[i]);
  return t[i] as number;
}

function bool(v: Item, what: string): boolean {
  if (typeof v !== "boolean") bad(what);
  return v as boolean;
}

export function statusFromTree(t: Item[]): StatusFrame {
  if (!isPrintable(t[7], 1, MAX_FIRMWARE_CHARS)) bad("firmware");
  if (!isToken(t[8], 1, MAX_BOARD_CHARS)) bad("board");
  const s: StatusFrame = {
    device: t[2] as string,
    boot: u32(t, 3),
    uptime: u32(t, 4),
    time: u32(t, 5),
    trusted: bool(t[6], "trusted"),
    firmware: t[7] as string,
    board: t[8] as string,
    seqHead: u32(t, 9),
    ackedUpto: u32(t, 10),
    flashUsed: u32(t, 11),
    flashTotal: u32(t, 12),
    sessionOpen: bool(t[14], "sessionOpen"),
  };
  if (t[13] !== null) s.memUsage = u32(t, 13);
  return s;
}
