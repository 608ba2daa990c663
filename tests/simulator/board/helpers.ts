// Small helpers for the board suites: fixtures by name and a booted board.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EmulatedBoard, type EmulatedBoardOptions } from "../../../simulator/src/board";

export function fixture(name: string): string {
  return readFileSync(join(__dirname, "fixtures", name), "utf8");
}

export function bootWith(source: string, opts: Partial<EmulatedBoardOptions> & { unchecked?: boolean } = {}): EmulatedBoard {
  const b = new EmulatedBoard({ board: "pico", seed: 7, ...opts });
  b.load(source, { unchecked: opts.unchecked });
  b.powerOn();
  return b;
}

/** Evaluates an expression on a freshly booted board with an empty program. */
export function onBoard(expr: string, board: "pico" | "esp32" = "pico"): unknown {
  return bootWith("", { board }).evaluate(expr);
}
