import { forEachThresholdDescending, splitByClass } from './class-split.js';
import { definedOutcome, type MetricOutcome, undefinedOutcome } from './metric-outcome.js';
import type { NumericInput } from './numeric-input.js';

/**
 * ROC-AUC with the reason when it is undefined: the Mann–Whitney probability that a random
 * positive scores above a random negative, a tie counting ½ — equal to scikit-learn's
 * `roc_auc_score` (trapezoidal area under the ROC curve).
 *
 * The pair counts are integers, summed exactly, and divided once, so the result is the correctly
 * rounded ratio. Undefined (`NaN`) for an empty or single-class input. O(n) (radix sort).
 *
 * @throws RangeError for a label other than 0/1, a NaN score, or mismatched lengths.
 * @example
 * ```ts
 * rocAucDetailed([1, 1, 1], [0.2, 0.3, 0.4]); // { defined: false, reason: 'no-negatives', value: NaN, … }
 * ```
 */
export function rocAucDetailed(labels: NumericInput, scores: NumericInput): MetricOutcome {
  const split = splitByClass('rocAuc', labels, scores);
  const positives = split.positives.length;
  const negatives = split.negatives.length;
  if (positives + negatives === 0) return undefinedOutcome('rocAuc', 'empty', 0);
  if (positives === 0) return undefinedOutcome('rocAuc', 'no-positives', negatives);
  if (negatives === 0) return undefinedOutcome('rocAuc', 'no-negatives', positives);
  // Twice the Mann–Whitney U statistic, an integer (exact below 2^53 ≈ 9e15 pairs).
  let twiceConcordant = 0;
  let positivesAbove = 0;
  forEachThresholdDescending(split, (groupPositives, groupNegatives) => {
    twiceConcordant += groupNegatives * (2 * positivesAbove + groupPositives);
    positivesAbove += groupPositives;
  });
  return definedOutcome(twiceConcordant / (2 * positives * negatives));
}

/**
 * ROC-AUC (area under the ROC curve): the probability that a random positive outranks a random
 * negative, ties counting ½. Equals scikit-learn's `roc_auc_score` to 1e-12 on the committed
 * fixtures. `NaN` for an empty or single-class input ({@link rocAucDetailed} gives the reason).
 *
 * @param labels 0/1 per sample.
 * @param scores any real score per sample.
 * @returns a value in [0, 1]; 0.5 for uninformative scores.
 * @example
 * ```ts
 * rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75
 * ```
 */
export function rocAuc(labels: NumericInput, scores: NumericInput): number {
  return rocAucDetailed(labels, scores).value;
}
