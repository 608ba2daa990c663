// Pure core of ingest: decides whether a frame arriving on a topic may be stored. Knows
// nothing of sockets or SQL; the device lookup and the hashing are passed in.
import type { BatchFrame, Hashing, StatusFrame } from "../../../protocol/src/frame/types";
import { decodeUp } from "../../../protocol/src/node/decode-up";
import { deviceFromUpTopic } from "../../../protocol/src/topics";
import type { DeviceRow } from "../store/types";
import type { IngestRejectReason } from "./reject-reason";

export type Verdict =
  | { ok: true; frame: BatchFrame; device: DeviceRow }
  | { ok: true; status: StatusFrame; device: DeviceRow }
  | { ok: false; reason: IngestRejectReason; device: string | null; message: string };

export function verifyFrame(topic: string, bytes: Uint8Array, lookup: (id: string) => DeviceRow | null, h: Hashing): Verdict {
  const topicDevice = deviceFromUpTopic(topic);
  if (topicDevice === null) return { ok: false, reason: "bad-topic", device: null, message: "not a device up topic: " + topic.slice(0, 100) };
  const owner = lookup(topicDevice);
  if (!owner) return { ok: false, reason: "unknown-device", device: topicDevice, message: "device not provisioned" };
  if (owner.status !== "active") return { ok: false, reason: "revoked", device: topicDevice, message: "device revoked" };
  // Any provisioned device's key verifies the tag, so a genuine frame of device A replayed
  // on B's topic is told apart ("device-mismatch") from a forgery ("bad-tag").
  const decoded = decodeUp(bytes, (id) => lookup(id)?.secret ?? null, h);
  if (!decoded.ok) return { ok: false, reason: decoded.reason, device: topicDevice, message: decoded.message };
  const up = decoded.value;
  const sender = up.type === 1 ? up.batch.device : up.status.device;
  if (sender !== topicDevice) {
    return { ok: false, reason: "device-mismatch", device: topicDevice, message: "frame of " + sender + " on the topic of " + topicDevice };
  }
  return up.type === 1 ? { ok: true, frame: up.batch, device: owner } : { ok: true, status: up.status, device: owner };
}
