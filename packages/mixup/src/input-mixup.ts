import { formatShape, type Ops, ShapeError } from '@thaw/tensor';
import { rowMixer } from './mix-rows.js';
import { dominantRows, drawMixupPlan, type MixupOptions } from './mixup-plan.js';

/** What {@link inputMixup} returns. */
export interface InputMixupResult<T> {
  /** Every input mixed row-wise with the same pairs and λ, under the same names. */
  readonly inputsMixed: Readonly<Record<string, T>>;
  /** The labels mixed with the same pairs and λ. */
  readonly yMixed: T;
  readonly lambda: number | Float32Array;
  readonly partner: Int32Array;
  /** Per sample, the row that dominates its mix (`i` if `λ_i ≥ ½`, else its partner). */
  readonly dominant: Int32Array;
}

/**
 * Input mixup (Zhang et al. 2018), for comparison with manifold mixup: mixes the raw model inputs
 * — a record of float tensors `[N, …]`, e.g. the dense features of a `FeatureBatch` — and the
 * labels, all with one pairing and one λ (eq 7 applied at the input).
 *
 * Integer inputs (category and id indices) cannot be interpolated, and are refused. Two
 * documented ways to include them:
 * - mix their **embeddings**: look the rows up first and pass the `[N, dim]` embeddings (mixing
 *   the whole embedded input `x0 = [x_h; x_nh]` with {@link manifoldMixup} is what thaw's model
 *   does for `coldStart.mixup.layer = 'input'`);
 * - or take each mixed sample's ids from its dominant partner on the host:
 *   `gatherRows(ids, result.dominant)` (`@thaw/tensor`).
 *
 * @param ops the backend.
 * @param inputs float tensors with the batch on axis 0 (at least one).
 * @param y `[N, T]` labels.
 * @param options `alpha`, `rng`, `perSample`.
 * @throws TypeError for an empty record or an int32 input; ShapeError for mismatched batch sizes;
 * RangeError for a batch of fewer than 2 samples or `alpha ≤ 0`.
 * @example
 * ```ts
 * import { createRng, referenceOps as r } from '@thaw/tensor';
 * const inputs = { counts: r.constant([1, 2, 3, 4], [2, 2]), content: r.constant([0, 1], [2, 1]) };
 * const out = inputMixup(r, inputs, r.constant([1, 0], [2, 1]), { alpha: 1, rng: createRng(0) });
 * out.inputsMixed.counts; // λ·counts + (1 − λ)·counts[partner]
 * ```
 */
export function inputMixup<T>(
  ops: Ops<T>,
  inputs: Readonly<Record<string, T>>,
  y: T,
  options: MixupOptions,
): InputMixupResult<T> {
  const fn = 'inputMixup';
  const names = Object.keys(inputs);
  const first = names[0];
  if (first === undefined) throw new TypeError(`${fn}: inputs must hold at least one tensor (got an empty record)`);
  for (const name of names) {
    if ((inputs[name] as { dtype?: unknown }).dtype === 'int32') {
      throw new TypeError(
        `${fn}: inputs.${name} is an int32 tensor (category or id indices), which cannot be interpolated; pass its embedding rows instead, or pick ids with gatherRows(ids, result.dominant)`,
      );
    }
  }
  const shape = ops.shape(inputs[first] as T);
  const n = shape[0];
  if (n === undefined || n < 0) {
    throw new ShapeError(`${fn}: inputs.${first} must be [N, …] with a known batch size N (got shape ${formatShape(shape)})`, {
      name: first,
      actual: shape,
      expected: [null, ...shape.slice(1)],
    });
  }
  const plan = drawMixupPlan(n, options, fn);
  const mix = rowMixer(ops, plan, fn);
  const inputsMixed: Record<string, T> = {};
  for (const name of names) inputsMixed[name] = mix(inputs[name] as T, `inputs.${name}`);
  return { inputsMixed, yMixed: mix(y, 'y'), lambda: plan.lambda, partner: plan.partner, dominant: dominantRows(plan) };
}
