// The boards the firmware is built for: entry point and the espruino-tools board description.
import { join } from "node:path";

export const REPO_ROOT = join(__dirname, "..", "..");
export const VENDOR_DIR = join(REPO_ROOT, "firmware", "vendor");

export interface BoardTarget {
  board: string;
  /** firmware/src/boards/<board>.ts unless a test points elsewhere. */
  entry: string;
  /** The board JSON espruino-tools would otherwise download. */
  boardJson: string;
  /** Values of protocol/src/board-flags.ts in this board's bundle. */
  flags: BoardFlags;
}

export interface BoardFlags {
  /** A display shows the feedback and rejection texts (the Pico has none). */
  display: boolean;
  /** Storage of 1 MB or more in 4 KB pages (the ESP32; the Pico has 48 KB). */
  largeStorage: boolean;
  /** WiFi and MQTT (the ESP32; the Pico syncs over USB serial). */
  net: boolean;
}

const FLAGS: Record<string, BoardFlags> = {
  pico: { display: false, largeStorage: false, net: false },
  esp32: { display: true, largeStorage: true, net: true },
};

const BOARD_JSON: Record<string, string> = {
  pico: "PICOR1_3.json",
  esp32: "ESP32.json",
};

export const BOARDS = Object.keys(BOARD_JSON);

export function boardTarget(board: string, entry?: string): BoardTarget {
  const json = BOARD_JSON[board];
  if (!json) throw new Error(`unknown board "${board}" (known: ${BOARDS.join(", ")})`);
  return {
    board,
    entry: entry ?? join(REPO_ROOT, "firmware", "src", "boards", `${board}.ts`),
    boardJson: join(VENDOR_DIR, json),
    flags: FLAGS[board],
  };
}
