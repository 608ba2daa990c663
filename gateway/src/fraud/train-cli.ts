// `gateway model train`: the function the CLI calls. Trains a clinic-day and a doctor-day
// model on the given normal history and saves them under dir/clinic-day and dir/doctor-day.
import { join } from "node:path";
import type { Scope } from "./features";
import { loadModel, saveModel, trainModel, type FraudModel, type TrainOptions } from "./model";
import type { FraudRow } from "./types";

export const SCOPES: Scope[] = ["clinic-day", "doctor-day"];

export interface TrainedSummary {
  scope: Scope;
  dir: string;
  vectors: number;
  calibration: number;
  threshold: number;
  seconds: number;
  backend: string;
}

export async function trainFromRows(rows: readonly FraudRow[], dir: string, opts: Omit<TrainOptions, "scope"> = {}): Promise<TrainedSummary[]> {
  const out: TrainedSummary[] = [];
  for (const scope of SCOPES) {
    const model = await trainModel(rows, { ...opts, scope });
    const sub = join(dir, scope);
    await saveModel(model, sub);
    const t = model.manifest.trainedOn;
    out.push({ scope, dir: sub, vectors: t.vectors, calibration: t.calibration, threshold: model.manifest.threshold, seconds: t.seconds, backend: t.backend });
    model.net.dispose();
  }
  return out;
}

/** Loads what trainFromRows saved; a scope whose directory is missing is left out. */
export async function loadModels(dir: string): Promise<Partial<Record<Scope, FraudModel>>> {
  const models: Partial<Record<Scope, FraudModel>> = {};
  for (const scope of SCOPES) {
    try {
      models[scope] = await loadModel(join(dir, scope));
    } catch (err) {
      if (!/no fraud model/.test((err as Error).message)) throw err;
    }
  }
  return models;
}
