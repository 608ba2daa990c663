// Power cuts at seeded random bytes of the firmware's flash writes, on an ESP32 board running
// the build's upload file: boot, a dispensing session, cut; every few dozen cycles the board
// syncs with the real gateway, which acks everything, so the journal reclaims pages and
// compacts Storage (only then: never at a moment a cut could strike). At the end the gateway
// must hold exactly what the board signalled, with the same content.
import { EmulatedBoard } from "../../simulator/src/board/index";
import type { County } from "../../simulator/src/fleet/county";
import { FleetBoard } from "../../simulator/src/fleet/fleet-board";
import { signalledRecords } from "../../simulator/src/fleet/accepted-truth";
import type { PlannedBoard } from "../../simulator/src/scenario/index";
import { deriveSeed, mulberry32 } from "../../simulator/src/scenario/prng";
import { recordKey } from "../../protocol/src/record";
import { auditExactlyOnce, type AuditReport } from "../../simulator/src/platform/index";
import type { UploadFiles } from "../../simulator/src/fleet/firmware-uploads";
import { countyOnTestBroker, runPrefix, uploadFiles } from "./helpers";

export interface CutRun {
  cutsInWrite: number;
  cycles: number;
  signalled: number;
  forgotten: number[];
  audit: AuditReport;
  uncaughtErrors: number;
  /** Storage compactions during the run (the journal's own, on acks that left nothing unacked). */
  compactions: number;
  /** Storage entries at the end that are not the firmware's files (torn headers left behind). */
  strayFiles: string[];
}

function planned(device: string): PlannedBoard {
  let secret = "";
  for (let i = 0; i < 32; i++) secret += ((device.charCodeAt(i % device.length) * 7 + i * 13) & 0xff).toString(16).padStart(2, "0");
  return { device, kind: "esp32", clinic: "cuts", institution: "H51012209999", village: "Test village", operator: "Dr Cut", secret, readerSuffix: "\r\n", events: [] };
}

const digits = (n: number, len: number) => String(n).padStart(len, "0");

export async function powerCutRun(county: County, files: UploadFiles, device: string, seed: number, targetCuts: number, maxCycles: number): Promise<CutRun> {
  const pb = planned(device);
  county.view.register(pb);
  const fb = new FleetBoard(pb, files.esp32.source, false, seed, 250);
  const b: EmulatedBoard = fb.board;
  fb.provision(county.view.mqtt);
  b.setLinkUp(false);
  const rng = mulberry32(seed);
  let box = 0;
  let cutsInWrite = 0;
  let cycles = 0;
  const t = () => b.clock.now;
  const lastSeq = () => {
    const tr = signalledRecords(device, b.events.all, fb.inputs, b.facts.buzzerPin);
    return Math.max(tr.records.length ? tr.records[tr.records.length - 1].seq : 0, tr.unsignalled.length ? tr.unsignalled[tr.unsignalled.length - 1] : 0);
  };
  const sync = async () => {
    b.flash.disarmPowerCut();
    if (!b.powered) b.powerOn();
    const want = lastSeq();
    b.setLinkUp(true);
    await b.advanceUntil(() => county.view.ackedUpto(device) >= want, 300_000, 1000);
    // The gateway holding everything is not the board knowing it: the link stays up long
    // enough for the board to connect, wait for the gateway's welcome (up to 5 s), resend what
    // it does not know as acked and get the ack, on which the journal reclaims and compacts.
    await b.advance(20_000);
    b.setLinkUp(false);
    b.powerCut();
  };

  while (cutsInWrite < targetCuts && cycles < maxCycles) {
    cycles++;
    // Armed before power-up: the boot's own writes can be cut too.
    b.armRandomPowerCut(deriveSeed(seed, "cut" + cycles), 24 + Math.floor(rng() * 72));
    const consoleBefore = b.events.all.length;
    b.powerOn();
    b.clock.runUntil(t() + 300);
    const unprovisioned = b.events.all.slice(consoleBefore).some((e) => e.kind === "console" && e.text.includes("not provisioned"));
    if (unprovisioned) throw new Error(`${device} lost its provisioning file after ${cycles} cycles (${cutsInWrite} cuts in writes): ${b.storage.list().length} Storage entries`);
    fb.scan("RX" + digits(seed % 1000, 4) + digits(cycles, 10) + "\r\n");
    b.clock.runUntil(t() + 1500);
    const lines = 1 + Math.floor(rng() * 3);
    for (let i = 0; i < lines; i++) {
      fb.scan("8385793" + digits(seed % 1000, 3) + digits(++box, 10) + "\r\n");
      b.clock.runUntil(t() + 1500);
    }
    fb.press(t(), 150);
    b.clock.runUntil(t() + 1500);
    if (b.powered) {
      b.flash.disarmPowerCut();
      b.powerCut();
    } else cutsInWrite++;
    if (cycles % 40 === 0) await sync();
  }
  await sync();
  b.powerOn(); // the last boot line re-anchors the count
  b.clock.runUntil(t() + 500);
  const truth = signalledRecords(device, b.events.all, fb.inputs, b.facts.buzzerPin);
  const unsignalled = new Set(truth.unsignalled.map((q) => recordKey(device, q)));
  const sales = county.sales().filter((s) => s.device === device && !unsignalled.has(s.key));
  // Everything the gateway holds must have reached the platform before the audit.
  const until = Date.now() + 30_000;
  while (!county.view.relayDrained() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  const audit = auditExactlyOnce(truth.records, sales);
  b.powerCut();
  const strayFiles = b.storage.list().filter((n) => !/^(vtj\d+|vtcfg|vtcfg\.copy|vtcfg\.pad|vtstate[01]|vtwarn[01])$/.test(n));
  return { cutsInWrite, cycles, signalled: truth.records.length, forgotten: truth.forgotten, audit, uncaughtErrors: b.uncaughtErrors, compactions: b.storage.compactions, strayFiles };
}

/**
 * One power-cut suite: `cuts` cuts inside flash writes on a board of its own, against a county
 * on the test broker; every record the board signalled reaches the platform once, unaltered.
 * The 10,000 cuts are split over suites (different seeds) that jest runs in parallel.
 */
export async function expectPowerCutsLoseNothing(tag: string, seed: number, cuts: number): Promise<void> {
  const files = await uploadFiles();
  const county = await countyOnTestBroker(seed);
  try {
    const run = await powerCutRun(county, files, runPrefix(tag), seed, cuts, 9000);
    expect(run.cutsInWrite).toBeGreaterThanOrEqual(cuts);
    expect(run.uncaughtErrors).toBe(0);
    expect(run.forgotten).toEqual([]);
    expect(run.signalled).toBeGreaterThan(cuts);
    expect(run.audit).toMatchObject({ passed: true, missing: 0, duplicated: 0, phantom: 0, mismatched: 0 });
    // the journal reclaimed and compacted Storage along the way, and left no torn entry behind
    expect(run.compactions).toBeGreaterThan(0);
    expect(run.strayFiles.filter((n) => n.indexOf("\xff") >= 0)).toEqual([]);
  } finally {
    await county.stop();
  }
}
