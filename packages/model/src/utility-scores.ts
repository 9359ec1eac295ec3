import type { ModelSpec } from '@thaw/spec';
import { type Ops, ShapeError } from '@thaw/tensor';

/** The utility weights `u_t` of eq 12, in spec task order. */
export function utilityWeights(spec: ModelSpec): number[] {
  return spec.tasks.map((task) => {
    const u = spec.utility[task.name];
    if (u === undefined) throw new TypeError(`utilityWeights: spec.utility.${task.name} is missing; give one weight per task`);
    return u;
  });
}

/**
 * The final ranking score of eq 12: `s = Σ_t u_t · ŷ_t` — the only implementation of eq 12 in
 * thaw (the tfjs model, the ONNX graph, the trainer's metrics and `thaw-serve`'s per-request
 * weights all call it).
 *
 * @param utility the spec (weights `spec.utility`, in task order) or the weights themselves.
 * @param probs `[N, T]` task probabilities (`sigmoid(logits)`, calibrated or not), tasks in spec order.
 * @returns `[N]` scores.
 * @throws ShapeError when `probs` is not `[N, T]`.
 * @example
 * ```ts
 * const scores = utilityScores(ops, spec, ops.sigmoid(logits));
 * const mine = utilityScores(referenceOps, [1, 0.5, 0], probs); // a request's own weights
 * ```
 */
export function utilityScores<T>(ops: Ops<T>, utility: ModelSpec | readonly number[], probs: T): T {
  const weights = isWeightList(utility) ? utility : utilityWeights(utility);
  const shape = ops.shape(probs);
  if (shape.length !== 2 || shape[1] !== weights.length) {
    throw new ShapeError(`utilityScores: probs must be [N, ${weights.length}] (one column per task; got [${shape.join(', ')}])`, {
      name: 'probs',
      actual: shape,
      expected: [null, weights.length],
    });
  }
  return ops.reshape(ops.matMul(probs, ops.constant(weights, [weights.length, 1])), [-1]);
}

function isWeightList(utility: ModelSpec | readonly number[]): utility is readonly number[] {
  return Array.isArray(utility);
}
