import { createRng, referenceOps as ops } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { dropHistorical, historicalDropMask } from './dropout.js';

describe('dropHistorical / historicalDropMask (the Dropout baseline)', () => {
  const n = 3;
  const xh = ops.constant(
    Array.from({ length: n * 7 }, (_, i) => 100 + i),
    [n, 7],
  );
  const embedded = { historical: xh, nonHistorical: ops.constant([1, 2, 3], [n, 1]) };

  it('zeroes x_h on masked rows only', () => {
    const out = dropHistorical(ops, embedded, ops.constant([1, 0, 1], [n]));
    const expected = Array.from(xh.data).map((v, i) => (Math.floor(i / 7) === 1 ? v : 0));
    expect(Array.from(out.historical.data)).toEqual(expected);
    expect(out.nonHistorical).toBe(embedded.nonHistorical);
  });

  it('draws a seeded mask with the requested rate', () => {
    const mask = historicalDropMask(createRng(1), 20_000, 0.3);
    const rate = mask.reduce((s, v) => s + v, 0) / mask.length;
    expect(Math.abs(rate - 0.3)).toBeLessThan(4 * Math.sqrt((0.3 * 0.7) / 20_000));
    expect(historicalDropMask(createRng(1), 50, 0.3)).toEqual(mask.subarray(0, 50));
    expect(() => historicalDropMask(createRng(1), 5, 1.5)).toThrow('historicalDropMask: rate must be in [0, 1] (got 1.5)');
  });
});
