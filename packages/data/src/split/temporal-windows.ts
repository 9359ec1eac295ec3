import { SECONDS_PER_DAY } from '../frame/feature-frame.js';
import type { SplitName, TimeWindow } from './frame-split.js';

/**
 * How to place the windows of a temporal split.
 * - by days (paper: `{ trainDays: 27, calibrationDays: 1, evalDays: 3 }`), anchored so the
 *   evaluation window ends at `end` (default: just after the last impression) or, when `start` is
 *   given, so the training window starts there;
 * - by `fractions` of the requests in time order (for logs spanning years, e.g. MovieLens:
 *   `{ fractions: { train: 0.8, calibration: 0.05, eval: 0.15 } }`);
 * - by explicit `windows`.
 */
export type TemporalSplitOptions =
  | {
      readonly trainDays?: number;
      readonly calibrationDays?: number;
      readonly evalDays?: number;
      readonly start?: number;
      readonly end?: number;
    }
  | { readonly fractions: Readonly<Record<SplitName, number>> }
  | { readonly windows: Readonly<Record<SplitName, TimeWindow>> };

/**
 * The train / calibration / eval windows a temporal split places over requests at `requestTimes`
 * (one time per request, any order). `temporalSplit` uses it; a loader that needs the windows
 * before it builds its frame (e.g. MovieLens, whose negatives per request differ by window) calls
 * it on its request times and then splits with `{ windows }` — the same split.
 *
 * With `fractions`, the first `round(train·n)` requests in time order train, the requests up to
 * `round((1 − eval)·n)` calibrate and the rest evaluate: each part gets its share ±1 and none is
 * lost. Windows are times, so requests tied with a boundary's time all fall after it.
 *
 * @throws RangeError for negative day counts or fractions that don't sum to 1.
 * @example `temporalWindows([0, 10, 20, 30], { fractions: { train: 0.5, calibration: 0.25, eval: 0.25 } }).eval // { start: 30, end: 31 }`
 */
export function temporalWindows(
  requestTimes: ArrayLike<number>,
  options: TemporalSplitOptions = {},
): Record<SplitName, TimeWindow> {
  if ('windows' in options) return { ...options.windows };
  const sorted = Float64Array.from(requestTimes).sort();
  const first = sorted[0] ?? 0;
  const last = sorted[sorted.length - 1] ?? 0;
  if ('fractions' in options) {
    const { train, calibration, eval: evaluation } = options.fractions;
    const parts = [train, calibration, evaluation];
    if (!parts.every((p) => p >= 0) || Math.abs(train + calibration + evaluation - 1) > 1e-9) {
      throw new RangeError(`temporalSplit: fractions must be ≥ 0 and sum to 1 (got ${JSON.stringify(options.fractions)})`);
    }
    // Integer cumulative counts, each rounded once: every part gets its share ±1 and the counts add
    // up to n (a floor of summed fractions lost requests: 0.7 + 0.1 = 0.7999… → 7 of 10, not 8).
    const n = sorted.length;
    const end = last + 1;
    const boundary = (cumulative: number) => {
      const k = Math.min(n, Math.max(0, Math.round(cumulative * n)));
      return k < n ? (sorted[k] as number) : end;
    };
    const a = boundary(train);
    const b = boundary(1 - evaluation);
    return { train: { start: first, end: a }, calibration: { start: a, end: b }, eval: { start: b, end } };
  }
  const { trainDays = 27, calibrationDays = 1, evalDays = 3 } = options;
  for (const [key, v, min] of [
    ['trainDays', trainDays, 0],
    ['calibrationDays', calibrationDays, 0],
    ['evalDays', evalDays, 0],
  ] as const) {
    if (!(v >= min) || !Number.isFinite(v)) throw new RangeError(`temporalSplit: ${key} must be a number ≥ ${min} (got ${v})`);
  }
  const total = (trainDays + calibrationDays + evalDays) * SECONDS_PER_DAY;
  const start = options.start ?? (options.end ?? last + 1) - total;
  const a = start + trainDays * SECONDS_PER_DAY;
  const b = a + calibrationDays * SECONDS_PER_DAY;
  return { train: { start, end: a }, calibration: { start: a, end: b }, eval: { start: b, end: start + total } };
}
