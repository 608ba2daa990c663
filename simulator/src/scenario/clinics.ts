// Turns the scenario's clinics (explicit and generated) into concrete clinics with their
// boards, doctors and patients, all drawn from the seed.
import { sample } from "./dist";
import { hexSecret, voucherToken } from "./codes";
import { deriveSeed, mulberry32, pick, randChars, type Rng } from "./prng";
import { READER_SUFFIXES } from "./cards";
import type { BoardKind, ClinicSpec, DispensingPattern, LinkSpec, PlannedBoard, PowerSpec, Scenario } from "./types";
import { generatedClinicId } from "./validate";

export interface Patient {
  /** The e-voucher token the patient's phone shows. */
  token: string;
  home: string;
}

export interface ResolvedClinic {
  id: string;
  institution: string;
  village: string;
  doctors: string[];
  dispensing: DispensingPattern;
  link: LinkSpec;
  power: PowerSpec;
  boards: PlannedBoard[];
  patients: Patient[];
}

const SURNAMES = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo"];
const SYLLABLES = ["an", "ba", "bei", "chang", "dong", "feng", "gao", "he", "hong", "jia", "lin", "long", "ma", "nan", "ping", "qing", "shan", "shui", "tai", "xi", "xin", "yang", "yun", "zhu"];

function villageName(rng: Rng): string {
  const a = pick(rng, SYLLABLES);
  return a.charAt(0).toUpperCase() + a.slice(1) + pick(rng, SYLLABLES) + " village";
}

function doctorName(rng: Rng): string {
  return "Dr " + pick(rng, SURNAMES) + " " + randChars(rng, "ABCDEFGHJKLMNPQRSTWXYZ", 1) + ".";
}

function makeBoards(rng: Rng, clinic: ClinicSpec): PlannedBoard[] {
  const boards: PlannedBoard[] = [];
  const perKind: Record<BoardKind, number> = { pico: 0, esp32: 0 };
  for (const b of clinic.boards) {
    for (let i = 0; i < (b.count ?? 1); i++) {
      const n = ++perKind[b.kind];
      boards.push({
        device: clinic.id + "-" + (b.kind === "pico" ? "p" : "e") + n,
        kind: b.kind,
        clinic: clinic.id,
        institution: clinic.institution,
        village: clinic.village,
        operator: clinic.doctors[boards.length % clinic.doctors.length],
        secret: hexSecret(rng),
        readerSuffix: pick(rng, READER_SUFFIXES),
        events: [],
      });
    }
  }
  return boards;
}

function linkVariant(rng: Rng, scenario: Scenario): LinkSpec | undefined {
  const variants = scenario.generate?.linkVariants;
  if (!variants) return undefined;
  let x = rng();
  for (const v of variants) {
    x -= v.share;
    if (x < 0) return v.link;
  }
  return undefined;
}

/** Explicit clinics first, then generated ones, in a fixed order. */
export function resolveClinics(scenario: Scenario, seed: number): ResolvedClinic[] {
  const specs: ClinicSpec[] = (scenario.clinics ?? []).slice();
  const gen = scenario.generate;
  if (gen) {
    const rng = mulberry32(deriveSeed(seed, "generate"));
    for (let i = 1; i <= gen.count; i++) {
      const doctors: string[] = [];
      const nd = Math.max(1, sample(rng, gen.doctors));
      for (let d = 0; d < nd; d++) doctors.push(doctorName(rng));
      const boards = [];
      const np = sample(rng, gen.picoBoards);
      let ne = sample(rng, gen.esp32Boards);
      if (np + ne === 0) ne = 1;
      if (ne > 0) boards.push({ kind: "esp32" as const, count: ne });
      if (np > 0) boards.push({ kind: "pico" as const, count: np });
      specs.push({
        id: generatedClinicId(gen.idPrefix, i),
        institution: gen.institutionPrefix + String(i).padStart(5, "0"),
        village: villageName(rng),
        boards,
        doctors,
        patients: Math.max(1, sample(rng, gen.patients)),
        link: linkVariant(rng, scenario),
      });
    }
  }
  return specs.map((spec) => {
    const rng = mulberry32(deriveSeed(seed, "clinic/" + spec.id));
    const patients: Patient[] = [];
    for (let i = 0; i < spec.patients; i++) patients.push({ token: voucherToken(rng), home: spec.id });
    return {
      id: spec.id,
      institution: spec.institution,
      village: spec.village,
      doctors: spec.doctors,
      dispensing: { ...scenario.dispensing, ...spec.dispensing },
      link: spec.link ?? scenario.link,
      power: spec.power ?? scenario.power ?? {},
      boards: makeBoards(rng, spec),
      patients,
    };
  });
}
