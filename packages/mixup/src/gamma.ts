import type { Rng } from '@thaw/tensor';

function checkShape(shape: number, fn: string): void {
  if (typeof shape !== 'number' || !Number.isFinite(shape) || shape <= 0) {
    throw new RangeError(`${fn}: shape must be a finite number > 0 (got ${String(shape)})`);
  }
}

/** A uniform deviate in (0, 1]: never 0, so its logarithm is finite. */
const openUniform = (rng: Rng) => 1 - rng.uniform();

/** Marsaglia–Tsang (2000) for shape `a ≥ 1`: returns `log G`, `G ~ Gamma(a, 1)`. */
function logGammaAtLeastOne(rng: Rng, a: number): number {
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.normal();
    const t = 1 + c * x;
    if (t <= 0) continue;
    const v = t * t * t;
    const u = openUniform(rng);
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return Math.log(d) + Math.log(v);
  }
}

/**
 * The natural logarithm of a Gamma(`shape`, 1) deviate, seeded by `rng`.
 *
 * Marsaglia–Tsang's squeeze/rejection method for `shape ≥ 1`; for `shape < 1` the boost
 * `G(a) = G(a + 1)·U^(1/a)`, applied in log space (`log G(a+1) + log(U)/a`) so that tiny shapes,
 * whose deviates underflow to 0 in linear space, keep their information. {@link sampleBeta} uses
 * it for Beta(α, α) with small α.
 *
 * @param rng a seeded generator (`createRng` from `@thaw/tensor`); same state ⇒ same value.
 * @param shape the Gamma shape `a > 0` (scale 1).
 * @throws RangeError when `shape` is not a finite number > 0.
 * @example
 * ```ts
 * import { createRng } from '@thaw/tensor';
 * Math.exp(sampleLogGamma(createRng(1), 0.2)); // a Gamma(0.2, 1) deviate
 * ```
 */
export function sampleLogGamma(rng: Rng, shape: number): number {
  checkShape(shape, 'sampleLogGamma');
  if (shape >= 1) return logGammaAtLeastOne(rng, shape);
  return logGammaAtLeastOne(rng, shape + 1) + Math.log(openUniform(rng)) / shape;
}

/**
 * A Gamma(`shape`, 1) deviate (mean `shape`, variance `shape`), seeded by `rng`; see
 * {@link sampleLogGamma} for the method (Marsaglia–Tsang, with the `U^(1/a)` boost for `a < 1`).
 *
 * @throws RangeError when `shape` is not a finite number > 0.
 * @example
 * ```ts
 * import { createRng } from '@thaw/tensor';
 * sampleGamma(createRng(7), 2); // > 0, mean 2 over many draws
 * ```
 */
export function sampleGamma(rng: Rng, shape: number): number {
  checkShape(shape, 'sampleGamma');
  return Math.exp(sampleLogGamma(rng, shape));
}
