// The USB serial line protocol between a board and the gateway bridge, one text line each
// (the board's side is firmware/src/link/serial.ts):
//   host -> board  "VT?"              probe: asks the board to say who it is (also keep-alive)
//   board -> host  "VT!<device>"      hello
//   board -> host  "VT>" base64       an up frame (batch or status), as on MQTT deviceUp
//   host -> board  "VT<" base64       a down frame (ack or command), as on MQTT deviceDown
// Other lines (console output, noise) are ignored. Frames carry their own HMAC.
import { MAX_FRAME_BYTES } from "../../../protocol/src/frame/types";

export const PROBE = "VT?";
export const HELLO = "VT!";
export const UP = "VT>";
export const DOWN = "VT<";

/** Longest line worth keeping: a largest frame in base64 plus prefix and CR. */
export const MAX_LINE = 8 + Math.ceil(MAX_FRAME_BYTES / 3) * 4;

/** Device ids as provisioned (1..24 printable chars, no spaces). */
const DEVICE_ID = /^[\x21-\x7e]{1,24}$/;

export type BoardLine =
  | { kind: "hello"; device: string }
  | { kind: "up"; frame: Uint8Array }
  | { kind: "bad"; why: string }
  | { kind: "other" };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function parseBoardLine(raw: string): BoardLine {
  const line = raw.trim();
  if (line.startsWith(HELLO)) {
    const device = line.slice(HELLO.length);
    return DEVICE_ID.test(device) ? { kind: "hello", device } : { kind: "bad", why: "bad device id" };
  }
  if (line.startsWith(UP)) {
    const b64 = line.slice(UP.length);
    if (b64.length === 0 || b64.length % 4 !== 0 || !BASE64.test(b64)) return { kind: "bad", why: "bad base64" };
    const frame = new Uint8Array(Buffer.from(b64, "base64"));
    if (frame.length > MAX_FRAME_BYTES) return { kind: "bad", why: "frame too large" };
    return { kind: "up", frame };
  }
  return { kind: "other" };
}

export function downLine(frame: Uint8Array): string {
  return DOWN + Buffer.from(frame).toString("base64") + "\n";
}

export const PROBE_LINE = PROBE + "\n";
