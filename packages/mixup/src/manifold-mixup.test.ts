import { createRng, referenceOps as r, ShapeError } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { manifoldMixup } from './manifold-mixup.js';

/** A batch whose rows are all distinct, so λ can be recovered from any coordinate. */
function batch(seed: number, n: number, width: number) {
  const rng = createRng(seed);
  return Array.from({ length: n * width }, () => rng.normal());
}

/** λ_i recovered from one coordinate: (mixed_i − x_j) / (x_i − x_j). */
const recover = (x: number[], mixed: ArrayLike<number>, width: number, i: number, j: number, c = 0) =>
  ((mixed[i * width + c] as number) - (x[j * width + c] as number)) /
  ((x[i * width + c] as number) - (x[j * width + c] as number));

describe('manifoldMixup (eq 7)', () => {
  it('mixes z and y row-wise exactly as λ·row_i + (1 − λ)·row_partner[i]', () => {
    const z = batch(1, 6, 4);
    const y = batch(2, 6, 3);
    const out = manifoldMixup(r, r.constant(z, [6, 4]), r.constant(y, [6, 3]), { alpha: 0.4, rng: createRng(3) });
    const lambda = out.lambda as number;
    for (let i = 0; i < 6; i++) {
      const j = out.partner[i] as number;
      for (let c = 0; c < 4; c++) {
        expect(out.zMixed.data[i * 4 + c]).toBeCloseTo(
          lambda * (z[i * 4 + c] as number) + (1 - lambda) * (z[j * 4 + c] as number),
          14,
        );
      }
      for (let c = 0; c < 3; c++) {
        expect(out.yMixed.data[i * 3 + c]).toBeCloseTo(
          lambda * (y[i * 3 + c] as number) + (1 - lambda) * (y[j * 3 + c] as number),
          14,
        );
      }
    }
  });

  it('mixes the labels with the same λ as z (recovered from the outputs, per batch and per sample)', () => {
    for (const perSample of [false, true]) {
      const z = batch(4, 10, 3);
      const y = batch(5, 10, 2);
      const out = manifoldMixup(r, r.constant(z, [10, 3]), r.constant(y, [10, 2]), { alpha: 1, rng: createRng(6), perSample });
      for (let i = 0; i < 10; i++) {
        const j = out.partner[i] as number;
        const fromZ = recover(z, out.zMixed.data, 3, i, j, 1);
        const fromY = recover(y, out.yMixed.data, 2, i, j, 1);
        const drawn = typeof out.lambda === 'number' ? out.lambda : (out.lambda[i] as number);
        expect(fromZ).toBeCloseTo(drawn, 9);
        expect(fromY).toBeCloseTo(drawn, 9);
      }
    }
  });

  it('never pairs a sample with itself, for every batch size 2..64', () => {
    for (let n = 2; n <= 64; n++) {
      for (let seed = 0; seed < 5; seed++) {
        const z = r.constant(new Float64Array(n * 2), [n, 2]);
        const y = r.constant(new Float64Array(n), [n, 1]);
        const { partner } = manifoldMixup(r, z, y, { alpha: 0.4, rng: createRng(seed + 100 * n) });
        expect(partner.every((j, i) => j !== i)).toBe(true);
      }
    }
  });

  it('is deterministic by seed', () => {
    const z = r.constant(batch(7, 12, 5), [12, 5]);
    const y = r.constant(batch(8, 12, 2), [12, 2]);
    const a = manifoldMixup(r, z, y, { alpha: 0.4, rng: createRng(42), perSample: true });
    const b = manifoldMixup(r, z, y, { alpha: 0.4, rng: createRng(42), perSample: true });
    const c = manifoldMixup(r, z, y, { alpha: 0.4, rng: createRng(43), perSample: true });
    expect(b.zMixed.data).toEqual(a.zMixed.data);
    expect(b.yMixed.data).toEqual(a.yMixed.data);
    expect(b.partner).toEqual(a.partner);
    expect(c.zMixed.data).not.toEqual(a.zMixed.data);
  });

  it('explains a batch of one and mismatched labels', () => {
    expect(() =>
      manifoldMixup(r, r.constant([1, 2], [1, 2]), r.constant([1], [1, 1]), { alpha: 0.4, rng: createRng(1) }),
    ).toThrow(/^manifoldMixup: the batch size must be an integer ≥ 2 \(got 1\)/);
    expect(() =>
      manifoldMixup(r, r.constant([1, 2, 3, 4], [2, 2]), r.constant([1, 0, 1], [3, 1]), { alpha: 0.4, rng: createRng(1) }),
    ).toThrow(ShapeError);
  });
});
