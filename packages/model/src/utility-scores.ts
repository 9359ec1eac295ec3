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
 * The final ranking score of eq 12: `s = Σ_t u_t · ŷ_t`, with `u` from `spec.utility`.
 *
 * @param probs `[N, T]` task probabilities (`sigmoid(logits)`), tasks in spec order.
 * @returns `[N]` scores.
 * @throws ShapeError when `probs` is not `[N, T]`.
 * @example
 * ```ts
 * const scores = utilityScores(ops, spec, ops.sigmoid(logits));
 * ```
 */
export function utilityScores<T>(ops: Ops<T>, spec: ModelSpec, probs: T): T {
  const weights = utilityWeights(spec);
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
