// A county formulary: mostly cheap everyday drugs, a tail of expensive ones (the ones worth
// reselling), cn20 and GS1 packs mixed as in real village stock.
import { randChars, randInt, type Rng } from "../scenario/prng";
import type { Product } from "./types";

/** Boxes at or above this price count as high-price (yuan). */
export const HIGH_PRICE = 100;

function gtinCheck(body13: string): string {
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(body13[12 - i]) * (i % 2 === 0 ? 3 : 1);
  return String((10 - (sum % 10)) % 10);
}

export function makeCatalogue(rng: Rng, size = 60): Product[] {
  const products: Product[] = [];
  const ids = new Set<string>();
  while (products.length < size) {
    const gs1 = rng() < 0.2;
    const id = gs1 ? (() => { const b = "0" + randChars(rng, "0123456789", 12); return b + gtinCheck(b); })() : "8" + randChars(rng, "0123456789", 6);
    if (ids.has(id)) continue;
    ids.add(id);
    const expensive = rng() < 0.15;
    // log-uniform prices: 3-60 yuan everyday, 100-900 yuan for the expensive tail
    const price = expensive ? Math.round(100 * Math.exp(rng() * Math.log(9))) : Math.round(3 * Math.exp(rng() * Math.log(20)) * 10) / 10;
    products.push({
      id,
      kind: gs1 ? "gs1" : "cn20",
      name: (expensive ? "H" : "D") + products.length,
      price,
      perPack: [6, 10, 12, 20, 24, 30, 48, 100][randInt(rng, 0, 7)],
      // a few staples take most of the volume; expensive drugs are rarely needed
      popularity: (expensive ? 0.25 : 1) * Math.exp(-3 * rng()),
    });
  }
  return products;
}
