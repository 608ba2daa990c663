// Saving and loading a model directory. Loading checks the manifest against the features
// this gateway computes before building the network, and refuses a mismatch.
import type { FraudModel } from "./train";
import { fileLoader, fileSaver, readSaved } from "./files";
import { schemaProblem } from "./manifest";
import { loadTf } from "./tf";

export async function saveModel(model: FraudModel, dir: string): Promise<void> {
  await model.net.save(fileSaver(dir, model.manifest));
}

export class ModelSchemaError extends Error {
  constructor(dir: string, problem: string) {
    super(`refusing fraud model in ${dir}: ${problem}`);
    this.name = "ModelSchemaError";
  }
}

export async function loadModel(dir: string): Promise<FraudModel> {
  const saved = readSaved(dir);
  const problem = schemaProblem(saved.manifest);
  if (problem) throw new ModelSchemaError(dir, problem);
  const { tf } = loadTf();
  const net = await tf.loadLayersModel(fileLoader(dir, saved));
  return { manifest: saved.manifest, net };
}
