// A small seeded generator so that every chunking, noise byte and hwRand is reproducible.
// The one mulberry32 of the simulator lives with the scenario model.
import { mulberry32, type Rng } from "../scenario/prng";

export type { Rng };

/** Uniform in [0, 1), fully determined by the seed. */
export const seededRng: (seed: number) => Rng = mulberry32;

export function randomInt(rng: Rng, lo: number, hiInclusive: number): number {
  return lo + Math.floor(rng() * (hiInclusive - lo + 1));
}
