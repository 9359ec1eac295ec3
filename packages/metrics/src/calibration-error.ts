import { definedOutcome, type MetricOutcome, undefinedOutcome } from './metric-outcome.js';
import { assertSameLength, type NumericInput, readVector } from './numeric-input.js';

/** Options of {@link expectedCalibrationError}. */
export interface CalibrationErrorOptions {
  /** Number of equal-width probability bins on [0, 1] (default 15). */
  readonly bins?: number;
}

/**
 * Bin edges `i / bins` computed as numpy's `linspace(0, 1, bins + 1)` does, so a probability on
 * an edge falls in the same bin as in scikit-learn's `calibration_curve`.
 */
function binEdges(bins: number): Float64Array {
  const edges = new Float64Array(bins + 1);
  const step = 1 / bins;
  for (let i = 0; i < bins; i++) edges[i] = i * step;
  edges[bins] = 1;
  return edges;
}

/** The bin of `p`: the number of inner edges strictly below it (numpy `searchsorted`, side left). */
function binOf(p: number, edges: Float64Array, bins: number): number {
  let bin = Math.min(bins - 1, Math.max(0, Math.ceil(p * bins) - 1));
  while (bin > 0 && (edges[bin] as number) >= p) bin--;
  while (bin < bins - 1 && (edges[bin + 1] as number) < p) bin++;
  return bin;
}

/**
 * Expected calibration error with the reason when it is undefined (only for an empty input).
 *
 * @throws RangeError for a bad `bins`, a label outside [0, 1], a probability outside [0, 1] or
 * mismatched lengths.
 */
export function expectedCalibrationErrorDetailed(
  labels: NumericInput,
  probs: NumericInput,
  options: CalibrationErrorOptions = {},
): MetricOutcome {
  const bins = options.bins ?? 15;
  if (!Number.isInteger(bins) || bins < 1) {
    throw new RangeError(`expectedCalibrationError: options.bins must be an integer ≥ 1 (got ${bins})`);
  }
  const y = readVector(labels, 'expectedCalibrationError: labels');
  const p = readVector(probs, 'expectedCalibrationError: probs');
  assertSameLength('expectedCalibrationError', y, 'labels', p, 'probs');
  if (y.length === 0) return undefinedOutcome('expectedCalibrationError', 'empty', 0);
  const edges = binEdges(bins);
  const labelSums = new Float64Array(bins);
  const probSums = new Float64Array(bins);
  for (let i = 0; i < y.length; i++) {
    const label = y[i] as number;
    const prob = p[i] as number;
    if (!(label >= 0 && label <= 1))
      throw new RangeError(`expectedCalibrationError: labels[${i}] must be in [0, 1] (got ${label})`);
    if (!(prob >= 0 && prob <= 1)) {
      throw new RangeError(`expectedCalibrationError: probs[${i}] must be a probability in [0, 1] (got ${prob})`);
    }
    const bin = binOf(prob, edges, bins);
    labelSums[bin] = (labelSums[bin] as number) + label;
    probSums[bin] = (probSums[bin] as number) + prob;
  }
  let total = 0;
  for (let b = 0; b < bins; b++) total += Math.abs((labelSums[b] as number) - (probSums[b] as number));
  return definedOutcome(total / y.length);
}

/**
 * Expected calibration error: `Σ_b (n_b / n) · |mean(y | bin b) − mean(p | bin b)|` over
 * `bins` equal-width bins of the predicted probability. Bins are right-closed (`(lo, hi]`, the
 * first one `[0, hi]`) exactly as scikit-learn's `calibration_curve(strategy='uniform')`, so the
 * value equals the one built from that curve. 0 for perfectly calibrated probabilities. `NaN` for
 * an empty input.
 *
 * @param labels per sample, in [0, 1].
 * @param probs predicted probability per sample.
 * @example
 * ```ts
 * expectedCalibrationError([0, 1, 1, 1], [0.2, 0.3, 0.9, 0.7], { bins: 2 }); // (|1 − 0.5| + |2 − 1.6|) / 4 = 0.225
 * ```
 */
export function expectedCalibrationError(
  labels: NumericInput,
  probs: NumericInput,
  options: CalibrationErrorOptions = {},
): number {
  return expectedCalibrationErrorDetailed(labels, probs, options).value;
}
