const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const encoder = new TextEncoder();

/**
 * Hashes an identifier into `[0, buckets)` — the row of an `id` feature's embedding table.
 *
 * 32-bit FNV-1a over the UTF-8 bytes of `String(id)`, so the trainer (`@thaw/data`) and the
 * server (`thaw-serve`) map an id to the same row, and `42`, `42n` and `'42'` agree.
 *
 * @throws TypeError when `buckets` is not an integer ≥ 1.
 * @example `hashToBucket('pin-123', 100_000)` is a stable integer in [0, 100000).
 */
export function hashToBucket(id: string | number | bigint, buckets: number): number {
  if (!Number.isInteger(buckets) || buckets < 1) {
    throw new TypeError(`hashToBucket: buckets must be an integer ≥ 1 (got ${buckets})`);
  }
  let hash = FNV_OFFSET;
  for (const byte of encoder.encode(String(id))) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME);
  }
  return (hash >>> 0) % buckets;
}
