// `gateway model train`: the last N days of stored records become the normal history the
// models learn from (the county's ordinary days; a few odd days among them only widen what
// counts as normal), saved where the day close loads them.
import type { GatewayStore } from "../store/store";
import { loadCatalogue } from "./catalogue";
import type { TrainOptions } from "./model";
import { MIN_CALIBRATION_VECTORS } from "./model/train";
import { trainFromRows, type TrainedSummary } from "./train-cli";
import { fraudRowFromStored } from "./types";

export interface StoreTrainOptions {
  days: number;
  dir: string;
  nowSec?: number;
  /** One line per step, for the terminal or a progress registry. */
  progress?: (done: number, total: number, note: string) => void;
  /** Price catalogue file (settings fraud.catalogueFile); without it the price signals are 0 and not learned. */
  catalogueFile?: string;
  /** Network options (epochs, sizes, seed); the defaults are the measured ones. */
  network?: Omit<TrainOptions, "scope" | "features" | "log" | "prices">;
}

export async function trainFromStore(store: GatewayStore, o: StoreTrainOptions): Promise<{ rows: number; models: TrainedSummary[] }> {
  // the first 7 days only give the trailing figures their history (TRAIN_DEFAULTS.warmupDays)
  if (!Number.isInteger(o.days) || o.days < 14) throw new RangeError(`train on at least 14 days of records (7 of history, 7 to learn from), got ${o.days}`);
  const now = o.nowSec ?? Math.floor(Date.now() / 1000);
  o.progress?.(0, 3, `reading ${o.days} days of records`);
  const rows = store.records.query({ fromTime: now - o.days * 86400, toTime: now, limit: Number.MAX_SAFE_INTEGER }).map((r) => fraudRowFromStored(r));
  if (!rows.length) throw new Error(`no records in the last ${o.days} days: nothing to learn normal days from`);
  // an unreadable catalogue is an error here (the operator asked for it), not a silent price-less model
  const priceOf = o.catalogueFile ? loadCatalogue(o.catalogueFile).lookup : undefined;
  o.progress?.(1, 3, `${rows.length} records: training clinic-day and doctor-day models`);
  const models = await trainFromRows(rows, o.dir, { minCalibration: MIN_CALIBRATION_VECTORS, ...o.network, features: { priceOf }, log: (m) => o.progress?.(1, 3, m) });
  o.progress?.(3, 3, `saved to ${o.dir}`);
  return { rows: rows.length, models };
}
