// Rejections travel as thrown plain objects inside the decoders and are turned into a
// DecodeResult at the API edge, so a decoder never throws past its API.
import type { FrameRejectReason } from "./types";

export interface Rejection {
  reason: FrameRejectReason;
  message: string;
}

export function reject(reason: FrameRejectReason, message: string): never {
  throw { reason: reason, message: message } as Rejection;
}

/** Whatever was thrown, as a Rejection (an unexpected error counts as bad structure). */
export function asRejection(e: unknown): Rejection {
  if (e && typeof e === "object" && typeof (e as Rejection).reason === "string" && typeof (e as Rejection).message === "string") {
    return e as Rejection;
  }
  return { reason: "bad-structure", message: "unexpected: " + String(e) };
}
