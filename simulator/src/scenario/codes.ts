// Unique, valid codes for every box of a plan, and the exact strings a reader sends for them.
import { GS } from "../../../protocol/src/code/chars";
import { gs1Key } from "../../../protocol/src/code/gs1";
import type { DrugSpec } from "./types";
import { pick, randChars, randInt, type Rng } from "./prng";

const DIGITS = "0123456789";
const SERIAL_CHARS = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/** GS1 mod-10 check digit for the digits that precede it (weights 3,1,... from the right). */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  let weight = 3;
  for (let i = body.length - 1; i >= 0; i--) {
    sum += (body.charCodeAt(i) - 48) * weight;
    weight = 4 - weight;
  }
  return (10 - (sum % 10)) % 10;
}

/** True for 14 digits whose last digit is the check digit of the first 13. */
export function isValidGtin14(s: string): boolean {
  return /^\d{14}$/.test(s) && gs1CheckDigit(s.slice(0, 13)) === s.charCodeAt(13) - 48;
}

/** Completes 13 digits into a GTIN-14. */
export function gtinFrom13(body13: string): string {
  return body13 + gs1CheckDigit(body13);
}

/** One physical box: its identity and what the platform should record for it. */
export interface Box {
  drug: DrugSpec;
  /** Canonical key as protocol/src/code parseCode gives it. */
  key: string;
  kind: "cn20" | "gs1";
  serial: string;
  batch?: string;
  /** YYMMDD as printed. */
  expiry?: string;
  /** Units still in the box (split packs). */
  unitsLeft: number;
}

/** Makes boxes with codes never repeated within one plan. */
export class BoxFactory {
  private readonly used = new Set<string>();
  constructor(private readonly rng: Rng, private readonly startYear: number) {}

  newBox(drug: DrugSpec): Box {
    for (;;) {
      const box = drug.gtin ? this.gs1Box(drug, drug.gtin) : this.cn20Box(drug, drug.cn20Prefix!);
      if (this.used.has(box.key)) continue;
      this.used.add(box.key);
      return box;
    }
  }

  private cn20Box(drug: DrugSpec, prefix: string): Box {
    const serial = randChars(this.rng, DIGITS, 13);
    return { drug, key: prefix + serial, kind: "cn20", serial, unitsLeft: drug.packUnits };
  }

  private gs1Box(drug: DrugSpec, gtin: string): Box {
    const serial = randChars(this.rng, SERIAL_CHARS, randInt(this.rng, 8, 12));
    const yy = (this.startYear + randInt(this.rng, 1, 3)) % 100;
    const expiry = String(yy).padStart(2, "0") + String(randInt(this.rng, 1, 12)).padStart(2, "0") + String(randInt(this.rng, 1, 28)).padStart(2, "0");
    const batch = "B" + randChars(this.rng, SERIAL_CHARS, 5);
    return { drug, key: gs1Key(gtin, serial), kind: "gs1", serial, batch, expiry, unitsLeft: drug.packUnits };
  }
}

/** What the reader sends for a box (without the line ending), in one of the field spellings. */
export function readerString(rng: Rng, box: Box): string {
  if (box.kind === "cn20") {
    // The plain read, or the printed form with its space (keyed in or read by OCR).
    return rng() < 0.8 ? box.key : box.key.slice(0, 7) + " " + box.key.slice(7);
  }
  const gtin = box.drug.gtin!;
  // Fixed-length AIs (01, 17) need no separator; a variable one (10, 21) needs GS unless last.
  const layouts = [
    "01" + gtin + "17" + box.expiry + "10" + box.batch + GS + "21" + box.serial,
    "01" + gtin + "21" + box.serial + GS + "17" + box.expiry + "10" + box.batch,
    "01" + gtin + "17" + box.expiry + "21" + box.serial + GS + "10" + box.batch,
  ];
  return "]d2" + pick(rng, layouts);
}

/** A retail EAN-13 (69...): a product barcode, never a traceability code. */
export function retailEan13(rng: Rng): string {
  const body = "69" + randChars(rng, DIGITS, 10);
  return body + gs1CheckDigit(body);
}

/** Patient's insurance e-voucher QR payload: 40 URL-safe base64 characters. */
export function voucherToken(rng: Rng): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  return "EC" + randChars(rng, alphabet, 38);
}

/** Prescription number: "RX" + local date + clinic number + the clinic's count that day. */
export function prescriptionNumber(localDate: string, clinicIndex: number, counter: number): string {
  return "RX" + localDate.replace(/-/g, "") + String(clinicIndex % 10_000).padStart(4, "0") + String(counter % 10_000).padStart(4, "0");
}

/** 64 hex characters: a board's provisioning secret. */
export function hexSecret(rng: Rng): string {
  return randChars(rng, "0123456789abcdef", 64);
}
