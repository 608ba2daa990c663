// The optional price catalogue (settings fraud.catalogueFile): prices of the products the
// county's clinics dispense, which the price signals (high_price_surprise,
// value_per_session_vs_usual) need. A JSON array of {"product": "...", "price": yuan} where
// product is the first 7 digits of a cn20 code, a 14-digit GS1 GTIN, or the catalogue code of a
// no-code item. Without a catalogue every product counts as cheap: both price signals stay 0,
// the model neither learns nor flags price patterns, and the gateway says so at start.
import { readFileSync } from "node:fs";
import type { ProductLookup } from "./types";

export interface CatalogueEntry {
  product: string;
  price: number;
}

/** Checks parsed JSON; throws an error naming the first bad entry. */
export function parseCatalogue(data: unknown, source = "catalogue"): CatalogueEntry[] {
  if (!Array.isArray(data)) throw new Error(`${source}: expected a JSON array of {"product", "price"}`);
  const seen = new Set<string>();
  return data.map((e: unknown, i) => {
    const o = e as Record<string, unknown> | null;
    if (!o || typeof o !== "object") throw new Error(`${source}[${i}]: not an object`);
    if (typeof o.product !== "string" || !/^[0-9A-Za-z]{1,32}$/.test(o.product)) throw new Error(`${source}[${i}].product: expected 1-32 letters or digits, got ${JSON.stringify(o.product)}`);
    if (typeof o.price !== "number" || !Number.isFinite(o.price) || o.price < 0) throw new Error(`${source}[${i}].price: expected a price in yuan >= 0, got ${JSON.stringify(o.price)}`);
    if (seen.has(o.product)) throw new Error(`${source}[${i}].product: ${o.product} is listed twice`);
    seen.add(o.product);
    return { product: o.product, price: o.price };
  });
}

export function catalogueLookup(entries: readonly CatalogueEntry[]): ProductLookup {
  const m = new Map(entries.map((e) => [e.product, { price: e.price }]));
  return (product) => m.get(product);
}

/** Reads a catalogue file; throws with the file name and the reason when it cannot be used. */
export function loadCatalogue(path: string): { lookup: ProductLookup; products: number } {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new Error(`price catalogue ${path}: ${(err as Error).message}`);
  }
  const entries = parseCatalogue(data, path);
  return { lookup: catalogueLookup(entries), products: entries.length };
}
