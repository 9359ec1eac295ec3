import type { Ops } from '@thaw/tensor';
import { multiTaskLoss, type TaskLossKind } from './multi-task-loss.js';
import { type ScoreRegOptions, scoreRegLoss } from './score-reg-loss.js';
import { assertNonNegative } from './shape-checks.js';

/** Inputs of {@link warmerObjective}. */
export interface WarmerObjectiveInputs<T> {
  /** `[N, T]` labels, tasks in spec order. */
  readonly labels: T;
  /** `[N, T]` logits `F(z̄)` on the original samples. */
  readonly logits: T;
  /** `[N, T]` mixed labels `y_mix` (eq 7); give with `mixedLogits`, or neither. */
  readonly mixedLabels?: T;
  /** `[N', T]` logits `F(z̄_mix)` on the mixed samples (eq 8). */
  readonly mixedLogits?: T;
  /** `[N, T]` scores `ŷ` for ScoreReg; default `σ(logits)`. */
  readonly probs?: T;
  /** `[N]` float, 1 = cold. Required when `lambda2 > 0`. */
  readonly isCold?: T;
  /** Weight λ1 of the mixup term (eq 9–11); default 0.2 (paper). */
  readonly lambda1?: number;
  /** Weight λ2 of ScoreReg (eq 10–11); default 0.1 (paper). */
  readonly lambda2?: number;
  /** Per-task loss kind (`'bce'` | `'mse'`), spec task order; default all `'bce'` (eq 11). */
  readonly taskLosses?: readonly TaskLossKind[];
  /**
   * ScoreReg options (`kernel`, `bandwidth`, `tasks`, `condition`); default the paper's mean form.
   * With `condition: 'label'` the objective's `labels` are used unless `labels` is given here.
   */
  readonly scoreRegOptions?: ScoreRegOptions<T>;
}

/**
 * The terms of {@link warmerObjective}, each a scalar tensor (log them, differentiate `total`).
 *
 * Only terms whose weight is > 0 enter `total`; a zero-weighted term is still reported when it is
 * cheap (see {@link warmerObjective}) but never sits on the gradient path.
 */
export interface WarmerObjectiveTerms<T> {
  /** `bce + λ1·mixup + λ2·scoreReg`, with a term added only when its λ > 0. */
  readonly total: T;
  /** `L(ŷ, y)`: the supervised loss on the original samples (BCE, or MSE for `'mse'` tasks). */
  readonly bce: T;
  /** `L(ŷ_mix, y_mix)`, unweighted, whatever λ1 is; 0 when no mixed samples are given. */
  readonly mixup: T;
  /**
   * `L_MMD` (eq 6), unweighted. With `λ2 = 0` it is only a diagnostic: computed for the `'mean'`
   * kernel when `isCold` is given (O(N·T)), **0** for the `'rbf'` kernel (its N×N×T graph is not
   * worth a log line) and whenever `isCold` is absent.
   */
  readonly scoreReg: T;
}

/**
 * The Warmer-for-Less training objective, eq 10/11:
 * `L_final = L(ŷ, y) + λ1·L(ŷ_mix, y_mix) + λ2·L_MMD(ŷ)`.
 *
 * `L` is {@link multiTaskLoss} (BCE from logits per task, the paper's eq 11; `'mse'` tasks use
 * `(σ(logit) − y)²`), `L_MMD` is {@link scoreRegLoss} on `probs` (default `σ(logits)`). Training on
 * the original **and** the mixed samples follows §3.4. Returns every term for logging.
 *
 * **Zero weights.** A term enters `total` only when its λ > 0, so a baseline step (λ1 = λ2 = 0)
 * differentiates `L(ŷ, y)` alone even when it passes `isCold` and mixed samples: no
 * `0·L_MMD` (with `kernel: 'rbf'` an N×N×T graph) is backpropagated. Zero-weighted terms are still
 * returned for logging when cheap — see {@link WarmerObjectiveTerms}.
 *
 * **Task scaling.** `L(ŷ, y)` and `L(ŷ_mix, y_mix)` are means over all `N·T` entries, while
 * `L_MMD` is a **sum** over the `T` tasks (eq 6 as {@link scoreRegLoss} computes it). So λ2's
 * effective weight relative to the supervised loss grows with the number of tasks: with `T`
 * similar tasks, λ2 acts like `T·λ2` on a per-task mean. The paper does not fix this convention
 * (its λ2 = 0.1 comes with its own task set); divide λ2 by `T` to keep the balance of a one-task
 * model.
 *
 * @throws TypeError when only one of `mixedLabels`/`mixedLogits` is given, or `isCold` is missing
 * while `lambda2 > 0`; RangeError for a negative or non-finite λ.
 * @example
 * ```ts
 * import { referenceOps as r } from '@thaw/tensor';
 * const terms = warmerObjective(r, {
 *   labels: r.constant([1, 0], [2, 1]),
 *   logits: r.constant([0, 0], [2, 1]),
 *   isCold: r.constant([0, 1], [2]),
 * });
 * terms.total.data[0]; // ln 2 + 0.1·(0.5 − 0.5)² = 0.6931
 * ```
 */
export function warmerObjective<T>(ops: Ops<T>, inputs: WarmerObjectiveInputs<T>): WarmerObjectiveTerms<T> {
  const fn = 'warmerObjective';
  const lambda1 = inputs.lambda1 ?? 0.2;
  const lambda2 = inputs.lambda2 ?? 0.1;
  assertNonNegative(lambda1, fn, 'lambda1');
  assertNonNegative(lambda2, fn, 'lambda2');
  const { mixedLabels, mixedLogits, isCold, taskLosses } = inputs;
  if ((mixedLabels === undefined) !== (mixedLogits === undefined)) {
    const given = mixedLabels === undefined ? 'mixedLogits' : 'mixedLabels';
    throw new TypeError(`${fn}: ${given} was given without its partner; pass both mixedLabels and mixedLogits, or neither`);
  }
  if (isCold === undefined && lambda2 > 0) {
    throw new TypeError(
      `${fn}: isCold is required when lambda2 > 0 (got lambda2 = ${lambda2}); pass FeatureBatch.isCold or set lambda2 to 0`,
    );
  }
  const options = taskLosses === undefined ? {} : { taskLosses };
  const bce = multiTaskLoss(ops, inputs.labels, inputs.logits, options);
  const mixup =
    mixedLabels !== undefined && mixedLogits !== undefined
      ? multiTaskLoss(ops, mixedLabels, mixedLogits, options)
      : ops.scalar(0);
  const kernel = inputs.scoreRegOptions?.kernel ?? 'mean';
  const scoreReg =
    isCold !== undefined && (lambda2 > 0 || kernel === 'mean')
      ? scoreRegLoss(ops, inputs.probs ?? ops.sigmoid(inputs.logits), isCold, {
          ...inputs.scoreRegOptions,
          labels: inputs.scoreRegOptions?.labels ?? inputs.labels,
        })
      : ops.scalar(0);
  let total = bce;
  if (lambda1 > 0 && mixedLogits !== undefined) total = ops.add(total, ops.mul(mixup, ops.scalar(lambda1)));
  if (lambda2 > 0) total = ops.add(total, ops.mul(scoreReg, ops.scalar(lambda2)));
  return { total, bce, mixup, scoreReg };
}
