import { createRng } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { createMixupPlan, dominantRows } from './mixup-plan.js';

describe('createMixupPlan', () => {
  it('draws a derangement and one λ in [0, 1] per batch', () => {
    const plan = createMixupPlan(16, { alpha: 0.4, rng: createRng(1) });
    expect(plan.partner.every((j, i) => j !== i)).toBe(true);
    expect(typeof plan.lambda).toBe('number');
    expect(plan.lambda).toBeGreaterThanOrEqual(0);
    expect(plan.lambda).toBeLessThanOrEqual(1);
  });

  it('draws one λ per sample with perSample', () => {
    const plan = createMixupPlan(16, { alpha: 2, rng: createRng(1), perSample: true });
    expect(plan.lambda).toBeInstanceOf(Float32Array);
    const lambda = plan.lambda as Float32Array;
    expect(lambda.length).toBe(16);
    expect(lambda.every((l) => l >= 0 && l <= 1)).toBe(true);
    expect(new Set(lambda).size).toBe(16);
  });

  it('reproduces pairs and λ from the same seed', () => {
    for (const perSample of [false, true]) {
      const a = createMixupPlan(32, { alpha: 0.4, rng: createRng(21), perSample });
      const b = createMixupPlan(32, { alpha: 0.4, rng: createRng(21), perSample });
      expect(b.partner).toEqual(a.partner);
      expect(b.lambda).toEqual(a.lambda);
    }
  });

  it('explains a batch of one, a bad α and a missing rng', () => {
    expect(() => createMixupPlan(1, { alpha: 0.4, rng: createRng(1) })).toThrow(
      'createMixupPlan: the batch size must be an integer ≥ 2 (got 1); mixup pairs each sample with a different one — use batches of at least 2 samples or skip mixup for this batch',
    );
    expect(() => createMixupPlan(4, { alpha: -1, rng: createRng(1) })).toThrow(
      'createMixupPlan: alpha must be a finite number > 0, the Beta(α, α) concentration (got -1)',
    );
    expect(() => createMixupPlan(4, { alpha: 1, rng: undefined as never })).toThrow(
      /rng must be a seeded Rng; create one with createRng/,
    );
  });
});

describe('dominantRows', () => {
  it('keeps i when λ_i ≥ ½, else takes the partner', () => {
    const partner = Int32Array.from([2, 0, 1]);
    expect(Array.from(dominantRows({ partner, lambda: 0.5 }))).toEqual([0, 1, 2]);
    expect(Array.from(dominantRows({ partner, lambda: 0.2 }))).toEqual([2, 0, 1]);
    expect(Array.from(dominantRows({ partner, lambda: Float32Array.from([0.9, 0.1, 0.6]) }))).toEqual([0, 0, 2]);
  });
});
