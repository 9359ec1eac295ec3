import type { Rng } from '@thaw/tensor';

/** A Poisson(λ) draw: Knuth's product method for λ ≤ 30, a rounded normal approximation above. */
export function poisson(rng: Rng, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.normal()));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng.uniform();
  while (p > limit) {
    k++;
    p *= rng.uniform();
  }
  return k;
}

/** A standard Gumbel draw, −log(−log U): argmax(score + Gumbel) samples softmax(score). */
export function gumbel(rng: Rng): number {
  let u = rng.uniform();
  while (u === 0) u = rng.uniform();
  return -Math.log(-Math.log(u));
}

/** The logistic function σ(x) = 1 / (1 + e^−x). */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Index drawn with probability proportional to its weight, from the cumulative weights. */
export function drawCumulative(rng: Rng, cumulative: Float64Array): number {
  const total = cumulative[cumulative.length - 1] as number;
  const target = rng.uniform() * total;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] as number) > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
