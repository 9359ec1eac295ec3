import { validateSpec } from '@thaw/spec';
import { createRng, createTensor, referenceOps as ops } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { dropToColdValues, historicalDropMask } from './dropout.js';
import { embed, featuresOnBackend } from './embed.js';
import { initParameters } from './init-parameters.js';
import { paramsOnBackend } from './params.js';

describe('historicalDropMask (the Dropout baseline)', () => {
  it('draws a seeded mask with the requested rate', () => {
    const mask = historicalDropMask(createRng(1), 20_000, 0.3);
    const rate = mask.reduce((s, v) => s + v, 0) / mask.length;
    expect(Math.abs(rate - 0.3)).toBeLessThan(4 * Math.sqrt((0.3 * 0.7) / 20_000));
    expect(historicalDropMask(createRng(1), 50, 0.3)).toEqual(mask.subarray(0, 50));
    expect(() => historicalDropMask(createRng(1), 5, 1.5)).toThrow('historicalDropMask: rate must be in [0, 1] (got 1.5)');
  });
});

/**
 * x_h = [item_stats (item, dense 2, stats, fill), user_hist (user, dense 1), item_id (item, id 2)];
 * x_nh = [content (dense 1)]. Fill = the raw values of a cold item; clip 5 as thaw-train sets.
 */
const spec = validateSpec(
  {
    specVersion: 1,
    name: 'dropout-cold',
    features: [
      {
        name: 'item_stats',
        group: 'historical',
        source: 'item',
        kind: 'dense',
        dim: 2,
        stats: { mean: [1, 0.2], std: [0.5, 0.1], clip: 5 },
        fill: [0, 0.15],
      },
      { name: 'user_hist', group: 'historical', source: 'user', kind: 'dense', dim: 1 },
      { name: 'item_id', group: 'historical', source: 'item', kind: 'id', buckets: 8, embeddingDim: 2 },
      { name: 'content', group: 'nonHistorical', source: 'item', kind: 'dense', dim: 1 },
    ],
    architecture: {
      cross: { count: 1 },
      deep: { units: [2] },
      structure: 'stacked',
      residual: { enabled: false, projectionUnits: [1] },
      mmoe: { experts: 1, expertUnits: [2] },
      tower: { units: [] },
    },
    tasks: [{ name: 'a' }],
    utility: { a: 1 },
  },
  'dropout-cold',
);

describe('dropToColdValues (Dropout with the values a cold item has)', () => {
  const params = paramsOnBackend(ops, initParameters(spec, 3));
  // Rows 0, 1: warm items with history; row 2: a real cold row — no history, its stats are the fill.
  const batch = {
    size: 3,
    features: {
      item_stats: createTensor('float32', [2.5, 0.4, 1.2, 0.3, 0, 0.15], [3, 2]),
      user_hist: createTensor('float32', [0.7, -0.3, 0.9], [3, 1]),
      item_id: createTensor('int32', [4, 6, 1], [3]),
      content: createTensor('float32', [0.1, 0.2, 0.3], [3, 1]),
    },
  };
  const embedded = embed(ops, spec, params, featuresOnBackend(ops, spec, batch));
  const row = (t: { data: ArrayLike<number> }, r: number, from: number, to: number) =>
    Array.from(t.data).slice(r * 5 + from, r * 5 + to);

  it("gives a dropped warm row exactly a cold row's item statistics, zero item-id columns, and its own user history", () => {
    const out = dropToColdValues(ops, spec, params, embedded, ops.constant([1, 0, 0], [3]));
    // x_h columns: item_stats 0–1, user_hist 2, item_id 3–4.
    // The cold row's real inputs (its float32 0.15 vs the float64 fill: equal to float32 precision).
    row(out.historical, 0, 0, 2).forEach((v, k) => {
      expect(v).toBeCloseTo(row(embedded.historical, 2, 0, 2)[k] as number, 6);
    });
    expect(row(out.historical, 0, 0, 2)).not.toEqual(row(embedded.historical, 0, 0, 2));
    expect(row(out.historical, 0, 0, 2)).not.toEqual([0, 0]); // not the training mean (old Dropout)
    expect(row(out.historical, 0, 2, 3)).toEqual(row(embedded.historical, 0, 2, 3));
    expect(row(out.historical, 0, 3, 5).map(Math.abs)).toEqual([0, 0]);
    expect(Array.from(out.historical.data).slice(5)).toEqual(Array.from(embedded.historical.data).slice(5));
    expect(out.nonHistorical).toBe(embedded.nonHistorical);
  });

  it('normalises the fill as embed normalises an input: ((0 − 1) / 0.5, (0.15 − 0.2) / 0.1) = (−2, −0.5)', () => {
    const out = dropToColdValues(ops, spec, params, embedded, ops.constant([0, 1, 1], [3]));
    expect(row(out.historical, 1, 0, 2).map((v) => Number(v.toFixed(6)))).toEqual([-2, -0.5]);
  });

  it('names a dense item-side historical feature without a fill', () => {
    const noFill = { ...spec, features: spec.features.map((f) => (f.name === 'item_stats' ? { ...f, fill: undefined } : f)) };
    expect(() => dropToColdValues(ops, noFill, params, embedded, ops.constant([1, 0, 0], [3]))).toThrow(
      /historical item feature 'item_stats' has no fill/,
    );
  });
});
