// Budgets of the real firmware on the emulated boards: variables after boot + 500 scans with
// no link, flash bytes per 20-digit record, and days of a busy clinic that fit offline.
// Needs dist/firmware/<board>/upload.js (built by firmware/build/build.ts); until the build
// exists it reports "firmware not built" rows instead of failing.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Bench, BenchRow } from "./types";
import { EmulatedBoard, BOARDS, type BoardId } from "../simulator/src/board";

const ROOT = join(__dirname, "..");
const SCANS = 500;
const BOXES_PER_DAY = 200;

async function uploadFile(board: BoardId): Promise<string | null> {
  const file = join(ROOT, "dist/firmware", board, "upload.js");
  const buildTs = join(ROOT, "firmware/build/build.ts");
  if (!existsSync(file) && existsSync(buildTs)) {
    try {
      const mod = (await import(buildTs)) as { buildFirmware?: (o: { board: string; outDir: string }) => Promise<unknown> | unknown };
      if (mod.buildFirmware) await mod.buildFirmware({ board, outDir: join(ROOT, "dist/firmware", board) });
    } catch (e) {
      process.stderr.write(`firmware-budgets: build for ${board} failed: ${(e as Error).message}\n`);
    }
  }
  return existsSync(file) ? readFileSync(file, "utf8") : null;
}

/** A 20-digit code starting with 8 (the check algorithm is not public: digits only). */
function code20(i: number): string {
  return "8" + String(1234567 + (i % 97)).padStart(7, "0") + String(100000000000 + i * 7919).slice(-12);
}

async function measure(board: BoardId, source: string, quick: boolean): Promise<BenchRow[]> {
  const b = new EmulatedBoard({ board, seed: 2025 });
  b.provision({ device: `bench-${board}`, secret: "5a".repeat(32), institution: "H00000000001", operator: "bench", ...(BOARDS[board].hasNet ? { mqtt: { host: "127.0.0.1", port: 1 }, wifi: { ssid: "none", password: "none" } } : {}) });
  if (b.net) b.setLinkUp(false);
  b.load(source);
  b.powerOn();
  await b.advance(5000);
  const afterBoot = b.flashStats();
  const scans = quick ? 100 : SCANS;
  for (let i = 0; i < scans; i++) {
    b.scanner.scan(code20(i));
    await b.advance(3000);
  }
  const vars = b.memoryUsage().usage;
  const st = b.flashStats();
  const perRecord = (st.bytesWritten - afterBoot.bytesWritten) / scans;
  const recordSpace = st.totalBytes - afterBoot.fileBytes;
  const days = perRecord > 0 ? recordSpace / (perRecord * BOXES_PER_DAY) : 0;
  const area = "firmware";
  return [
    { area, metric: `${board}: variables after boot + ${scans} scans, no link`, value: vars, unit: "vars", target: "<= 2000", pass: vars <= 2000, note: `of ${BOARDS[board].totalVars}; ${b.uncaughtErrors} uncaught errors` },
    { area, metric: `${board}: flash bytes per 20-digit record`, value: +perRecord.toFixed(2), unit: "B", target: "<= 16", pass: perRecord > 0 && perRecord <= 16, note: "bytes programmed during the scans / scans (headers of reclaimed pages included)" },
    { area, metric: `${board}: days of a ${BOXES_PER_DAY}-box clinic offline`, value: +days.toFixed(1), unit: "days", note: "upper bound: Storage area minus files present after boot, at the measured bytes per record" },
  ];
}

const bench: Bench = {
  name: "firmware-budgets",
  async run({ quick }) {
    const rows: BenchRow[] = [];
    for (const board of Object.keys(BOARDS) as BoardId[]) {
      const source = await uploadFile(board);
      if (source === null) {
        for (const metric of ["variables after boot + 500 scans, no link", "flash bytes per 20-digit record", `days of a ${BOXES_PER_DAY}-box clinic offline`]) {
          rows.push({ area: "firmware", metric: `${board}: ${metric}`, value: "firmware not built", unit: "", note: `no dist/firmware/${board}/upload.js` });
        }
        continue;
      }
      rows.push(...(await measure(board, source, quick)));
    }
    return rows;
  },
};

export default bench;
