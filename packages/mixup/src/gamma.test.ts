import { createRng } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { sampleGamma, sampleLogGamma } from './gamma.js';

/** z-scores of the sample mean and variance against the Gamma(k, 1) moments (mean k, variance k). */
function gammaZScores(shape: number, n: number, seed: number) {
  const rng = createRng(seed);
  let sum = 0;
  let sumSq = 0;
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = sampleGamma(rng, shape);
  for (const x of xs) sum += x;
  const mean = sum / n;
  for (const x of xs) sumSq += (x - mean) ** 2;
  const variance = sumSq / (n - 1);
  // Var of the sample mean: k/n. Var of the sample variance ≈ (μ4 − σ⁴)/n with μ4 = 3k² + 6k.
  const zMean = (mean - shape) / Math.sqrt(shape / n);
  const zVar = (variance - shape) / Math.sqrt((2 * shape * shape + 6 * shape) / n);
  return { zMean, zVar, min: Math.min(...xs) };
}

describe('sampleGamma (Marsaglia–Tsang)', () => {
  it.each([0.2, 0.4, 1, 2, 5])('Gamma(%s, 1) has mean and variance k within 4.5 standard errors (n = 100k)', (shape) => {
    const { zMean, zVar, min } = gammaZScores(shape, 100_000, 11);
    expect(Math.abs(zMean)).toBeLessThan(4.5);
    expect(Math.abs(zVar)).toBeLessThan(4.5);
    expect(min).toBeGreaterThanOrEqual(0);
  });

  it('keeps tiny shapes in log space: E[log G] = ψ(0.01) ≈ −100.561, Var = ψ′(0.01) ≈ 10001.6', () => {
    const rng = createRng(5);
    const n = 40_000;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += sampleLogGamma(rng, 0.01);
    // ψ(0.01) = ψ(1.01) − 100, ψ(1.01) = −γ + ζ(2)·0.01 − ζ(3)·0.0001 + … ; ψ′(0.01) = 1/0.01² + ψ′(1.01).
    const digamma = -0.5772156649 + 1.644934 * 0.01 - 1.2020569 * 0.0001 - 100;
    const se = Math.sqrt(10001.6 / n);
    expect(Math.abs(sum / n - digamma)).toBeLessThan(4.5 * se);
  });

  it('is reproducible by seed', () => {
    const a = createRng(3);
    const b = createRng(3);
    for (let i = 0; i < 50; i++) expect(sampleGamma(a, 0.4)).toBe(sampleGamma(b, 0.4));
  });

  it('rejects a non-positive shape', () => {
    expect(() => sampleGamma(createRng(1), 0)).toThrow('sampleGamma: shape must be a finite number > 0 (got 0)');
    expect(() => sampleLogGamma(createRng(1), Number.NaN)).toThrow(/shape must be a finite number > 0 \(got NaN\)/);
  });
});
