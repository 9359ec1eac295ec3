import type { Ops } from '@thaw/tensor';
import { type ColdWarmGroups, coldWarmGroups, labelClassGroups } from './cold-warm-groups.js';
import { meanGapPerTask } from './score-reg-mean.js';
import { rbfMmdPerTask } from './score-reg-rbf.js';
import { sumOverTasks } from './task-selection.js';

/** Options of {@link scoreRegLoss}. */
export interface ScoreRegOptions<T = unknown> {
  /**
   * `'mean'` (default, the paper's eq 6): squared gap between the warm and cold mean scores.
   * `'rbf'`: eq 5 with a Gaussian kernel, the squared MMD between the two score distributions.
   */
  readonly kernel?: 'mean' | 'rbf';
  /** Gaussian kernel width σ in score units (probabilities), for `kernel: 'rbf'`; default 0.1. */
  readonly bandwidth?: number;
  /** Task column indices to regularise; default all. The result is the sum over these tasks. */
  readonly tasks?: readonly number[];
  /**
   * `'none'` (default, the paper): one warm group and one cold group per task. `'label'`:
   * label-conditional — match warm and cold within each label class of each task (positives with
   * positives, negatives with negatives) and sum the two classes' terms, so the loss cannot be
   * lowered by shifting the cold base rate toward the warm one when fresh items really convert
   * less (or more). Needs `labels`.
   */
  readonly condition?: 'none' | 'label';
  /** `[N, T]` 0/1 labels, tasks in `probs` column order; required for `condition: 'label'`. */
  readonly labels?: T;
}

/**
 * ScoreReg, `L_MMD` of eq 6: per task, the squared difference between the mean predicted score of
 * the warm and of the cold samples in the batch, summed over tasks. With `kernel: 'rbf'`, the
 * kernel form of eq 5: per task the squared MMD, with `k(a, b) = exp(−(a−b)²/(2σ²))`, between
 * the warm and the cold scores. With `condition: 'label'` (not in the paper), the same within each
 * label class: `Σ_t Σ_{y∈{0,1}} (mean_{warm, y_t=y} p_t − mean_{cold, y_t=y} p_t)²`.
 *
 * Computed entirely in the graph (no host reads): group counts are sums, means divide by
 * `max(n, 1)`, and a 0/1 gate makes the loss **and its gradient exactly 0** when the batch has no
 * cold or no warm sample.
 *
 * @param ops the backend.
 * @param probs `[N, T]` predicted scores `ŷ = σ(logit)` in [0, 1].
 * @param isCold `[N]` (or `[N, 1]`) float, 1 = cold (fresh) item, 0 = warm; `FeatureBatch.isCold`.
 * @param options `kernel`, `bandwidth`, `tasks`, `condition` (+ `labels`).
 * @returns a scalar, in squared score units.
 * @throws ShapeError for wrong shapes; RangeError for a bad `bandwidth`, `kernel` or `tasks`.
 * @example
 * ```ts
 * import { referenceOps as r } from '@thaw/tensor';
 * const probs = r.constant([0.5, 0.7, 0.2], [3, 1]);
 * const isCold = r.constant([0, 0, 1], [3]);
 * scoreRegLoss(r, probs, isCold).data[0]; // (0.6 − 0.2)² = 0.16
 * ```
 */
export function scoreRegLoss<T>(ops: Ops<T>, probs: T, isCold: T, options: ScoreRegOptions<T> = {}): T {
  const fn = 'scoreRegLoss';
  const kernel = options.kernel ?? 'mean';
  const bandwidth = options.bandwidth ?? 0.1;
  if (kernel !== 'mean' && kernel !== 'rbf') {
    throw new RangeError(
      `${fn}: options.kernel must be 'mean' (eq 6) or 'rbf' (eq 5, Gaussian kernel) (got ${JSON.stringify(kernel)})`,
    );
  }
  if (typeof bandwidth !== 'number' || !Number.isFinite(bandwidth) || bandwidth <= 0) {
    throw new RangeError(`${fn}: options.bandwidth must be a finite number > 0, in score units (got ${String(bandwidth)})`);
  }
  const condition = options.condition ?? 'none';
  if (condition !== 'none' && condition !== 'label') {
    throw new RangeError(
      `${fn}: options.condition must be 'none' (eq 6) or 'label' (within each label class) (got ${JSON.stringify(condition)})`,
    );
  }
  const perGroups = (groups: ColdWarmGroups<T>) =>
    kernel === 'mean' ? meanGapPerTask(ops, probs, groups) : rbfMmdPerTask(ops, probs, groups, bandwidth);
  let perTask: T;
  if (condition === 'label') {
    if (options.labels === undefined) {
      throw new TypeError(`${fn}: options.condition 'label' needs options.labels, the [N, T] 0/1 labels of the batch`);
    }
    const labels = options.labels;
    perTask = ops.add(
      perGroups(labelClassGroups(ops, isCold, labels, probs, 0, fn)),
      perGroups(labelClassGroups(ops, isCold, labels, probs, 1, fn)),
    );
  } else perTask = perGroups(coldWarmGroups(ops, isCold, probs, fn));
  return sumOverTasks(ops, perTask, ops.shape(probs)[1] as number, options.tasks, fn);
}
