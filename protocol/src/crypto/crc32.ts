// CRC-32 (IEEE 802.3, reflected, poly 0xEDB88320): the same value as zlib's crc32 and
// Espruino's E.CRC32. Board-safe. The 1 KB table is built on first use so a board that
// never checks a frame never pays for it.

let table: Uint32Array | null = null;

function buildTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

/** CRC-32 of `bytes[start..end)`, unsigned. */
export function crc32Range(bytes: Uint8Array, start: number, end: number): number {
  if (!table) table = buildTable();
  const t = table;
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** CRC-32 of a byte array, unsigned: crc32("123456789") === 0xCBF43926. */
export function crc32(bytes: Uint8Array): number {
  return crc32Range(bytes, 0, bytes.length);
}
