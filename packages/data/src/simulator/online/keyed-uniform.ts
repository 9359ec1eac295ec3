import { createRng, type Rng } from '@thaw/tensor';

const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

/**
 * MurmurHash3 (x86, 32-bit) of the integer `keys` read as little-endian 32-bit words, with `seed`:
 * a counter-based source of randomness — the same keys always give the same hash, whatever was
 * drawn before, and changing any key gives an unrelated value. Keys are taken modulo 2³².
 *
 * @throws TypeError for a key or seed that is not an integer.
 * @example `keyedHash(7, 12, 3) === keyedHash(7, 12, 3)` (murmur3_32 of the 8 bytes 0c 00 00 00 03 00 00 00, seed 7)
 */
export function keyedHash(seed: number, ...keys: readonly number[]): number {
  if (!Number.isInteger(seed)) throw new TypeError(`keyedHash: seed must be an integer (got ${seed})`);
  let h = seed | 0;
  for (const key of keys) {
    if (!Number.isInteger(key)) throw new TypeError(`keyedHash: keys must be integers (got ${key})`);
    let k = Math.imul(key | 0, 0xcc9e2d51);
    k = rotl(k, 15);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = rotl(h, 13);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= 4 * keys.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A uniform draw in [0, 1) (32 bits of resolution) fixed by `seed` and `keys` — e.g. the
 * engagement draw of (request, item, task): the same item shown to the same request draws the same
 * number in every arm of an A/B test (common random numbers), and no draw depends on the order of
 * the others.
 *
 * @example `keyedUniform(seed, request, item, TASK_SAVE) < p` decides a save identically in every arm.
 */
export function keyedUniform(seed: number, ...keys: readonly number[]): number {
  return keyedHash(seed, ...keys) / 4294967296;
}

/**
 * A sequential generator whose seed is fixed by `seed` and `keys` (e.g. one per request): the
 * draws of one request do not depend on how many draws earlier requests consumed.
 */
export function keyedRng(seed: number, ...keys: readonly number[]): Rng {
  return createRng(keyedHash(seed, ...keys) | 0);
}
