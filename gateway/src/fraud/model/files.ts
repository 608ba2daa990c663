// tfjs IO handlers that write and read a model directory: manifest.json (our manifest, the
// layer topology and the weight specs) and weights.bin. Pure tfjs has no file:// saver.
// Files are written to a temporary name and renamed, so a crash never leaves half a model.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { io } from "@tensorflow/tfjs";
import type { ModelManifest } from "./manifest";

export const MANIFEST_FILE = "manifest.json";
export const WEIGHTS_FILE = "weights.bin";

interface SavedFile {
  manifest: ModelManifest;
  modelTopology: unknown;
  weightSpecs: io.WeightsManifestEntry[];
}

function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = path + ".tmp-" + process.pid;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

export function fileSaver(dir: string, manifest: ModelManifest): io.IOHandler {
  return {
    async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
      mkdirSync(dir, { recursive: true });
      const weights = artifacts.weightData instanceof ArrayBuffer ? new Uint8Array(artifacts.weightData) : new Uint8Array(0);
      if (!(artifacts.weightData instanceof ArrayBuffer)) throw new Error("sharded weight buffers are not supported");
      writeAtomic(join(dir, WEIGHTS_FILE), weights);
      const file: SavedFile = { manifest, modelTopology: artifacts.modelTopology, weightSpecs: artifacts.weightSpecs ?? [] };
      // the manifest goes last: its presence means the weights beside it are complete
      writeAtomic(join(dir, MANIFEST_FILE), JSON.stringify(file, null, 1));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON", weightDataBytes: weights.byteLength } };
    },
  };
}

/** Reads the manifest alone (to check it before building anything). */
export function readSaved(dir: string): SavedFile {
  let text: string;
  try {
    text = readFileSync(join(dir, MANIFEST_FILE), "utf8");
  } catch (err) {
    throw new Error(`no fraud model in ${dir}: ${(err as Error).message}`);
  }
  const file = JSON.parse(text) as SavedFile;
  if (!file || typeof file !== "object" || !file.manifest || !file.modelTopology) throw new Error(`${join(dir, MANIFEST_FILE)} is not a fraud model file`);
  return file;
}

export function fileLoader(dir: string, saved: SavedFile): io.IOHandler {
  return {
    async load(): Promise<io.ModelArtifacts> {
      const buf = readFileSync(join(dir, WEIGHTS_FILE));
      const weightData = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
      return { modelTopology: saved.modelTopology as object, weightSpecs: saved.weightSpecs, weightData };
    },
  };
}
