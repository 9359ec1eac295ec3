import { type FeatureFrame, SECONDS_PER_DAY } from './feature-frame.js';

/** The columns item ages are computed from. */
export type ItemAgeColumns = Pick<FeatureFrame, 'size' | 'timestamp' | 'itemCreatedAt'>;

/** Calls `visit(i, ageSeconds)` for every row of `rows` (default: every frame row), checking each row. */
function forEachAge(
  frame: ItemAgeColumns,
  rows: ArrayLike<number> | undefined,
  caller: string,
  visit: (i: number, ageSeconds: number) => void,
): void {
  const n = rows ? rows.length : frame.size;
  for (let i = 0; i < n; i++) {
    const r = rows ? (rows[i] as number) : i;
    if (rows && !(r >= 0 && r < frame.size)) {
      throw new RangeError(`${caller}: rows[${i}] must be a row in [0, ${frame.size}) (got ${r})`);
    }
    visit(i, (frame.timestamp[r] as number) - (frame.itemCreatedAt[r] as number));
  }
}

/**
 * The age of each row's item at its impression, in days: `(timestamp − itemCreatedAt) / 86400`,
 * for every frame row or, given `rows`, for those rows in that order (a batch pays only for its rows).
 *
 * @throws RangeError for a row outside the frame.
 * @example `itemAgeDays(frame)[r] < 28` ⇔ row `r` shows a fresh item (paper: fresh = created
 * within the last 28 days); `itemAgeDays(frame, batchRows)` for a batch.
 */
export function itemAgeDays(frame: ItemAgeColumns, rows?: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows ? rows.length : frame.size);
  forEachAge(frame, rows, 'itemAgeDays', (i, age) => {
    out[i] = age / SECONDS_PER_DAY;
  });
  return out;
}

/**
 * 1 for a cold ("fresh") row — item age < `coldDays` at the impression (the spec's
 * `coldStart.coldDays`, paper: 28) — else 0; for every frame row or, given `rows`, for those rows
 * in that order.
 *
 * @throws RangeError when `coldDays` is not a number > 0 or a row is outside the frame.
 * @example `coldMask(frame, spec.coldStart.coldDays)`; `coldMask(frame, 28, batchRows)`
 */
export function coldMask(frame: ItemAgeColumns, coldDays: number, rows?: ArrayLike<number>): Uint8Array {
  if (!(coldDays > 0)) throw new RangeError(`coldMask: coldDays must be a number > 0 (got ${coldDays})`);
  const limit = coldDays * SECONDS_PER_DAY;
  const out = new Uint8Array(rows ? rows.length : frame.size);
  forEachAge(frame, rows, 'coldMask', (i, age) => {
    out[i] = age < limit ? 1 : 0;
  });
  return out;
}

/**
 * The `item_age` feature value of the simulator and MovieLens specs: `log(1 + age in days)` of an
 * item created at `createdAt` and seen at `at` (seconds since the epoch), 0 for a negative age.
 *
 * @example `itemAgeFeature(createdAt + 6 * 86_400, createdAt)` → `Math.log(7)` ≈ 1.946
 */
export function itemAgeFeature(at: number, createdAt: number): number {
  return Math.log1p(Math.max(0, (at - createdAt) / SECONDS_PER_DAY));
}
