// Trains the gateway's fraud models for a simulated county: normal history planned from the
// scenario (from-scenario.ts), the gateway's own training (gateway/src/fraud/train-cli.ts), and the
// scenario's price catalogue saved beside the models, so a fleet run can load both.
import { join } from "node:path";
import { catalogueLookup } from "../../../gateway/src/fraud/catalogue";
import { trainFromRows, type TrainedSummary } from "../../../gateway/src/fraud/train-cli";
import type { TrainOptions } from "../../../gateway/src/fraud/model";
import type { Scenario } from "../scenario/index";
import { scenarioCatalogue, scenarioHistory, writeScenarioCatalogue, type ScenarioHistoryOptions } from "./from-scenario";

/** The catalogue file written beside the models. */
export const CATALOGUE_FILE = "catalogue.json";

export interface ScenarioTrainOptions extends ScenarioHistoryOptions {
  /** Network options (epochs, seed); the defaults are the measured ones (gateway/src/fraud/model/train.ts). */
  network?: Omit<TrainOptions, "scope" | "features" | "log" | "prices">;
  log?: (msg: string) => void;
}

export interface ScenarioTrainResult {
  rows: number;
  models: TrainedSummary[];
  catalogueFile: string;
  products: number;
  seconds: number;
}

/** Writes <dir>/clinic-day, <dir>/doctor-day (the day close's model directory) and <dir>/catalogue.json. */
export async function trainScenarioModels(scenario: Scenario, dir: string, o: ScenarioTrainOptions = {}): Promise<ScenarioTrainResult> {
  const t0 = Date.now();
  const rows = scenarioHistory(scenario, o);
  if (!rows.length) throw new Error(`scenario ${scenario.name}: no records reach the gateway in ${o.days ?? 28} planned days, nothing to learn from`);
  const catalogue = scenarioCatalogue(scenario);
  o.log?.(`${rows.length} records of normal days (${(o.seeds ?? [1]).length} plan seed(s)), ${catalogue.length} priced products`);
  const models = await trainFromRows(rows, dir, { ...o.network, features: { priceOf: catalogueLookup(catalogue) }, log: o.log });
  const catalogueFile = join(dir, CATALOGUE_FILE);
  const products = writeScenarioCatalogue(scenario, catalogueFile);
  return { rows: rows.length, models, catalogueFile, products, seconds: (Date.now() - t0) / 1000 };
}
