// The upload files the fleet runs: built by the firmware build (esbuild, espruino-tools, the
// subset gate) exactly as they would be sent to a real board, then read back unmodified.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildFirmware } from "../../../firmware/build/build";
import type { BoardKind } from "../scenario/index";

export interface UploadFile {
  board: BoardKind;
  path: string;
  /** The file as the board receives it: a byte string (latin1). */
  source: string;
}

export type UploadFiles = Record<BoardKind, UploadFile>;

/** Builds both boards' upload files into `outDir` (a fresh temp dir by default, so parallel runs never share files). */
export async function buildUploadFiles(outDir?: string): Promise<UploadFiles> {
  const root = outDir ?? mkdtempSync(join(tmpdir(), "vt-fw-"));
  const out = {} as UploadFiles;
  for (const board of ["pico", "esp32"] as const) {
    const a = await buildFirmware({ board, outDir: join(root, board) });
    out[board] = { board, path: a.uploadPath, source: readFileSync(a.uploadPath, "latin1") };
  }
  return out;
}

/** Reads upload files built before (e.g. dist/firmware/<board>/upload.js). */
export function readUploadFiles(dir: string): UploadFiles {
  const out = {} as UploadFiles;
  for (const board of ["pico", "esp32"] as const) {
    const path = join(dir, board, "upload.js");
    out[board] = { board, path, source: readFileSync(path, "latin1") };
  }
  return out;
}
