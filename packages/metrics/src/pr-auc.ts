import { forEachThresholdDescending, splitByClass } from './class-split.js';
import { definedOutcome, type MetricOutcome, undefinedOutcome } from './metric-outcome.js';
import { NeumaierSum } from './neumaier-sum.js';
import type { NumericInput } from './numeric-input.js';

/**
 * PR-AUC as scikit-learn's `average_precision_score`, with the reason when it is undefined:
 * `AP = Σ_k (R_k − R_{k−1}) · P_k` over the distinct score thresholds in decreasing order (a
 * step function: tied scores form one threshold, no interpolation).
 *
 * Undefined (`NaN`) for an empty input or a single class: with no positives recall is 0/0, and
 * with no negatives every ranking scores 1, which says nothing about the scores.
 *
 * Linear-time sorting: the scores of each class are radix-sorted on their float bits (at most
 * 6 passes), then one walk over the tie groups.
 *
 * @param labels 0/1 per sample.
 * @param scores any real score per sample (higher = more likely positive); NaN is rejected.
 * @throws RangeError for a label other than 0/1, a NaN score, or mismatched lengths.
 * @example
 * ```ts
 * prAucDetailed([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // { defined: true, value: 0.8333… }
 * ```
 */
export function prAucDetailed(labels: NumericInput, scores: NumericInput): MetricOutcome {
  const split = splitByClass('prAuc', labels, scores);
  const positives = split.positives.length;
  const total = positives + split.negatives.length;
  if (total === 0) return undefinedOutcome('prAuc', 'empty', 0);
  if (positives === 0) return undefinedOutcome('prAuc', 'no-positives', total);
  if (positives === total) return undefinedOutcome('prAuc', 'no-negatives', total);
  const sum = new NeumaierSum();
  let truePositives = 0;
  let falsePositives = 0;
  forEachThresholdDescending(split, (groupPositives, groupNegatives) => {
    truePositives += groupPositives;
    falsePositives += groupNegatives;
    if (groupPositives > 0) sum.add((groupPositives * truePositives) / (truePositives + falsePositives));
  });
  return definedOutcome(sum.value() / positives);
}

/**
 * Average precision (PR-AUC), exactly as scikit-learn's `average_precision_score` (matches it to
 * 1e-12 on the committed fixtures). `NaN` for an empty or single-class input; call
 * {@link prAucDetailed} to get the reason.
 *
 * @param labels 0/1 per sample.
 * @param scores any real score per sample (higher = more likely positive).
 * @returns a value in (0, 1]; the base rate for uninformative scores.
 * @example
 * ```ts
 * prAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.8333…
 * ```
 */
export function prAuc(labels: NumericInput, scores: NumericInput): number {
  return prAucDetailed(labels, scores).value;
}
