import { definedOutcome, type MetricOutcome, undefinedOutcome } from './metric-outcome.js';
import { NeumaierSum } from './neumaier-sum.js';
import { assertSameLength, type NumericInput, readVector } from './numeric-input.js';

/** Options of {@link logLoss}. */
export interface LogLossOptions {
  /** Probabilities are clipped to `[eps, 1 − eps]` before the log (default `1e-15`, scikit-learn's classic value). */
  readonly eps?: number;
}

/**
 * Mean binary cross-entropy with the reason when it is undefined (only for an empty input: a
 * single class is fine, as in scikit-learn with `labels=[0, 1]`).
 *
 * @throws RangeError for a label outside [0, 1], a probability outside [0, 1] or NaN, a bad `eps`
 * or mismatched lengths.
 * @example
 * ```ts
 * logLossDetailed([], []); // { defined: false, reason: 'empty', value: NaN, … }
 * ```
 */
export function logLossDetailed(labels: NumericInput, probs: NumericInput, options: LogLossOptions = {}): MetricOutcome {
  const eps = options.eps ?? 1e-15;
  if (!(eps >= 0 && eps < 0.5)) throw new RangeError(`logLoss: options.eps must be in [0, 0.5) (got ${eps})`);
  const y = readVector(labels, 'logLoss: labels');
  const p = readVector(probs, 'logLoss: probs');
  assertSameLength('logLoss', y, 'labels', p, 'probs');
  if (y.length === 0) return undefinedOutcome('logLoss', 'empty', 0);
  const sum = new NeumaierSum();
  for (let i = 0; i < y.length; i++) {
    const label = y[i] as number;
    const prob = p[i] as number;
    if (!(label >= 0 && label <= 1)) throw new RangeError(`logLoss: labels[${i}] must be in [0, 1] (got ${label})`);
    if (!(prob >= 0 && prob <= 1)) {
      throw new RangeError(`logLoss: probs[${i}] must be a probability in [0, 1] (got ${prob}); apply a sigmoid to logits first`);
    }
    const clipped = Math.min(Math.max(prob, eps), 1 - eps);
    if (label > 0) sum.add(-label * Math.log(clipped));
    if (label < 1) sum.add(-(1 - label) * Math.log(1 - clipped));
  }
  return definedOutcome(sum.value() / y.length);
}

/**
 * Mean binary cross-entropy (log loss) of predicted probabilities, as scikit-learn's `log_loss`
 * (matches it to 1e-12 on the committed fixtures):
 * `−(1/n) Σ_i [y_i log p_i + (1 − y_i) log(1 − p_i)]`, `p` clipped to `[eps, 1 − eps]`, in nats.
 * Soft labels in [0, 1] are accepted. `NaN` for an empty input.
 *
 * @param labels per sample, in [0, 1] (usually 0/1).
 * @param probs predicted probability per sample (not logits).
 * @example
 * ```ts
 * logLoss([1, 0], [0.8, 0.4]); // (−ln 0.8 − ln 0.6) / 2 ≈ 0.367
 * ```
 */
export function logLoss(labels: NumericInput, probs: NumericInput, options: LogLossOptions = {}): number {
  return logLossDetailed(labels, probs, options).value;
}
