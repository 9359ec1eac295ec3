/**
 * Why a metric has no value: `'empty'` (no samples), `'no-positives'` or `'no-negatives'` (a
 * single-class input, for which a ranking metric such as PR-AUC or ROC-AUC is undefined).
 */
export type UndefinedReason = 'empty' | 'no-positives' | 'no-negatives';

/**
 * The result of a `*Detailed` metric (`prAucDetailed`, `rocAucDetailed`, `logLossDetailed`,
 * `expectedCalibrationErrorDetailed`): either a defined value, or `NaN` with the reason.
 * The plain functions (`prAuc`, …) return just `value`.
 *
 * @example
 * ```ts
 * const outcome = prAucDetailed([0, 0, 0], [0.1, 0.5, 0.9]);
 * if (!outcome.defined) console.log(outcome.reason, outcome.message); // 'no-positives', 'prAuc: …'
 * ```
 */
export type MetricOutcome =
  | { readonly defined: true; readonly value: number }
  | { readonly defined: false; readonly value: number; readonly reason: UndefinedReason; readonly message: string };

/** A defined {@link MetricOutcome}. */
export function definedOutcome(value: number): MetricOutcome {
  return { defined: true, value };
}

/** An undefined {@link MetricOutcome}: `value` is `NaN`, with the reason and a sentence saying why. */
export function undefinedOutcome(fn: string, reason: UndefinedReason, samples: number): MetricOutcome {
  const message =
    reason === 'empty'
      ? `${fn}: no samples, so the metric is undefined`
      : `${fn}: all ${samples} labels are ${reason === 'no-positives' ? '0' : '1'}, so the metric is undefined for a single class`;
  return { defined: false, value: Number.NaN, reason, message };
}
