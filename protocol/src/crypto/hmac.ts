// HMAC-SHA256 (RFC 2104). The hash is passed in so a board can use its built-in SHA256
// and Node its native one, with this one construction on both ends.
import type { Sha256 } from "../frame/types";

const BLOCK = 64;

function padded(key: Uint8Array, pad: number, msg: Uint8Array): Uint8Array {
  const out = new Uint8Array(BLOCK + msg.length);
  for (let i = 0; i < BLOCK; i++) out[i] = (i < key.length ? key[i] : 0) ^ pad;
  out.set(msg, BLOCK);
  return out;
}

/** HMAC-SHA256(key, msg), 32 bytes. Keys longer than 64 bytes are hashed first. */
export function hmacSha256(sha256: Sha256, key: Uint8Array, msg: Uint8Array): Uint8Array {
  const k = key.length > BLOCK ? sha256(key) : key;
  const inner = sha256(padded(k, 0x36, msg));
  return sha256(padded(k, 0x5c, inner));
}
