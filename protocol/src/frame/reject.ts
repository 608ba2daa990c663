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

/** The most common refusal, "bad-structure" with message "bad <what>", spelled once. */
export function bad(what: string): never {
  return reject("bad-structure", "bad " + what);
}

/** Whatever was thrown, as a Rejection (an unexpected error counts as bad structure). */
export function asRejection(e: unknown): Rejection {
  const r = e as Rejection;
  return r && typeof r.reason === "string" ? { reason: r.reason, message: String(r.message) } : { reason: "bad-structure", message: "unexpected: " + e };
}
