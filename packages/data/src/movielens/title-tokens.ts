import { hashToBucket } from '@thaw/spec';

/**
 * The hashed bag of words of a title: lower-cased alphanumeric tokens of ≥ 2 characters (the
 * trailing "(1995)" year removed), counted into `buckets` by `hashToBucket`, L2-normalised.
 *
 * @example `titleVector('Toy Story (1995)', 16)` has two non-zero entries of 1/√2 (unless the tokens collide).
 */
export function titleVector(title: string, buckets: number): Float32Array {
  const out = new Float32Array(buckets);
  const tokens = title
    .replace(/\(\d{4}(?:[–-]\d{0,4})?\)\s*$/, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length >= 2);
  for (const token of tokens) out[hashToBucket(token, buckets)] = (out[hashToBucket(token, buckets)] as number) + 1;
  let norm = 0;
  for (const v of out) norm += v * v;
  if (norm > 0) for (let k = 0; k < buckets; k++) out[k] = (out[k] as number) / Math.sqrt(norm);
  return out;
}
