import { createRng, createTensor, referenceOps as r } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { inputMixup } from './input-mixup.js';

describe('inputMixup', () => {
  const counts = [1, 5, 2, 7, 3, 11, 4, 13];
  const content = [0.5, -1, 2, 8];
  const labels = [1, 0, 0.25, 1];

  it('mixes every input and the labels with one pairing and one λ', () => {
    const out = inputMixup(
      r,
      { counts: r.constant(counts, [4, 2]), content: r.constant(content, [4, 1]) },
      r.constant(labels, [4, 1]),
      { alpha: 0.4, rng: createRng(12) },
    );
    const lambda = out.lambda as number;
    for (let i = 0; i < 4; i++) {
      const j = out.partner[i] as number;
      expect(j).not.toBe(i);
      const mix = (xs: number[], width: number, c: number) =>
        lambda * (xs[i * width + c] as number) + (1 - lambda) * (xs[j * width + c] as number);
      expect(out.inputsMixed.counts?.data[i * 2]).toBeCloseTo(mix(counts, 2, 0), 14);
      expect(out.inputsMixed.counts?.data[i * 2 + 1]).toBeCloseTo(mix(counts, 2, 1), 14);
      expect(out.inputsMixed.content?.data[i]).toBeCloseTo(mix(content, 1, 0), 14);
      expect(out.yMixed.data[i]).toBeCloseTo(mix(labels, 1, 0), 14);
      expect(out.dominant[i]).toBe(lambda >= 0.5 ? i : j);
    }
  });

  it('refuses integer (category / id) inputs and an empty record', () => {
    const ids = createTensor('int32', [3, 1, 4, 1], [4]);
    expect(() => inputMixup(r, { item_id: ids }, r.constant(labels, [4, 1]), { alpha: 0.4, rng: createRng(1) })).toThrow(
      'inputMixup: inputs.item_id is an int32 tensor (category or id indices), which cannot be interpolated; pass its embedding rows instead, or pick ids with gatherRows(ids, result.dominant)',
    );
    expect(() => inputMixup(r, {}, r.constant(labels, [4, 1]), { alpha: 0.4, rng: createRng(1) })).toThrow(/at least one tensor/);
  });

  it('refuses inputs with different batch sizes', () => {
    expect(() =>
      inputMixup(r, { a: r.constant(counts, [4, 2]), b: r.constant([1, 2], [2, 1]) }, r.constant(labels, [4, 1]), {
        alpha: 0.4,
        rng: createRng(1),
      }),
    ).toThrow(/inputMixup: inputs\.b must have the plan's batch of 4 rows on axis 0 \(got shape \[2, 1\]\)/);
  });
});
