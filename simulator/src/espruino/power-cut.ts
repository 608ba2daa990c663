// A power cut stops the board between two bytes of flash traffic. It is thrown through the
// host, never handled by the firmware: once cut, every further hardware call throws again
// and the board discards the context, so a firmware `catch` cannot keep anything alive.

export class PowerCut extends Error {
  constructor(where: string) {
    super("power cut " + where);
    this.name = "PowerCut";
  }
}

/**
 * Where to cut. `afterBytes` counts bytes programmed by writes since arming (0 = before the
 * first byte of the next write). `atWrite`/`atErase` name the n-th write or erase since
 * arming (0-based) and the byte offset inside it at which power fails.
 */
export type PowerCutPlan =
  | { afterBytes: number }
  | { atWrite: number; byte: number }
  | { atErase: number; byte: number };

export function isPowerCut(e: unknown): e is PowerCut {
  return e instanceof PowerCut;
}
