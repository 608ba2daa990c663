// The gate's public face: check a source, or fail with every violation listed.
import { checkEspruinoSubset } from "./check";
import type { GateViolation } from "./types";

export { checkEspruinoSubset };
export type { GateViolation, GateRule } from "./types";

/** One line per violation: `file:line:col  rule  message`. */
export function formatViolations(violations: readonly GateViolation[], fileName = "<source>"): string {
  return violations.map((v) => `${fileName}:${v.line}:${v.column}  ${v.rule}  ${v.message}`).join("\n");
}

export class EspruinoSubsetError extends Error {
  constructor(
    readonly fileName: string,
    readonly violations: GateViolation[],
  ) {
    super(`${fileName}: ${violations.length} construct(s) outside the Espruino subset:\n${formatViolations(violations, fileName)}`);
    this.name = "EspruinoSubsetError";
  }
}

/** Throws an EspruinoSubsetError listing every violation; returns quietly when there is none. */
export function assertEspruinoSubset(source: string, fileName = "<source>"): void {
  const violations = checkEspruinoSubset(source);
  if (violations.length) throw new EspruinoSubsetError(fileName, violations);
}
