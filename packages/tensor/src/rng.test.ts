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

  it('forks are reproducible; fork advances the parent by exactly one draw', () => {
    const f1 = createRng(5).fork(1);
    const f2 = createRng(5).fork(1);
    const f3 = createRng(5).fork(2);
    expect(f1.uniform()).toBe(f2.uniform());
    expect(createRng(5).fork(1).uniform()).not.toBe(f3.uniform());
    const forked = createRng(5);
    forked.fork(1);
    const drawn = createRng(5);
    drawn.uniform();
    expect(Array.from({ length: 5 }, () => forked.uniform())).toEqual(Array.from({ length: 5 }, () => drawn.uniform()));
    expect(() => createRng(1.5)).toThrow('createRng: seed must be an integer (got 1.5)');
  });

  it("a fork's stream is independent of the parent's continuing stream and of a sibling's", () => {
    const n = 20_000;
    const parent = createRng(11);
    const child = parent.fork(0);
    const sibling = parent.fork(1);
    const draws = (rng: ReturnType<typeof createRng>) => Array.from({ length: n }, () => rng.uniform());
    const c = draws(child);
    const s = draws(sibling);
    const p = draws(parent);
    // Not the parent's stream, nor a shift of it by up to 64 draws (each uniform is one 32-bit draw).
    for (let lag = 0; lag <= 64; lag++) expect(c.slice(0, 8), `lag ${lag}`).not.toEqual(p.slice(lag, lag + 8));
    // Pearson correlation of independent U(0,1) streams: sd 1/√n ≈ 0.007; 4 sd bound.
    const corr = (a: number[], b: number[]) => {
      const ma = a.reduce((x, y) => x + y, 0) / a.length;
      const mb = b.reduce((x, y) => x + y, 0) / b.length;
      let ab = 0;
      let aa = 0;
      let bb = 0;
      for (let i = 0; i < a.length; i++) {
        ab += ((a[i] as number) - ma) * ((b[i] as number) - mb);
        aa += ((a[i] as number) - ma) ** 2;
        bb += ((b[i] as number) - mb) ** 2;
      }
      return ab / Math.sqrt(aa * bb);
    };
    const pairs: Record<string, [number[], number[]]> = {
      'child/parent': [c, p],
      'child/sibling': [c, s],
      'sibling/parent': [s, p],
      'child/parent lag 1': [c.slice(1), p.slice(0, -1)],
    };
    for (const [name, [a, b]] of Object.entries(pairs)) expect(Math.abs(corr(a, b)), name).toBeLessThan(4 / Math.sqrt(n));
  });
});
