import { createRng } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { sampleBeta } from './beta.js';

function draws(alpha: number, beta: number, n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = sampleBeta(rng, alpha, beta);
  return xs;
}

function moments(xs: Float64Array) {
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / xs.length;
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  return { mean, variance: ss / (xs.length - 1) };
}

/** Kolmogorov–Smirnov statistic of the sample against a CDF. */
function ksStatistic(xs: Float64Array, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(xs).sort();
  let d = 0;
  sorted.forEach((x, i) => {
    const f = cdf(x);
    d = Math.max(d, Math.abs(f - i / sorted.length), Math.abs((i + 1) / sorted.length - f));
  });
  return d;
}

describe('sampleBeta', () => {
  it.each([0.2, 0.4, 1, 2])('Beta(%s, %s) has mean ½ and variance 1/(4(2α+1)) within 4.5 standard errors (n = 200k)', (alpha) => {
    const n = 200_000;
    const xs = draws(alpha, alpha, n, 2024);
    const { mean, variance } = moments(xs);
    const sigma2 = 1 / (4 * (2 * alpha + 1));
    // SE of the mean: σ/√n. SE of the sample variance: σ²·√((κ + 2)/n), excess kurtosis κ = −6/(2α+3).
    const seMean = Math.sqrt(sigma2 / n);
    const seVar = sigma2 * Math.sqrt((2 - 6 / (2 * alpha + 3)) / n);
    expect(Math.abs(mean - 0.5)).toBeLessThan(4.5 * seMean);
    expect(Math.abs(variance - sigma2)).toBeLessThan(4.5 * seVar);
    expect(xs.every((x) => x >= 0 && x <= 1)).toBe(true);
  });

  it.each([
    ['Beta(1, 1) = uniform', 1, (x: number) => x],
    ['Beta(2, 2)', 2, (x: number) => 3 * x * x - 2 * x * x * x],
    ['Beta(½, ½) = arcsine', 0.5, (x: number) => (2 / Math.PI) * Math.asin(Math.sqrt(x))],
  ])('%s passes a Kolmogorov–Smirnov test against its closed-form CDF (p > 0.001)', (_, alpha, cdf) => {
    const n = 20_000;
    expect(ksStatistic(draws(alpha, alpha, n, 77), cdf)).toBeLessThan(1.95 / Math.sqrt(n));
  });

  it('handles asymmetric shapes: Beta(2, 5) has mean 2/7 and variance 10/392', () => {
    const n = 100_000;
    const { mean, variance } = moments(draws(2, 5, n, 8));
    const sigma2 = 10 / 392;
    expect(Math.abs(mean - 2 / 7)).toBeLessThan(4.5 * Math.sqrt(sigma2 / n));
    expect(Math.abs(variance - sigma2)).toBeLessThan(0.02 * sigma2);
  });

  it('is reproducible by seed and finite for tiny α', () => {
    expect(Array.from(draws(0.4, 0.4, 20, 9))).toEqual(Array.from(draws(0.4, 0.4, 20, 9)));
    expect(draws(0.01, 0.01, 1000, 1).every((x) => x >= 0 && x <= 1)).toBe(true);
  });

  it('rejects a bad shape', () => {
    expect(() => sampleBeta(createRng(1), -1)).toThrow('sampleBeta: a must be a finite number > 0 (got -1)');
    expect(() => sampleBeta(createRng(1), 1, 0)).toThrow('sampleBeta: b must be a finite number > 0 (got 0)');
  });
});
