import { createRng } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { radixSortFloat64 } from './radix-sort.js';

describe('radixSortFloat64', () => {
  it('orders like the native numeric sort: negatives, zeros, infinities, subnormals, float32 values, ties', () => {
    const rng = createRng(2);
    const special = [
      0,
      -0,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      5e-324,
      -5e-324,
      Number.MAX_VALUE,
      -Number.MAX_VALUE,
    ];
    for (const make of [
      () => (rng.uniform() - 0.5) * 10 ** Math.floor(rng.uniform() * 20 - 10),
      () => Math.fround(rng.uniform()),
      () => Math.round(rng.normal() * 3) / 4,
    ]) {
      const values = Float64Array.from({ length: 20_000 }, (_, i) => (i < special.length ? (special[i] as number) : make()));
      rng.shuffle(values);
      const expected = Float64Array.from(values).sort();
      const sorted = radixSortFloat64(Float64Array.from(values));
      // Compare as numbers (-0 === 0), which is all the callers rely on.
      expect(Array.from(sorted).every((v, i) => v === expected[i])).toBe(true);
    }
  });

  it('sorts small arrays too', () => {
    expect(Array.from(radixSortFloat64(Float64Array.of(3, -1, 2)))).toEqual([-1, 2, 3]);
    expect(radixSortFloat64(new Float64Array(0)).length).toBe(0);
  });
});
