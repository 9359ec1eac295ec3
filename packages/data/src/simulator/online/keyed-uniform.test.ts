import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { keyedHash, keyedRng, keyedUniform } from './keyed-uniform.js';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('keyedHash', () => {
  it('is murmur3_32 over little-endian words (an independent Python implementation: fixtures/murmur3-keys.py)', () => {
    const cases = JSON.parse(readFileSync(join(packageDir, 'fixtures/murmur3-keys.json'), 'utf8')) as {
      seed: number;
      keys: number[];
      hash: number;
    }[];
    expect(cases.length).toBeGreaterThan(5);
    for (const c of cases) expect(keyedHash(c.seed, ...c.keys)).toBe(c.hash);
  });

  it('refuses keys that are not integers', () => {
    expect(() => keyedHash(1, 0.5)).toThrow(/keys must be integers \(got 0.5\)/);
    expect(() => keyedHash(Number.NaN)).toThrow(/seed must be an integer/);
  });
});

describe('keyedUniform', () => {
  it('is uniform on [0, 1) over consecutive keys (chi-square, 20 bins) and uncorrelated across the last key', () => {
    const n = 40_000;
    const bins = new Float64Array(20);
    let sxy = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let syy = 0;
    for (let i = 0; i < n; i++) {
      const u = keyedUniform(11, 1000 + i, 42, 0);
      const v = keyedUniform(11, 1000 + i, 42, 1);
      expect(u >= 0 && u < 1).toBe(true);
      bins[Math.floor(u * 20)] = (bins[Math.floor(u * 20)] as number) + 1;
      sx += u;
      sy += v;
      sxy += u * v;
      sxx += u * u;
      syy += v * v;
    }
    const expected = n / 20;
    const chi2 = bins.reduce((s, b) => s + (b - expected) ** 2 / expected, 0);
    // 19 degrees of freedom: P(χ² > 43.8) = 0.001.
    expect(chi2).toBeLessThan(43.8);
    const r = (sxy / n - (sx / n) * (sy / n)) / Math.sqrt((sxx / n - (sx / n) ** 2) * (syy / n - (sy / n) ** 2));
    // sd of r under independence ≈ 1/√n = 0.005.
    expect(Math.abs(r)).toBeLessThan(0.02);
  });

  it('depends only on its keys, not on what was drawn before', () => {
    const a = keyedUniform(3, 7, 8, 9);
    for (let i = 0; i < 100; i++) keyedUniform(3, i, i, i);
    expect(keyedUniform(3, 7, 8, 9)).toBe(a);
    expect(keyedUniform(4, 7, 8, 9)).not.toBe(a);
    expect(keyedUniform(3, 8, 7, 9)).not.toBe(a);
  });

  it('keyedRng gives the same sequence for the same keys', () => {
    const draw = (rng: ReturnType<typeof keyedRng>) => [rng.uniform(), rng.int(100), rng.normal()];
    expect(draw(keyedRng(5, 1, 2))).toEqual(draw(keyedRng(5, 1, 2)));
    expect(draw(keyedRng(5, 1, 3))).not.toEqual(draw(keyedRng(5, 1, 2)));
  });
});
