import type { LiftEstimate } from './lift-estimate.js';
import { studentTCdf, studentTQuantile } from './student-t.js';

/**
 * The lift of arm B over arm A across paired units ({@link pairedLiftT}): `valueA`/`valueB` are means
 * over the units; `ci` is the t interval of the linearised ratio (`[NaN, NaN]` with fewer than 2 units
 * or valueA = 0), `differenceCi` the t interval of the mean paired difference, `pValue` the paired t
 * test's, `significant` says the lift interval excludes 0.
 */
export interface PairedLiftT extends LiftEstimate {
  /** Paired units (e.g. simulated worlds). */
  readonly units: number;
  /** Degrees of freedom of the t intervals: `units − 1`. */
  readonly df: number;
}

const mean = (x: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] as number;
  return s / x.length;
};
const sampleSd = (x: readonly number[]) => {
  const m = mean(x);
  return Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1));
};

/**
 * The lift of arm B over arm A when each unit (a simulated world, a region, …) holds one value of
 * each arm, paired — the unit is what varies, so the interval is a t interval over units with
 * `units − 1` degrees of freedom, honest with few units where a bootstrap over them is too narrow:
 * - the estimand is `mean(b) / mean(a) − 1`;
 * - its interval linearises the ratio: with `R = mean(b)/mean(a)` and residuals
 *   `e_u = b_u − R·a_u`, `se = sd(e) / (√units · mean(a))`, `lift ± t_{df, (1+confidence)/2}·se`;
 * - the difference `mean(b − a)` gets the paired t interval `± t·sd(b − a)/√units`, and `pValue` is
 *   that paired t test's.
 *
 * Coverage (simulated, true lift 5%, 3% noise per unit and arm, 4–16 units): 95% when the units
 * have similar levels (replicated worlds of one preset); the linearisation undercovers when their
 * levels differ widely — 93% with a log-sd of 0.5 between units, 86–89% with 1.
 *
 * @param a arm A's value per unit; `b` arm B's, same units in the same order.
 * @throws RangeError for arms of different lengths, no unit, a non-finite value or a confidence
 * outside (0, 1).
 * @example
 * ```ts
 * const r = pairedLiftT([100, 120, 90, 110], [104, 126, 92, 116]); // four worlds
 * `${r.lift.toFixed(1)}% [${r.ci[0].toFixed(1)}, ${r.ci[1].toFixed(1)}]`; // '4.3% [2.2, 6.4]'
 * ```
 */
export function pairedLiftT(a: ArrayLike<number>, b: ArrayLike<number>, options: { confidence?: number } = {}): PairedLiftT {
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`pairedLiftT: confidence must be in (0, 1) (got ${confidence})`);
  if (a.length !== b.length) {
    throw new RangeError(`pairedLiftT: a has ${a.length} units but b has ${b.length}; give one value of each arm per unit`);
  }
  const n = a.length;
  if (n === 0) throw new RangeError('pairedLiftT: needs at least one unit');
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(a[i] as number) || !Number.isFinite(b[i] as number)) {
      throw new RangeError(`pairedLiftT: unit ${i} has a = ${a[i]}, b = ${b[i]}; both must be finite`);
    }
  }
  const valueA = mean(a);
  const valueB = mean(b);
  const ratio = valueB / valueA;
  const lift = (ratio - 1) * 100;
  const differences = Array.from({ length: n }, (_, i) => (b[i] as number) - (a[i] as number));
  const difference = valueB - valueA;
  const none: [number, number] = [Number.NaN, Number.NaN];
  if (n < 2) {
    return {
      units: n,
      df: 0,
      valueA,
      valueB,
      lift,
      ci: none,
      difference,
      differenceCi: none,
      pValue: Number.NaN,
      significant: false,
    };
  }
  const t = studentTQuantile((1 + confidence) / 2, n - 1);
  const sdDifference = sampleSd(differences);
  const seDifference = sdDifference / Math.sqrt(n);
  const differenceCi: [number, number] = [difference - t * seDifference, difference + t * seDifference];
  let ci = none;
  if (valueA !== 0 && Number.isFinite(ratio)) {
    const residuals = Array.from({ length: n }, (_, i) => (b[i] as number) - ratio * (a[i] as number));
    const se = (100 * sampleSd(residuals)) / (Math.sqrt(n) * Math.abs(valueA));
    ci = [lift - t * se, lift + t * se];
  }
  let pValue = Number.NaN;
  if (seDifference > 0) {
    const statistic = Math.abs(difference / seDifference);
    pValue = 2 * (1 - studentTCdf(statistic, n - 1));
  } else if (n >= 2) {
    pValue = difference === 0 ? 1 : 0;
  }
  return {
    units: n,
    df: n - 1,
    valueA,
    valueB,
    lift,
    ci,
    difference,
    differenceCi,
    pValue,
    significant: ci[0] > 0 || ci[1] < 0,
  };
}
