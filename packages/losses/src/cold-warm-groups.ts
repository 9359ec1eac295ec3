import { formatShape, type Ops, ShapeError } from '@thaw/tensor';
import { assertRank } from './shape-checks.js';

/**
 * The warm and cold groups of a batch as in-graph masks (internal to ScoreReg). Nothing is read
 * back to the host: counts are sums, denominators are `max(n, 1)`, and `gate` is
 * `n_w/max(n_w,1) · n_c/max(n_c,1)` — exactly 1 when both groups are non-empty and exactly 0
 * otherwise, so multiplying a loss by it zeroes the loss and its gradient.
 */
export interface ColdWarmGroups<T> {
  /** `[N, 1]`: 1 for a cold sample, else 0. */
  readonly cold: T;
  /** `[N, 1]`: 1 − cold. */
  readonly warm: T;
  /** Scalar `max(n_c, 1)`. */
  readonly coldDenominator: T;
  /** Scalar `max(n_w, 1)`. */
  readonly warmDenominator: T;
  /** Scalar: 1 when the batch has at least one warm and one cold sample, else 0. */
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
  const one = ops.scalar(1);
  const cold = ops.reshape(isCold, [-1, 1]);
  const warm = ops.sub(one, cold);
  const coldCount = ops.sum(cold);
  const warmCount = ops.sum(warm);
  const coldDenominator = ops.maximum(coldCount, one);
  const warmDenominator = ops.maximum(warmCount, one);
  const gate = ops.mul(ops.div(coldCount, coldDenominator), ops.div(warmCount, warmDenominator));
  return { cold, warm, coldDenominator, warmDenominator, gate };
}
