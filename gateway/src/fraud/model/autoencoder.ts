// A small denoising autoencoder: z-scored features in, the same out through a narrow middle.
// Trained on normal days only, it reconstructs what normal looks like; a day it cannot
// reconstruct is unusual in a way the single features may not show. Noise is added to the
// inputs from a seeded stream (not a random layer) so the same data trains the same model.
import type { LayersModel, Tensor2D } from "@tensorflow/tfjs";
import type { Tf } from "./tf";

export interface AutoencoderShape {
  inputs: number;
  hidden: number;
  bottleneck: number;
  seed: number;
}

export function buildAutoencoder(tf: Tf, s: AutoencoderShape): LayersModel {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: s.seed + k });
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [s.inputs], units: s.hidden, activation: "elu", kernelInitializer: init(1) }));
  m.add(tf.layers.dense({ units: s.bottleneck, activation: "linear", kernelInitializer: init(2) }));
  m.add(tf.layers.dense({ units: s.hidden, activation: "elu", kernelInitializer: init(3) }));
  m.add(tf.layers.dense({ units: s.inputs, activation: "linear", kernelInitializer: init(4) }));
  return m;
}

export interface FitOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Std of the Gaussian noise on inputs, z units. */
  noise: number;
  /** Noisy copies of each training vector. */
  copies: number;
  rng: () => number;
}

function gaussian(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(rng(), 1e-12))) * Math.cos(2 * Math.PI * rng());
}

/** Trains in place; returns the final epoch's loss. */
export async function fitAutoencoder(tf: Tf, model: LayersModel, z: number[][], o: FitOptions): Promise<number> {
  const inputs: number[][] = [];
  const targets: number[][] = [];
  for (let c = 0; c < o.copies; c++) {
    for (const v of z) {
      inputs.push(v.map((x) => x + o.noise * gaussian(o.rng)));
      targets.push(v);
    }
  }
  // seeded shuffle once; tfjs's own shuffle would draw from Math.random
  for (let i = inputs.length - 1; i > 0; i--) {
    const j = Math.floor(o.rng() * (i + 1));
    [inputs[i], inputs[j]] = [inputs[j], inputs[i]];
    [targets[i], targets[j]] = [targets[j], targets[i]];
  }
  model.compile({ optimizer: tf.train.adam(o.learningRate), loss: "meanSquaredError" });
  const x = tf.tensor2d(inputs) as Tensor2D;
  const y = tf.tensor2d(targets) as Tensor2D;
  try {
    const h = await model.fit(x, y, { epochs: o.epochs, batchSize: o.batchSize, shuffle: false, verbose: 0 });
    const losses = h.history.loss as number[];
    return losses[losses.length - 1];
  } finally {
    x.dispose();
    y.dispose();
  }
}
