// The TensorFlow.js backend: the native @tensorflow/tfjs-node when it is installed (an
// optional dependency: its install fetches a native library), otherwise pure @tensorflow/tfjs
// on the CPU. Both expose the same API, so every caller runs the same code path.
import type * as TfModule from "@tensorflow/tfjs";

export type Tf = typeof TfModule;
export type TfBackendName = "tfjs-node" | "tfjs";

let loaded: { tf: Tf; backend: TfBackendName } | null = null;

/** Loads the backend once; `log` hears which one (default: one line on stderr). */
export function loadTf(log: (msg: string) => void = (m) => process.stderr.write(m + "\n")): { tf: Tf; backend: TfBackendName } {
  if (loaded) return loaded;
  let tf: Tf;
  let backend: TfBackendName;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    tf = require("@tensorflow/tfjs-node") as Tf;
    backend = "tfjs-node";
  } catch {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    tf = require("@tensorflow/tfjs") as Tf;
    backend = "tfjs";
  }
  // production mode: no per-op debug checks and no console banner; we log the backend ourselves
  tf.enableProdMode();
  tf.backend(); // initialise now, so the log names the backend in use
  loaded = { tf, backend };
  log(`fraud model: TensorFlow.js backend ${backend} (${tf.getBackend()})`);
  return loaded;
}
