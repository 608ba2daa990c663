// The county scenario file (JSON) and the plan it expands into. The file describes people,
// places, drugs and habits; the plan is the exact, time-ordered list of what happens at each
// board, plus the ground truth a run is judged against.
import type { AlertKind } from "../../../protocol/src/platform";
import type { EventKind } from "../../../protocol/src/record";

export type BoardKind = "pico" | "esp32";

/** A random count or duration. */
export type Dist =
  | { kind: "fixed"; value: number }
  | { kind: "uniform"; min: number; max: number }
  | { kind: "poisson"; mean: number }
  | { kind: "weighted"; values: number[]; weights: number[] };

export interface DrugSpec {
  /** National medical-insurance catalogue code (med_list_codg). */
  catalogue: string;
  name: string;
  /** GS1 packs: GTIN-14 with a correct check digit. */
  gtin?: string;
  /** 20-digit code packs: the 7-digit product prefix, starting with 8. */
  cn20Prefix?: string;
  /** Price per pack, yuan. */
  price: number;
  /** Units in one pack (tablets, vials...). */
  packUnits: number;
  /** May be sold part of a pack at a time (trdn_flag 1). */
  splittable: boolean;
  /** Bought in before the code rule: sold by catalogue code from the no-code list. */
  noCode: boolean;
  /** Relative dispensing frequency (default 1). */
  weight?: number;
}

export interface DispensingPattern {
  sessionsPerDay: Dist;
  boxesPerSession: Dist;
  /** Local (UTC+8) opening windows, "HH:MM-HH:MM". */
  openingHours: string[];
  /** Share of lines of a splittable drug sold as a split pack. */
  splitShare: number;
  /** Share of sessions that also sell one no-code-list item (when the catalogue has one). */
  noCodeShare: number;
  /** Share of dispensed lines withdrawn right away with the undo card. */
  undoShare: number;
  /** Share of sessions opened by the patient's e-voucher; the rest by prescription number. */
  voucherShare: number;
  /** Share of sessions closed with the button; the rest close by the board's timeout. */
  buttonCloseShare: number;
  /** Share of sessions with a retail (69...) barcode scanned by mistake: a read to reject. */
  retailMisscanShare: number;
  /** Share of patients seen at a clinic other than their home clinic. */
  awayShare: number;
}

export interface LinkSpec {
  /** Link up the whole time (unless in an outage). */
  always?: boolean;
  /** Daily windows, local "HH:MM-HH:MM", e.g. ["20:00-21:00"]. */
  daily?: string[];
  /** No link at all for `days` days from day `fromDay` (0-based). */
  outages?: { fromDay: number; days: number }[];
}

export interface PowerSpec {
  /** Random cuts per board per day (Poisson rate). */
  cutsPerDay?: number;
  /** How long a random cut lasts, seconds. */
  cutSeconds?: Dist;
  /** Cuts at fixed local times. `clinic` limits one to a clinic's boards. */
  at?: { day: number; time: string; seconds: number; clinic?: string }[];
}

export interface BoardSpec {
  kind: BoardKind;
  count?: number;
}

export interface ClinicSpec {
  id: string;
  /** Designated medical institution code (fixmedins_code). */
  institution: string;
  village: string;
  boards: BoardSpec[];
  doctors: string[];
  /** Patients whose home clinic this is. */
  patients: number;
  dispensing?: Partial<DispensingPattern>;
  link?: LinkSpec;
  power?: PowerSpec;
}

/** Many similar clinics from one template (a county has hundreds). */
export interface ClinicGenerator {
  count: number;
  /** Clinic ids are idPrefix + a 3-digit number ("c" -> "c001"). */
  idPrefix: string;
  /** Institution codes are institutionPrefix + a 5-digit number. */
  institutionPrefix: string;
  picoBoards: Dist;
  esp32Boards: Dist;
  doctors: Dist;
  patients: Dist;
  /** Optional variety: each clinic takes one of these link specs, by share. */
  linkVariants?: { share: number; link: LinkSpec }[];
}

