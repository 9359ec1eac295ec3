import { describe, expect, it } from 'vitest';
import { createAdamArena } from './adam-kernel.js';

/** PyTorch's Adam step (torch.optim.Adam docs) on one value, in float64. */
function reference(p: number, m: number, v: number, g: number, t: number, lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8) {
  const m1 = b1 * m + (1 - b1) * g;
  const v1 = b2 * v + (1 - b2) * g * g;
  const p1 = p - (lr * (m1 / (1 - b1 ** t))) / (Math.sqrt(v1 / (1 - b2 ** t)) + eps);
  return { p: p1, m: m1, v: v1 };
}
const constants = (t: number, lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8) => ({
  b1,
  c1: 1 - b1,
  b2,
  c2: 1 - b2,
  stepSize: lr / (1 - b1 ** t),
  invSqrtCorrection2: 1 / Math.sqrt(1 - b2 ** t),
  eps,
});

describe('createAdamArena', () => {
  it('updates exactly n values at any offset (the four-lane loop and the scalar tail) as PyTorch’s Adam', () => {
    for (const n of [0, 1, 3, 4, 5, 8, 11]) {
      for (const shift of [0, 1, 2]) {
        const arena = createAdamArena(4 * 32);
        const f = arena.floats;
        const [p, m, v, g] = [shift, 32 + shift, 64 + shift, 96 + shift];
        f.fill(7); // sentinels everywhere
        const start = Array.from({ length: n }, (_, i) => ({
          p: 0.1 * (i - 3),
          m: 0.01 * i,
          v: 0.001 * (i + 1),
          g: (i % 2 ? -1 : 1) * 0.2 * (i + 1),
        }));
        start.forEach((s, i) => {
          f[p + i] = s.p;
          f[m + i] = s.m;
          f[v + i] = s.v;
          f[g + i] = s.g;
        });
        arena.update(p, m, v, g, n, constants(3));
        start.forEach((s, i) => {
          const want = reference(Math.fround(s.p), Math.fround(s.m), Math.fround(s.v), Math.fround(s.g), 3);
          expect(f[p + i]).toBeCloseTo(want.p, 6);
          expect(f[m + i]).toBeCloseTo(want.m, 7);
          expect(f[v + i]).toBeCloseTo(want.v, 8);
          expect(f[g + i]).toBe(Math.fround(s.g));
        });
        // Nothing before or after the n values moved.
        for (const base of [p, m, v, g]) {
          if (base > 0 && base % 32 !== 0) expect(f[base - 1]).toBe(7);
          expect(f[base + n]).toBe(7);
        }
      }
    }
  });

  it('follows PyTorch over many steps (float32 arithmetic, within 1e-6 of float64)', () => {
    const arena = createAdamArena(4 * 8);
    const f = arena.floats;
    const ref = Array.from({ length: 8 }, (_, i) => ({ p: 0.5 - 0.1 * i, m: 0, v: 0 }));
    ref.forEach((r, i) => {
      f[i] = r.p;
    });
    for (let t = 1; t <= 200; t++) {
      for (let i = 0; i < 8; i++) {
        const g = Math.sin(t * (i + 1)) * (i + 1) * 0.1;
        f[24 + i] = g;
        ref[i] = reference(ref[i]?.p as number, ref[i]?.m as number, ref[i]?.v as number, Math.fround(g), t);
      }
      arena.update(0, 8, 16, 24, 8, constants(t));
    }
    ref.forEach((r, i) => {
      expect(Math.abs((f[i] as number) - r.p)).toBeLessThan(1e-6);
    });
  });
});
