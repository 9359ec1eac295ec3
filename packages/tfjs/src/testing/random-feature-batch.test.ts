import { refMSpec } from '@thaw/spec';
import { describe, expect, it } from 'vitest';
import { randomFeatureBatch } from './random-feature-batch.js';

describe('randomFeatureBatch', () => {
  it('lays a batch out as FeatureBatch says, indices in range, seeded', () => {
    const a = randomFeatureBatch(refMSpec, { size: 300, seed: 3, coldFraction: 0.5 });
    const b = randomFeatureBatch(refMSpec, { size: 300, seed: 3, coldFraction: 0.5 });
    expect(a.features.hist_dense?.shape).toEqual([300, 16]);
    expect(a.features.item_id?.dtype).toBe('int32');
    expect(Array.from(a.features.cat_0?.data ?? []).every((v) => v >= 0 && v <= 1000)).toBe(true);
    expect(Array.from(a.features.item_id?.data ?? []).every((v) => v >= 0 && v < 100_000)).toBe(true);
    expect(a.labels?.shape).toEqual([300, 3]);
    const coldShare = Array.from(a.isCold?.data ?? []).reduce((s, v) => s + v, 0) / 300;
    expect(coldShare).toBeGreaterThan(0.4);
    expect(coldShare).toBeLessThan(0.6);
    expect(Array.from(b.features.user_seq?.data ?? [])).toEqual(Array.from(a.features.user_seq?.data ?? []));
  });

  it('names a bad option', () => {
    expect(() => randomFeatureBatch(refMSpec, { size: 0 })).toThrow(
      'randomFeatureBatch: options.size must be an integer ≥ 1 (got 0)',
    );
    expect(() => randomFeatureBatch(refMSpec, { size: 2, coldFraction: 2 })).toThrow(
      /coldFraction must be in \[0, 1\] \(got 2\)/,
    );
  });
});
