import type { Rng } from '@thaw/tensor';
import { sampleBeta } from './beta.js';
import { randomDerangement } from './derangement.js';

/** Options that say how a mixup batch is drawn. */
export interface MixupOptions {
  /** Beta concentration α > 0: `λ ~ Beta(α, α)`. The spec default is 0.4. */
  readonly alpha: number;
  /** The seeded generator (`createRng` from `@thaw/tensor`); same state ⇒ same pairs and λ. */
  readonly rng: Rng;
  /** Draw one λ per sample instead of one per batch (default false, the paper's setting). */
  readonly perSample?: boolean;
}

/**
 * A drawn mixup: who mixes with whom and with which weight. Sample `i` becomes
 * `λ_i·x_i + (1 − λ_i)·x_partner[i]`, for the representation and the labels alike (eq 7).
 */
export interface MixupPlan {
  /** `partner[i] ≠ i`: a uniform derangement of the batch. */
  readonly partner: Int32Array;
  /** One λ for the batch (a number), or one per sample (`Float32Array` of length N). */
  readonly lambda: number | Float32Array;
}

/**
 * Draws a {@link MixupPlan} for a batch of `batchSize` samples: first the pairing (a uniform
 * derangement, {@link randomDerangement}), then `λ ~ Beta(α, α)` — one for the batch, or one per
 * sample with `perSample`. The draw order is fixed, so a seed reproduces the plan.
 *
 * @throws RangeError for `batchSize < 2` or `alpha ≤ 0`; TypeError when `rng` is not an `Rng`.
 * @example
 * ```ts
 * import { createRng } from '@thaw/tensor';
 * const plan = createMixupPlan(4, { alpha: 0.4, rng: createRng(1) });
 * plan.partner; // e.g. Int32Array [3, 0, 1, 2] — never partner[i] = i
 * plan.lambda;  // a number in [0, 1]
 * ```
 */
export function createMixupPlan(batchSize: number, options: MixupOptions): MixupPlan {
  return drawMixupPlan(batchSize, options, 'createMixupPlan');
}

/** {@link createMixupPlan} with the caller's name in error messages (internal). */
export function drawMixupPlan(batchSize: number, options: MixupOptions, fn: string): MixupPlan {
  const { alpha, rng, perSample = false } = options;
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha <= 0) {
    throw new RangeError(`${fn}: alpha must be a finite number > 0, the Beta(α, α) concentration (got ${String(alpha)})`);
  }
  if (typeof rng?.uniform !== 'function' || typeof rng.int !== 'function' || typeof rng.normal !== 'function') {
    throw new TypeError(`${fn}: rng must be a seeded Rng; create one with createRng(seed) from @thaw/tensor`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 2) {
    throw new RangeError(
      `${fn}: the batch size must be an integer ≥ 2 (got ${batchSize}); mixup pairs each sample with a different one — use batches of at least 2 samples or skip mixup for this batch`,
    );
  }
  const partner = randomDerangement(rng, batchSize);
  if (!perSample) return { partner, lambda: sampleBeta(rng, alpha) };
  const lambda = new Float32Array(batchSize);
  for (let i = 0; i < batchSize; i++) lambda[i] = sampleBeta(rng, alpha);
  return { partner, lambda };
}

/**
 * For each sample, the row that dominates its mix: `i` when `λ_i ≥ ½`, else `partner[i]`. Use it
 * to pick integer inputs (category or id indices, which cannot be interpolated) for input mixup,
 * e.g. `gatherRows(ids, dominantRows(plan))` from `@thaw/tensor`.
 *
 * @example
 * ```ts
 * dominantRows({ partner: Int32Array.from([1, 0]), lambda: 0.3 }); // Int32Array [1, 0]
 * ```
 */
export function dominantRows(plan: MixupPlan): Int32Array {
  const { partner, lambda } = plan;
  return partner.map((j, i) => ((typeof lambda === 'number' ? lambda : (lambda[i] as number)) >= 0.5 ? i : j));
}
