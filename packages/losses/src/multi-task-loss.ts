import type { Ops } from '@thaw/tensor';
import { binaryCrossEntropyElements, type LossWeightOptions } from './binary-cross-entropy.js';
import { assertRank, assertSameShape } from './shape-checks.js';
import { weightedMean } from './weighted-mean.js';

/** The per-task loss of a spec task (`tasks[i].loss` in `@thaw/spec`). */
export type TaskLossKind = 'bce' | 'mse';

/** Options of {@link multiTaskLoss}. */
export interface MultiTaskLossOptions<T> extends LossWeightOptions<T> {
  /**
   * One kind per task column, in spec task order; default all `'bce'`. A `'mse'` task is scored by
   * `(σ(logit) − label)²`, so every task keeps logits as model outputs and `σ(logit)` as its score.
   */
  readonly taskLosses?: readonly TaskLossKind[];
}

/**
 * The supervised loss `L(ŷ, y)` of eq 9–11 for a multi-task model: per element, BCE from logits
 * for `'bce'` tasks and `(σ(logit) − y)²` for `'mse'` tasks, then the mean over all `N·T`
 * elements (weighted by `options.weights` when given).
 *
 * With every task `'bce'` (the paper's setting, eq 11) it equals
 * {@link binaryCrossEntropyWithLogits}. Mixed kinds are combined with constant 0/1 task masks, so
 * the whole loss stays one graph with no host reads.
 *
 * @param ops the backend.
 * @param labels `[N, T]` targets, 0/1 or soft (mixup).
 * @param logits `[N, T]` pre-sigmoid model outputs.
 * @param options `taskLosses` (length `T`), `weights`.
 * @returns a scalar.
 * @throws ShapeError for mismatched shapes; RangeError when `taskLosses` has the wrong length or
 * an unknown kind.
 * @example
 * ```ts
 * import { referenceOps as r } from '@thaw/tensor';
 * const y = r.constant([1, 0.5], [1, 2]);
 * const x = r.constant([0, 0], [1, 2]);
 * multiTaskLoss(r, y, x, { taskLosses: ['bce', 'mse'] }).data[0]; // (ln 2 + 0) / 2
 * ```
 */
export function multiTaskLoss<T>(ops: Ops<T>, labels: T, logits: T, options: MultiTaskLossOptions<T> = {}): T {
  const fn = 'multiTaskLoss';
  const [, tasks] = assertRank(ops, labels, 2, fn, 'labels', '[N, T] (samples × tasks)');
  assertSameShape(ops, labels, logits, fn, 'labels', 'logits');
  const kinds = options.taskLosses ?? [];
  if (options.taskLosses !== undefined && kinds.length !== tasks) {
    throw new RangeError(`${fn}: options.taskLosses must list one loss per task column (${tasks}) (got ${kinds.length})`);
  }
  kinds.forEach((kind, i) => {
    if (kind !== 'bce' && kind !== 'mse') {
      throw new RangeError(`${fn}: options.taskLosses[${i}] must be 'bce' or 'mse' (got ${JSON.stringify(kind)})`);
    }
  });
  const mseCount = kinds.filter((k) => k === 'mse').length;
  const squared = () => ops.square(ops.sub(ops.sigmoid(logits), labels));
  let elements: T;
  if (mseCount === 0) elements = binaryCrossEntropyElements(ops, labels, logits);
  else if (mseCount === tasks) elements = squared();
  else {
    const mseMask = kinds.map((k) => (k === 'mse' ? 1 : 0));
    const bceMask = mseMask.map((m) => 1 - m);
    elements = ops.add(
      ops.mul(binaryCrossEntropyElements(ops, labels, logits), ops.constant(bceMask, [tasks as number])),
      ops.mul(squared(), ops.constant(mseMask, [tasks as number])),
    );
  }
  return weightedMean(ops, elements, options.weights, fn);
}
