import { type FeatureFrame, SECONDS_PER_DAY } from './feature-frame.js';

/**
 * The age of each row's item at its impression, in days: `(timestamp − itemCreatedAt) / 86400`.
 *
 * @example `itemAgeDays(frame)[r] < 28` ⇔ row `r` shows a fresh item (paper: fresh = created
 * within the last 28 days).
 */
export function itemAgeDays(frame: Pick<FeatureFrame, 'size' | 'timestamp' | 'itemCreatedAt'>): Float32Array {
  const out = new Float32Array(frame.size);
  for (let r = 0; r < frame.size; r++) {
    out[r] = ((frame.timestamp[r] as number) - (frame.itemCreatedAt[r] as number)) / SECONDS_PER_DAY;
  }
  return out;
}

/**
 * 1 for a cold ("fresh") row — item age < `coldDays` at the impression (the spec's
 * `coldStart.coldDays`, paper: 28) — else 0.
 *
 * @throws RangeError when `coldDays` is not a number > 0.
 * @example `coldMask(frame, spec.coldStart.coldDays)`
 */
export function coldMask(frame: Pick<FeatureFrame, 'size' | 'timestamp' | 'itemCreatedAt'>, coldDays: number): Uint8Array {
  if (!(coldDays > 0)) throw new RangeError(`coldMask: coldDays must be a number > 0 (got ${coldDays})`);
  const limit = coldDays * SECONDS_PER_DAY;
  const out = new Uint8Array(frame.size);
  for (let r = 0; r < frame.size; r++) {
    out[r] = (frame.timestamp[r] as number) - (frame.itemCreatedAt[r] as number) < limit ? 1 : 0;
  }
  return out;
}