export type FraudSpec =
  /** A box sold at one clinic is sold again at another (resold "returned drug"). */
  | { kind: "two-clinic-sale"; count: number }
  /** Sessions with dispensing in the middle of the night at one clinic. */
  | { kind: "night-phantom"; clinic?: string; count: number; day?: number }
  /** One doctor's board dispenses in bulk on one day. */
  | { kind: "bulk-doctor"; clinic?: string; day?: number; sessions: number; boxesPerSession: number }
  /** A board scans again codes it sold days before. */
  | { kind: "replay-device"; clinic?: string; count: number; day?: number };

export type FraudKind = FraudSpec["kind"];

export interface Scenario {
  name: string;
  description?: string;
  /** Default seed when none is given on the command line. */
  seed?: number;
  /** Local (UTC+8) date of day 0, "YYYY-MM-DD". */
  startDate: string;
  days: number;
  clinics?: ClinicSpec[];
  generate?: ClinicGenerator;
  catalogue: DrugSpec[];
  dispensing: DispensingPattern;
  link: LinkSpec;
  power?: PowerSpec;
  fraud?: FraudSpec[];
}

// ---- the plan ----

export interface PlannedBoard {
  /** Device id: "<clinic>-<p|e><n>", safe in MQTT topics and sale keys. */
  device: string;
  kind: BoardKind;
  clinic: string;
  institution: string;
  village: string;
  /** The doctor the board is provisioned for (vtcfg "operator"). */
  operator: string;
  /** HMAC secret for provisioning, 64 hex characters. */
  secret: string;
  /** Line ending this board's reader sends after each read. */
  readerSuffix: "\r" | "\n" | "\r\n";
  events: PlanEvent[];
}

/** `t` is Unix time in milliseconds. Events of one board are in ascending `t`. */
export type PlanEvent =
  | { t: number; type: "scan"; raw: string; what: ScanPurpose }
  | { t: number; type: "button"; pressMs: number; what: "close-session" }
  | { t: number; type: "link"; up: boolean }
  | { t: number; type: "power"; on: boolean };

export type ScanPurpose = "voucher" | "rx" | "box" | "split-card" | "undo-card" | "nocode-card" | "retail-misscan";

/** A record a board should journal (and, for sale events, the platform should end up with). */
export interface ExpectedRecord {
  /** Unique within the plan: "<device>#<n>". */
  id: string;
  device: string;
  t: number;
  event: EventKind;
  /** Dispense/split: canonical trace code key (protocol/src/code). No-code: catalogue code. */
  code?: string;
  batch?: string;
  expiry?: string;
  units?: number;
  perPack?: number;
  /** Undo: id of the withdrawn record. */
  undoes?: string;
  /** Open: how and by whom. The voucher is the raw token; the board journals its hash. */
  openBy?: "voucher" | "rx";
  voucher?: string;
  rx?: string;
  /** Id of the open record of the session. */
  session?: string;
  /** Set when the record is part of an injected fraud pattern. */
  fraud?: FraudKind;
  /** Close: pressed, or left to the board's idle timeout (then `t` is the latest moment). */
  closedBy?: "button" | "timeout";
  /** "accepted-or-refused": the board may still remember the box and refuse it (a replayed
   * code while its first sale is still in flash); either outcome is right. Absent: accepted. */
  outcome?: "accepted-or-refused";
}

/** A read the board must refuse (never journalled). */
export interface ExpectedRejection {
  device: string;
  t: number;
  raw: string;
  reason: "retail-ean13";
}

/** An alert the gateway should raise; any of `kinds` satisfies it. */
export interface ExpectedAlert {
  fraud: FraudKind;
  kinds: AlertKind[];
  devices: string[];
  codes: string[];
  /** Time of the record that should trigger the alert. */
  t: number;
  /** The alert is due only if the board accepted the triggering read (see ExpectedRecord.outcome). */
  onlyIfAccepted?: boolean;
}

export interface GroundTruth {
  records: ExpectedRecord[];
  rejections: ExpectedRejection[];
  alerts: ExpectedAlert[];
}

export interface ScenarioPlan {
  scenario: string;
  seed: number;
  startMs: number;
  endMs: number;
  boards: PlannedBoard[];
  truth: GroundTruth;
  /** Counts for a quick look and for benches. */
  /** Where the plan could not do what the file asked (e.g. no free time for a fraud session). */
  notes: string[];
  summary: { clinics: number; boards: number; sessions: number; scans: number; records: number; boxes: number; powerCuts: number; alerts: number };
}
