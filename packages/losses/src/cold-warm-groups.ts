import { formatShape, type Ops, ShapeError } from '@thaw/tensor';
import { assertRank } from './shape-checks.js';

/**
 * The warm and cold groups of a batch as in-graph masks (internal to ScoreReg). Nothing is read
 * back to the host: counts are sums, denominators are `max(n, 1)`, and `gate` is
 * `n_w/max(n_w,1) · n_c/max(n_c,1)` — exactly 1 when both groups are non-empty and exactly 0
 * otherwise, so multiplying a loss by it zeroes the loss and its gradient.
 */
export interface ColdWarmGroups<T> {
  /** `[N, 1]` (or `[N, T]` per task, within a label class): 1 for a cold sample, else 0. */
  readonly cold: T;
  /** `[N, 1]` (or `[N, T]`): the warm samples. */
  readonly warm: T;
  /** `max(n_c, 1)`: a scalar, or `[T]` per task. */
  readonly coldDenominator: T;
  /** `max(n_w, 1)`: a scalar, or `[T]` per task. */
  readonly warmDenominator: T;
  /** 1 when the group has at least one warm and one cold sample, else 0 (scalar or `[T]`). */
  readonly gate: T;
}

/** Builds {@link ColdWarmGroups} from `isCold` (`[N]` or `[N, 1]`, 0/1) for scores `[N, T]`. */
export function coldWarmGroups<T>(ops: Ops<T>, isCold: T, probs: T, fn: string): ColdWarmGroups<T> {
  const [rows] = assertRank(ops, probs, 2, fn, 'probs', '[N, T] (samples × tasks)');
  const shape = ops.shape(isCold);
  const n = shape[0] as number;
  const ok = (shape.length === 1 || (shape.length === 2 && shape[1] === 1)) && (n === rows || n === -1 || rows === -1);
  if (!ok) {
    throw new ShapeError(`${fn}: isCold must be [N] = [${rows}] (1 = cold, 0 = warm) (got ${formatShape(shape)})`, {
      name: 'isCold',
      actual: shape,
      expected: [rows as number],
    });
  }
  const cold = ops.reshape(isCold, [-1, 1]);
  return groupsOf(ops, cold, ops.sub(ops.scalar(1), cold), undefined);
}

/** Counts, denominators and gate of two masks, over all rows (`axis` undefined) or per column (`axis` 0). */
function groupsOf<T>(ops: Ops<T>, cold: T, warm: T, axis: 0 | undefined): ColdWarmGroups<T> {
  const one = ops.scalar(1);
  const coldCount = axis === undefined ? ops.sum(cold) : ops.sum(cold, 0);
  const warmCount = axis === undefined ? ops.sum(warm) : ops.sum(warm, 0);
  const coldDenominator = ops.maximum(coldCount, one);
  const warmDenominator = ops.maximum(warmCount, one);
  const gate = ops.mul(ops.div(coldCount, coldDenominator), ops.div(warmCount, warmDenominator));
  return { cold, warm, coldDenominator, warmDenominator, gate };
}

/**
 * The warm and cold groups **within one label class** of each task (label-conditional ScoreReg):
 * `[N, T]` masks `cold_i · [y_it = y]` and `warm_i · [y_it = y]`, per-task counts, and a `[T]`
 * gate that is 1 where the class holds at least one warm and one cold sample of that task.
 * Labels are 0/1 (a soft label weighs the sample into both classes).
 *
 * @throws ShapeError when `labels` is not the shape of `probs`.
 */
export function labelClassGroups<T>(ops: Ops<T>, isCold: T, labels: T, probs: T, label: 0 | 1, fn: string): ColdWarmGroups<T> {
  const base = coldWarmGroups(ops, isCold, probs, fn);
  const probsShape = ops.shape(probs);
  const labelsShape = ops.shape(labels);
  const fits = labelsShape.length === 2 && labelsShape.every((d, i) => d === probsShape[i] || d === -1 || probsShape[i] === -1);
  if (!fits) {
    throw new ShapeError(
      `${fn}: labels must be [N, T] = ${formatShape(probsShape)} like probs, one 0/1 label per sample and task (got ${formatShape(labelsShape)})`,
      { name: 'labels', actual: labelsShape, expected: probsShape },
    );
  }
  const inClass = label === 1 ? labels : ops.sub(ops.scalar(1), labels);
  return groupsOf(ops, ops.mul(base.cold, inClass), ops.mul(base.warm, inClass), 0);
}
