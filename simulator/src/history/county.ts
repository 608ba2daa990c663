// Clinics of one county: sizes spread over an order of magnitude, one to three doctors each
// with their own scanner, habits that differ from clinic to clinic.
import { randInt, type Rng } from "../scenario/prng";
import type { Clinic, Doctor } from "./types";

function logNormal(rng: Rng, median: number, sigma: number): number {
  const z = Math.sqrt(-2 * Math.log(Math.max(rng(), 1e-12))) * Math.cos(2 * Math.PI * rng());
  return median * Math.exp(sigma * z);
}

export function makeCounty(rng: Rng, count: number, seed: number): Clinic[] {
  const clinics: Clinic[] = [];
  for (let c = 0; c < count; c++) {
    const institution = "H51" + String(seed % 1000).padStart(3, "0") + String(c + 1).padStart(4, "0");
    const nDoctors = randInt(rng, 1, 3);
    const doctors: Doctor[] = [];
    let shareLeft = 1;
    for (let d = 0; d < nDoctors; d++) {
      const share = d === nDoctors - 1 ? shareLeft : shareLeft * (0.4 + 0.3 * rng());
      shareLeft -= share;
      doctors.push({ operator: `dr-${institution}-${d + 1}`, device: `vt-${institution}-${d + 1}`, share });
    }
    clinics.push({
      institution,
      size: Math.min(60, Math.max(3, logNormal(rng, 12, 0.6))),
      boxesPerSession: 1.3 + rng() * 1.4,
      priceLean: logNormal(rng, 1, 0.5),
      lateVisitRate: 0.02 + rng() * 0.06,
      uploadDelay: rng() < 0.3 ? 3 * 3600 + rng() * 6 * 3600 : 60 + rng() * 900,
      doctors,
    });
  }
  return clinics;
}
