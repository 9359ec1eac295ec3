import type { Rng } from '@thaw/tensor';
import { sampleLogGamma } from './gamma.js';

/**
 * A Beta(`a`, `b`) deviate in [0, 1], seeded by `rng`: `X/(X + Y)` with `X ~ Gamma(a)`,
 * `Y ~ Gamma(b)` (Marsaglia–Tsang, see {@link sampleLogGamma}), computed as
 * `1 / (1 + exp(log Y − log X))` so that small shapes (α = 0.2, where both gammas can underflow)
 * stay well defined. Mixup draws its interpolation weight `λ ~ Beta(α, α)` with it (eq 7): mean ½,
 * variance `1 / (4(2α + 1))`.
 *
 * Draw order: `X`, then `Y` — the same rng state gives the same λ.
 *
 * @param rng a seeded generator (`createRng` from `@thaw/tensor`).
 * @param a first shape, > 0.
 * @param b second shape, > 0; default `a` (the symmetric Beta(α, α) of mixup).
 * @throws RangeError when a shape is not a finite number > 0.
 * @example
 * ```ts
 * import { createRng } from '@thaw/tensor';
 * const rng = createRng(42);
 * const lambda = sampleBeta(rng, 0.4); // λ ~ Beta(0.4, 0.4), the paper's mixup setting
 * ```
 */
export function sampleBeta(rng: Rng, a: number, b: number = a): number {
  for (const [name, value] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new RangeError(`sampleBeta: ${name} must be a finite number > 0 (got ${String(value)})`);
    }
  }
  const logX = sampleLogGamma(rng, a);
  const logY = sampleLogGamma(rng, b);
  return 1 / (1 + Math.exp(logY - logX));
}
