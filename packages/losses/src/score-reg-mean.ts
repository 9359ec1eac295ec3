import type { Ops } from '@thaw/tensor';
import type { ColdWarmGroups } from './cold-warm-groups.js';

/**
 * Eq 6 per task (internal): `(mean_{i∈warm} p_it − mean_{i∈cold} p_it)²`, shape `[T]`, times the
 * groups' gate (0 when a group is empty). This is MMD² with the linear kernel `k(a, b) = a·b`.
 */
export function meanGapPerTask<T>(ops: Ops<T>, probs: T, groups: ColdWarmGroups<T>): T {
  const warmMean = ops.div(ops.sum(ops.mul(probs, groups.warm), 0), groups.warmDenominator);
  const coldMean = ops.div(ops.sum(ops.mul(probs, groups.cold), 0), groups.coldDenominator);
  return ops.mul(ops.square(ops.sub(warmMean, coldMean)), groups.gate);
}
