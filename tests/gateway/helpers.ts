// Builders shared by the gateway suites: real frames from the protocol's Node encoder.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeBatchNode } from "../../protocol/src/node/encode";
import { nodeHashing } from "../../protocol/src/node/hashing";
import { EV_DISPENSE, type ScanRecord } from "../../protocol/src/record";
import type { BatchFrame } from "../../protocol/src/frame/types";

export const T0 = 1_750_000_000;

export function secretOf(device: string): Uint8Array {
  const s = new Uint8Array(32);
  for (let i = 0; i < 32; i++) s[i] = (device.charCodeAt(i % device.length) * (i + 7)) & 0xff;
  return s;
}

export function cn20(n: number): string {
  return "8385793" + String(n).padStart(13, "0");
}

export function dispense(seq: number, code: string, extra: Partial<ScanRecord> = {}): ScanRecord {
  return { seq, time: T0 + seq, trusted: true, boot: 1, uptime: 100 + seq, event: EV_DISPENSE, session: 0, code, ...extra };
}

export function frameOf(device: string, records: ScanRecord[], extra: Partial<BatchFrame> = {}): BatchFrame {
  return { device, boot: 1, uptime: 1000, time: T0 + 900, trusted: true, records, ...extra };
}

export function bytesOf(frame: BatchFrame, secret: Uint8Array = secretOf(frame.device)): Uint8Array {
  return encodeBatchNode(frame, secret, nodeHashing);
}

export function tempDir(prefix = "vt-gw-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function waitFor(cond: () => boolean, ms = 10_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for " + what);
    await new Promise((r) => setTimeout(r, 20));
  }
}
