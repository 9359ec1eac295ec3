/**
 * What every estimate of the lift of arm B over arm A reports, whatever its interval method —
 * {@link LiftInterval} (bootstrap over users and seeds) or {@link PairedLiftT} (Student t over
 * paired units such as simulated worlds); the extending type says how `ci`, `differenceCi`,
 * `pValue` and `significant` are computed.
 *
 * @example `{ valueA: 0.20, valueB: 0.22, lift: 10, ci: [2, 18], difference: 0.02, differenceCi: [0.004, 0.036], pValue: 0.01, significant: true }`
 */
export interface LiftEstimate {
  /** The metric of arm A (mean over its seeds or units). */
  readonly valueA: number;
  /** The metric of arm B (mean over its seeds or units). */
  readonly valueB: number;
  /** Relative lift in %: `(valueB / valueA − 1) · 100`. */
  readonly lift: number;
  /** Interval of the lift in %. */
  readonly ci: readonly [number, number];
  /** Difference `valueB − valueA` in the metric's units (× 100: percentage points of a share). */
  readonly difference: number;
  /** Interval of the difference. */
  readonly differenceCi: readonly [number, number];
  /** Two-sided p-value of "no difference" (NaN when undefined). */
  readonly pValue: number;
  /** Whether the estimate is distinguishable from no difference at the interval's confidence. */
  readonly significant: boolean;
}
