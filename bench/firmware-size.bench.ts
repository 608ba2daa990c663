// Flash footprint of the firmware: the upload file (esbuild-minified, processed by
// espruino-tools) per board, built into a temp dir. The readable esbuild bundle of the same
// entry is the baseline, so the ratio shows what minification buys.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Bench, BenchRow } from "./types";
import { buildFirmware } from "../firmware/build/build";
import { BOARDS } from "../firmware/build/boards";

/** Upload budget per board, in KB (1024 bytes). The ESP32 has room to spare. */
const TARGET_KB: Record<string, number> = { pico: 24 };

const bench: Bench = {
  name: "firmware-size",
  async run() {
    const dir = mkdtempSync(join(tmpdir(), "vt-fw-size-"));
    const rows: BenchRow[] = [];
    try {
      for (const board of BOARDS) {
        const a = await buildFirmware({ board, outDir: join(dir, board) });
        const kb = a.uploadBytes / 1024;
        const target = TARGET_KB[board];
        rows.push({
          area: "firmware",
          metric: `${board} upload size`,
          value: Number(kb.toFixed(1)),
          unit: "KB",
          target: target === undefined ? undefined : `<= ${target}`,
          baseline: `bundle ${(a.bundleBytes / 1024).toFixed(1)} KB`,
          ratio: Number((a.uploadBytes / a.bundleBytes).toFixed(3)),
          pass: target === undefined ? undefined : kb <= target,
          note: `${a.uploadBytes} bytes`,
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return rows;
  },
};

export default bench;
