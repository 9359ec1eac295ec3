import { createRng } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { randomDerangement } from './derangement.js';

describe('randomDerangement', () => {
  it('is a permutation with no fixed point for every n in 2..64 and 40 seeds each', () => {
    for (let n = 2; n <= 64; n++) {
      for (let seed = 0; seed < 40; seed++) {
        const p = randomDerangement(createRng(seed * 1000 + n), n);
        expect(p.length).toBe(n);
        expect(p.every((j, i) => j !== i)).toBe(true);
        expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      }
    }
  });

  it('is uniform over the 9 derangements of 4 elements (χ², 8 df, p > 0.001)', () => {
    const rng = createRng(99);
    const counts = new Map<string, number>();
    const draws = 18_000;
    for (let k = 0; k < draws; k++) {
      const key = randomDerangement(rng, 4).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(9); // includes the three products of two swaps, which Sattolo never gives
    const expected = draws / 9;
    const chi2 = [...counts.values()].reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(26.12);
  });

  it('pairs 2 samples by swapping them', () => {
    expect(Array.from(randomDerangement(createRng(5), 2))).toEqual([1, 0]);
  });

  it('is reproducible by seed', () => {
    expect(randomDerangement(createRng(17), 64)).toEqual(randomDerangement(createRng(17), 64));
    expect(randomDerangement(createRng(17), 64)).not.toEqual(randomDerangement(createRng(18), 64));
  });

  it('refuses a batch that cannot be deranged', () => {
    expect(() => randomDerangement(createRng(1), 1)).toThrow(
      'randomDerangement: n must be an integer ≥ 2 (got 1); mixup pairs each sample with a different one, so a batch needs at least 2 samples',
    );
    expect(() => randomDerangement(createRng(1), 2.5)).toThrow(RangeError);
  });
});
