import { earliestByKey } from '../frame/earliest-by-key.js';
import { type FeatureFrame, SECONDS_PER_DAY } from '../frame/feature-frame.js';
import { type FrameSplit, SPLIT_NAMES, type SplitName, type TimeWindow } from './frame-split.js';

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

function windowsFor(options: TemporalSplitOptions, times: Map<number, number>): Record<SplitName, TimeWindow> {
  if ('windows' in options) return { ...options.windows };
  const sorted = Float64Array.from(times.values()).sort();
  const first = sorted[0] ?? 0;
  const last = sorted[sorted.length - 1] ?? 0;
  if ('fractions' in options) {
    const { train, calibration, eval: evaluation } = options.fractions;
    const parts = [train, calibration, evaluation];
    if (!parts.every((p) => p >= 0) || Math.abs(train + calibration + evaluation - 1) > 1e-9) {
      throw new RangeError(`temporalSplit: fractions must be ≥ 0 and sum to 1 (got ${JSON.stringify(options.fractions)})`);
    }
    const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? last;
    const a = at(train);
    const b = at(train + calibration);
    const end = last + 1;
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

/**
 * Splits a frame by time windows (paper: 27 days train, the next day calibration, 3 days
 * evaluation). A request belongs to the window containing its earliest row; rows outside every
 * window belong to no part (they may still have fed historical features).
 *
 * @throws RangeError for negative day counts or fractions that don't sum to 1.
 * @example
 * ```ts
 * const split = temporalSplit(frame);                       // 27/1/3 days ending at the last impression
 * const ml = temporalSplit(frame, { fractions: { train: 0.8, calibration: 0.05, eval: 0.15 } });
 * ```
 */
export function temporalSplit(frame: FeatureFrame, options: TemporalSplitOptions = {}): FrameSplit {
  const times = earliestByKey(frame.requestId, frame.timestamp);
  const windows = windowsFor(options, times);
  const parts: Record<SplitName, number[]> = { train: [], calibration: [], eval: [] };
  for (let r = 0; r < frame.size; r++) {
    const t = times.get(frame.requestId[r] as number) as number;
    for (const name of SPLIT_NAMES) {
      const w = windows[name];
      if (t >= w.start && t < w.end) {
        parts[name].push(r);
        break;
      }
    }
  }
  return {
    kind: 'temporal',
    rows: {
      train: Int32Array.from(parts.train),
      calibration: Int32Array.from(parts.calibration),
      eval: Int32Array.from(parts.eval),
    },
    windows,
  };
}
