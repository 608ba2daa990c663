// Device authentication on the broker: username = device id, password derived from the
// device secret, so the secret itself never travels. Board-safe.
import { hmacSha256 } from "./crypto/hmac";
import { bytesFromString, toHex } from "./crypto/bytes";
import type { Hashing } from "./frame/types";

/** MQTT password of a device: lowercase hex of HMAC-SHA256(secret, "mqtt:" + device). */
export function mqttPassword(device: string, secret: Uint8Array, h: Hashing): string {
  return toHex(hmacSha256(h.sha256, secret, bytesFromString("mqtt:" + device)));
}
