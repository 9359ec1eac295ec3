import { earliestByKey } from '../frame/earliest-by-key.js';
import type { FeatureFrame } from '../frame/feature-frame.js';
import { type FrameSplit, SPLIT_NAMES, type SplitName } from './frame-split.js';
import { type TemporalSplitOptions, temporalWindows } from './temporal-windows.js';

export type { TemporalSplitOptions } from './temporal-windows.js';

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
  const windows = temporalWindows(Float64Array.from(times.values()), options);
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
