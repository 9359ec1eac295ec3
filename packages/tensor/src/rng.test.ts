import { describe, expect, it } from 'vitest';
import { createRng } from './rng.js';

describe('createRng', () => {
  it('is deterministic by seed and differs across seeds', () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const xs = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(xs);
  });

  it('uniform has mean 1/2 and variance 1/12 (n = 200k, 5σ bounds)', () => {
    const rng = createRng(1);
    const n = 200_000;
    let sum = 0;
    let sq = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      if (u < 0 || u >= 1) outside++;
      sum += u;
      sq += u * u;
    }
    const mean = sum / n;
    const variance = sq / n - mean * mean;
    expect(outside).toBe(0);
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
  });

  it('int is uniform over 0..n-1 (chi-square, 9 dof, below the 0.999 quantile 27.88)', () => {
    const rng = createRng(2);
    const counts = new Array(10).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) counts[rng.int(10)]++;
    const chi2 = counts.reduce((acc, c) => acc + (c - n / 10) ** 2 / (n / 10), 0);
    expect(chi2).toBeLessThan(27.88);
    expect(() => rng.int(0)).toThrow('Rng.int: n must be an integer in [1, 2^32] (got 0)');
  });

  it('normal has mean 0, variance 1 and kurtosis 3', () => {
    const rng = createRng(3);
    const n = 200_000;
    let m1 = 0;
    let m2 = 0;
    let m4 = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.normal();
      m1 += x;
      m2 += x * x;
      m4 += x ** 4;
    }
    expect(Math.abs(m1 / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(m2 / n - 1)).toBeLessThan(0.02);
    expect(Math.abs(m4 / n - 3)).toBeLessThan(0.1);
  });

  it('shuffle is a permutation, and state/restore replays exactly', () => {
    const rng = createRng(4);
    const xs = rng.shuffle(Array.from({ length: 50 }, (_, i) => i));
    expect([...xs].sort((p, q) => p - q)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    rng.normal();
    const saved = rng.state();
    const next = [rng.uniform(), rng.normal(), rng.int(1000)];
    rng.restore(saved);
    expect([rng.uniform(), rng.normal(), rng.int(1000)]).toEqual(next);
  });

  it('forks are reproducible and independent of the parent stream', () => {
    const f1 = createRng(5).fork(1);
    const f2 = createRng(5).fork(1);
    const f3 = createRng(5).fork(2);
    expect(f1.uniform()).toBe(f2.uniform());
    expect(createRng(5).fork(1).uniform()).not.toBe(f3.uniform());
    expect(() => createRng(1.5)).toThrow('createRng: seed must be an integer (got 1.5)');
  });
});
