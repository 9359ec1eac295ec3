import type { FeatureFrame } from '@thaw/data';
import { validateSpec } from '@thaw/spec';
import { describe, expect, it } from 'vitest';
import { withTrainingStats } from './training-stats.js';

const spec = validateSpec({
  specVersion: 1,
  name: 't',
  features: [
    { name: 'h', group: 'historical', source: 'item', kind: 'dense', dim: 2 },
    { name: 'c', group: 'nonHistorical', source: 'item', kind: 'dense', dim: 1 },
  ],
  architecture: {
    cross: { count: 1 },
    deep: { units: [2] },
    residual: { enabled: false, projectionUnits: [1] },
    mmoe: { experts: 1, expertUnits: [2] },
    tower: { units: [] },
  },
  tasks: [{ name: 'a' }],
  utility: { a: 1 },
});

const day = 86_400;
const frame = {
  size: 4,
  features: { h: new Float32Array([1, 5, 3, 5, 0, 5, 100, 5]), c: new Float32Array([2, 4, 6, 8]) },
  labels: { a: new Float32Array(4) },
  requestId: new Int32Array([0, 0, 1, 1]),
  itemId: new Int32Array([0, 1, 2, 3]),
  userId: new Int32Array(4),
  timestamp: new Float64Array([100, 100, 100, 100].map((d) => d * day)),
  itemCreatedAt: new Float64Array([0, 0, 99, 99].map((d) => d * day)),
  itemHistory: { events: new Int32Array([3, 1, 0, 0]), positives: new Int32Array(4) },
} as unknown as FeatureFrame;

describe('withTrainingStats', () => {
  it('fills mean/std over the training rows and the no-history fill of historical item features', () => {
    const out = withTrainingStats(spec, frame, [0, 1, 2]);
    const [h, c] = out.features as unknown as [
      { stats: { mean: number[]; std: number[]; clip?: number }; fill?: number[] },
      { stats: { mean: number[]; std: number[]; clip?: number }; fill?: number[] },
    ];
    // h rows 0..2: dim0 = 1, 3, 0 → mean 4/3, var (1 + 9 + 0)/3 − 16/9 = 14/9; dim1 constant 5 → std 1
    expect(h.stats.mean[0]).toBeCloseTo(4 / 3, 12);
    expect(h.stats.std[0]).toBeCloseTo(Math.sqrt(14 / 9), 6);
    expect(h.stats.mean[1]).toBe(5);
    expect(h.stats.std[1]).toBe(1);
    expect(h.stats.clip).toBe(5);
    // only training row 2 has no history → fill = its values
    expect(h.fill).toEqual([0, 5]);
    expect(c.stats.mean[0]).toBe(4);
    expect(c.fill).toEqual([4]); // a non-historical item feature falls back to its training mean
    expect(() => validateSpec(out)).not.toThrow();
  });
});
