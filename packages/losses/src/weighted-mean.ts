import type { Ops } from '@thaw/tensor';
import { assertWeightsFit } from './shape-checks.js';

/**
 * Mean of element-wise losses, optionally weighted (internal): `mean(w ⊙ l)` over every element of
 * `l`, the PyTorch `reduction='mean'` convention with a `weight` tensor (the weights rescale
 * elements; they are not renormalised by their sum).
 */
export function weightedMean<T>(ops: Ops<T>, elements: T, weights: T | undefined, fn: string): T {
  if (weights === undefined) return ops.mean(elements);
  assertWeightsFit(ops, weights, ops.shape(elements), fn);
  return ops.mean(ops.mul(elements, weights));
}
