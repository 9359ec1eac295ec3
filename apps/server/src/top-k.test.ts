import { createRng } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { topKIndices } from './top-k.js';

/** Reference: a full stable sort by score, highest first (Array.prototype.sort is stable: ties keep index order). */
const reference = (scores: number[], k: number) =>
  scores
    .map((_, i) => i)
    .sort((a, b) => (scores[b] as number) - (scores[a] as number))
    .slice(0, k);

describe('topKIndices', () => {
  it('returns the k best, highest first, ties in index order (worked by hand)', () => {
    expect(topKIndices([0.2, 0.9, 0.5, 0.9], 2)).toEqual([1, 3]);
    expect(topKIndices([0.2, 0.9, 0.5, 0.9], 3)).toEqual([1, 3, 2]);
    expect(topKIndices([1, 1, 1, 1, 1], 3)).toEqual([0, 1, 2]);
    expect(topKIndices([-1, -3, -2], 1)).toEqual([0]);
    expect(topKIndices([3, 2, 1], 0)).toEqual([]);
    expect(topKIndices([], 4)).toEqual([]);
  });

  it('equals a full stable sort for random scores with many ties, every k from 1 to beyond n', () => {
    const rng = createRng(31);
    for (const n of [1, 2, 7, 64, 513]) {
      // one decimal: many equal scores, so tie order is exercised
      const scores = Array.from({ length: n }, () => Math.round(rng.uniform() * 10) / 10);
      for (const k of new Set([1, 2, 3, Math.floor(n / 2), n - 1, n, n + 5].filter((k) => k >= 1))) {
        expect(topKIndices(scores, k), `n=${n} k=${k}`).toEqual(reference(scores, k));
      }
    }
  });

  it('works on typed arrays (float32 scores from the model)', () => {
    const scores = Float32Array.of(0.25, 0.75, 0.5, 0.75, 0.125);
    expect(topKIndices(scores, 3)).toEqual([1, 3, 2]);
  });
});
