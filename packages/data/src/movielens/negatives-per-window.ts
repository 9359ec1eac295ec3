import { SPLIT_NAMES, type SplitName, type TimeWindow } from '../split/frame-split.js';

/**
 * Negatives sampled per rating in each window of the split. `calibration` defaults to `eval`'s
 * count, so Platt scaling is fitted at the base rate it is evaluated at.
 */
export interface MovieLensNegatives {
  readonly train: number;
  readonly calibration?: number;
  readonly eval: number;
}

/**
 * The default of `loadMovieLens`: 4 negatives per rating in training (requests of 5 candidates,
 * 0.4 M training rows on ml-latest-small) and 99 in calibration and evaluation (requests of 100,
 * the usual "1 + 99 sampled" ranking protocol). With 4 evaluation negatives a request rarely holds
 * more than one movie without history, so ranking "no history first" put nearly every fresh
 * positive in the top 3 (fresh Hits@3 0.98); with 99 it reaches 0.46 (see the package README).
 */
export const MOVIELENS_NEGATIVES: MovieLensNegatives = { train: 4, eval: 99 };

/**
 * The negative count of every event from the split window its time falls in (`train`'s for an
 * event outside every window — it only feeds history). A plain number applies to every event.
 *
 * @throws RangeError for a count that is not an integer ≥ 0 or an unknown window name.
 * @example `negativesPerEvent(times, windows, { train: 4, eval: 99 })` → `Int32Array` of 4s and 99s
 */
export function negativesPerEvent(
  times: ArrayLike<number>,
  windows: Readonly<Record<SplitName, TimeWindow>>,
  negatives: number | MovieLensNegatives,
): number | Int32Array {
  if (typeof negatives === 'number') return negatives;
  for (const [name, value] of Object.entries(negatives)) {
    if (!SPLIT_NAMES.includes(name as SplitName)) {
      throw new RangeError(`loadMovieLens: negatives.${name} is not a split window (use train, calibration, eval)`);
    }
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`loadMovieLens: negatives.${name} must be an integer ≥ 0 (got ${value})`);
    }
  }
  const count: Record<SplitName, number> = {
    train: negatives.train,
    calibration: negatives.calibration ?? negatives.eval,
    eval: negatives.eval,
  };
  return Int32Array.from({ length: times.length }, (_, e) => {
    const t = times[e] as number;
    for (const name of SPLIT_NAMES) {
      if (t >= windows[name].start && t < windows[name].end) return count[name];
    }
    return count.train;
  });
}

/** Requests of one split window that got fewer negatives than asked (see `sampleNegatives`). */
export interface NegativeShortfall {
  /** Requests with at least one negative missing. */
  readonly shortRequests: number;
  /** Negatives missing over those requests. */
  readonly missingNegatives: number;
  /** Requests that asked for negatives and got none: only their positive (Hits@K is trivially 1). */
  readonly emptyRequests: number;
}

/**
 * Sums a per-event `shortfall` (negatives asked − drawn, from `sampleNegatives`) per split window
 * of the event's time; events outside every window are left out.
 *
 * @example `shortfallPerWindow(times, windows, candidates.shortfall, asked).eval.shortRequests` → 0 on ml-latest-small
 */
export function shortfallPerWindow(
  times: ArrayLike<number>,
  windows: Readonly<Record<SplitName, TimeWindow>>,
  shortfall: ArrayLike<number>,
  asked: number | ArrayLike<number>,
): Record<SplitName, NegativeShortfall> {
  const sums = Object.fromEntries(
    SPLIT_NAMES.map((name) => [name, { shortRequests: 0, missingNegatives: 0, emptyRequests: 0 }]),
  ) as Record<SplitName, { shortRequests: number; missingNegatives: number; emptyRequests: number }>;
  for (let e = 0; e < times.length; e++) {
    const missing = shortfall[e] as number;
    if (missing === 0) continue;
    const t = times[e] as number;
    const name = SPLIT_NAMES.find((w) => t >= windows[w].start && t < windows[w].end);
    if (name === undefined) continue;
    const sum = sums[name];
    sum.shortRequests++;
    sum.missingNegatives += missing;
    if (missing === (typeof asked === 'number' ? asked : (asked[e] as number))) sum.emptyRequests++;
  }
  return sums;
}
