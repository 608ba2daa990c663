// What the fraud checks need to know about a canonical code key (protocol/src/code):
// which product it is, so features can look up prices.
import { EV_DISPENSE, EV_NOCODE, EV_SPLIT } from "../../../protocol/src/record";
import type { FraudRow } from "./types";

/** cn20 keys are 20 digits whose first 7 name the product; GS1 keys are "(01)<GTIN>(21)<serial>". */
export function productOf(code: string): string {
  if (code.startsWith("(01)")) return code.slice(4, 18);
  return code.slice(0, 7);
}

/** Records that hand something over (a box, part of one, or a no-code item). */
export function isItem(r: FraudRow): boolean {
  return r.event === EV_DISPENSE || r.event === EV_SPLIT || r.event === EV_NOCODE;
}

/** Records that take a traceable box (whole or split) out of stock. */
export function isCodedSale(r: FraudRow): boolean {
  return (r.event === EV_DISPENSE || r.event === EV_SPLIT) && typeof r.code === "string" && r.code !== "";
}

export function keyOf(r: FraudRow): string {
  return r.device + ":" + r.seq;
}
