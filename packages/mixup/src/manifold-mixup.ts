import { formatShape, type Ops, ShapeError } from '@thaw/tensor';
import { rowMixer } from './mix-rows.js';
import { drawMixupPlan, type MixupOptions } from './mixup-plan.js';

/** What {@link manifoldMixup} returns. */
export interface ManifoldMixupResult<T> {
  /** `λ·z_i + (1 − λ)·z_partner[i]`, the shape of `z`. */
  readonly zMixed: T;
  /** `λ·y_i + (1 − λ)·y_partner[i]`, the shape of `y` — the same λ and partner as `zMixed`. */
  readonly yMixed: T;
  /** The λ drawn from Beta(α, α): a number, or a `Float32Array` per sample. */
  readonly lambda: number | Float32Array;
  /** `partner[i] ≠ i`, a uniform derangement of the batch. */
  readonly partner: Int32Array;
}

/**
 * Manifold mixup, eq 7: pairs every sample `i` of the batch with a random `j ≠ i` (a uniform
 * derangement), draws `λ ~ Beta(α, α)` (per batch, or per sample with `perSample`), and mixes the
 * representation and the labels with the same λ:
 * `z_mix = λ·z_i + (1 − λ)·z_j`, `y_mix = λ·y_i + (1 − λ)·y_j`.
 *
 * Apply it at any layer (the paper mixes `z̄ = [z; x_nh]`, the input of the prediction module,
 * eq 8), then train on the original and the mixed samples (eq 9–11, `warmerObjective` in
 * `@thaw/losses`). The mixing is gather-based (see {@link mixRows}), so it is differentiable on
 * tfjs. Same rng state ⇒ same pairs and λ.
 *
 * @param ops the backend.
 * @param z `[N, d]` representation (any rank ≥ 1 with the batch on axis 0); N must be known.
 * @param y `[N, T]` labels (0/1 or soft).
 * @param options `alpha`, `rng`, `perSample`.
 * @throws RangeError for a batch of fewer than 2 samples or `alpha ≤ 0`; ShapeError when `y`'s
 * rows differ from `z`'s or the batch extent is unknown.
 * @example
 * ```ts
 * import { createRng, referenceOps as r } from '@thaw/tensor';
 * const z = r.constant([1, 2, 3, 4, 5, 6], [3, 2]);
 * const y = r.constant([1, 0, 0], [3, 1]);
 * const { zMixed, yMixed, lambda, partner } = manifoldMixup(r, z, y, { alpha: 0.4, rng: createRng(7) });
 * ```
 */
export function manifoldMixup<T>(ops: Ops<T>, z: T, y: T, options: MixupOptions): ManifoldMixupResult<T> {
  const fn = 'manifoldMixup';
  const zShape = ops.shape(z);
  const n = zShape[0];
  if (n === undefined || n < 0) {
    throw new ShapeError(
      `${fn}: z must be [N, …] with a known batch size N (got shape ${formatShape(zShape)}); mixup runs in training, on a backend with concrete shapes`,
      { name: 'z', actual: zShape, expected: [null, ...zShape.slice(1)] },
    );
  }
  const plan = drawMixupPlan(n, options, fn);
  const mix = rowMixer(ops, plan, fn);
  return { zMixed: mix(z, 'z'), yMixed: mix(y, 'y'), lambda: plan.lambda, partner: plan.partner };
}
