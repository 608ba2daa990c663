// Budgets of the real firmware on the emulated boards, built fresh from firmware/src into a
// temp dir: variables after boot + 500 box scans with no link, flash bytes per 20-digit record,
// days of a busy clinic that fit in the journal offline, and what process.memory() costs to
// compute. Patients come in with 5 boxes each: a prescription card opens the session.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Bench, BenchRow } from "./types";
import { median } from "./types";
import { buildFirmware } from "../firmware/build/build";
import { EmulatedBoard, BOARDS, type BoardId } from "../simulator/src/board";

const SCANS = 500;
const BOXES_PER_PATIENT = 5;
const BOXES_PER_DAY = 200;
const MEMORY_SAMPLES = 7;
const JOURNAL_FILE = /^vtj[0-9]+/;
/** Upper bound of boxes scanned while filling the journal (about 100 days of the ESP32's). */
const FILL_LIMIT = 25_000;

/** A 20-digit code starting with 8 (the check algorithm is not public: digits only). */
function code20(i: number): string {
  return "8" + String(1234567 + (i % 97)).padStart(7, "0") + String(100000000000 + i * 7919).slice(-12);
}

/** Bytes of the journal files: total, and programmed (not erased 0xFF). */
function journalBytes(b: EmulatedBoard): { total: number; used: number } {
  let total = 0;
  let used = 0;
  for (const name of b.storage.list()) {
    if (!JOURNAL_FILE.test(name)) continue;
    const data = b.storage.read(name) ?? new Uint8Array(0);
    total += data.length;
    for (const x of data) if (x !== 0xff) used++;
  }
  return { total, used };
}

async function measure(board: BoardId, source: string, quick: boolean): Promise<BenchRow[]> {
  const facts = BOARDS[board];
  const b = new EmulatedBoard({ board, seed: 2025 });
  b.provision({ device: `bench-${board}`, secret: "5a".repeat(32), institution: "H00000000001", operator: "bench", ...(facts.hasNet ? { mqtt: { host: "127.0.0.1", port: 1 }, wifi: { ssid: "none", password: "none" } } : {}) });
  if (b.net) b.setLinkUp(false);
  b.load(source);
  b.powerOn();
  await b.advance(5000);
  const bootVars = b.memoryUsage().usage;
  const before = journalBytes(b);
  const scans = quick ? 100 : SCANS;
  let accepted = 0;
  const countAccepted = (from: number) => b.events.all.slice(from).filter((e) => e.kind === "buzzer" && e.duty > 0 && e.freq === 2700).length;
  for (let i = 0; i < scans; i++) {
    if (i % BOXES_PER_PATIENT === 0) {
      b.scanner.scan("RX2025061500010" + String(1000 + i / BOXES_PER_PATIENT).slice(-3));
      await b.advance(2000);
    }
    const mark = b.events.all.length;
    b.scanner.scan(code20(i));
    await b.advance(3000);
    accepted += countAccepted(mark) > 0 ? 1 : 0;
  }
  const walks: number[] = [];
  let vars = 0;
  for (let i = 0; i < MEMORY_SAMPLES; i++) {
    const t0 = performance.now();
    vars = b.memoryWalk().vars;
    walks.push(performance.now() - t0);
  }
  const walk = b.memoryWalk();
  const after = journalBytes(b);
  const perBox = accepted > 0 ? (after.used - before.used) / accepted : 0;
  // capacity: keep scanning offline until the firmware refuses a box (journal full)
  let full = false;
  let capacity = accepted;
  for (let i = scans; !quick && !full && i < FILL_LIMIT; i++) {
    if (i % BOXES_PER_PATIENT === 0) {
      b.scanner.scan("RX2025061600010" + String(100000 + i / BOXES_PER_PATIENT).slice(-5));
      await b.advance(1500);
    }
    const mark = b.events.all.length;
    b.scanner.scan(code20(i));
    await b.advance(1500);
    if (countAccepted(mark) > 0) capacity++;
    else full = true;
  }
  const days = capacity / BOXES_PER_DAY;
  const area = "firmware";
  return [
    { area, metric: `${board}: variables after boot`, value: bootVars, unit: "vars", note: `of ${facts.totalVars}` },
    { area, metric: `${board}: variables after boot + ${scans} scans, no link`, value: vars, unit: "vars", target: "<= 2000", pass: vars <= 2000, note: `of ${facts.totalVars}; ${accepted} boxes accepted; ${b.uncaughtErrors} uncaught errors` },
    { area, metric: `${board}: flash bytes per 20-digit record`, value: +perBox.toFixed(2), unit: "B", target: "<= 16", pass: perBox > 0 && perBox <= 16, note: `journal bytes programmed / boxes accepted (session open records of ${BOXES_PER_PATIENT}-box patients included)` },
    {
      area,
      metric: `${board}: days of a ${BOXES_PER_DAY}-box clinic offline`,
      value: quick ? "skipped (--quick)" : +days.toFixed(1),
      unit: quick ? "" : "days",
      note: quick ? "the full run fills the journal" : full ? `${capacity} boxes accepted offline before the first refusal (journal full)` : `still accepting after ${capacity} boxes (fill stopped)`,
    },
    { area, metric: `${board}: time to compute process.memory()`, value: +median(walks).toFixed(1), unit: "ms", target: "< 100", pass: median(walks) < 100, note: `median of ${MEMORY_SAMPLES}; ${walk.functions} functions, ${walk.scopes} scopes, ${walk.inspectorCalls} inspector calls` },
  ];
}

const bench: Bench = {
  name: "firmware-budgets",
  async run({ quick }) {
    const dir = mkdtempSync(join(tmpdir(), "vt-fw-budgets-"));
    const rows: BenchRow[] = [];
    try {
      for (const board of Object.keys(BOARDS) as BoardId[]) {
        const a = await buildFirmware({ board, outDir: join(dir, board) });
        rows.push(...(await measure(board, readFileSync(a.uploadPath, "latin1"), quick)));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return rows;
  },
};

export default bench;
