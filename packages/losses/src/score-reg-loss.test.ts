import { createRng, referenceOps as r, ShapeError } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { scoreRegLoss } from './score-reg-loss.js';

const value = (t: { data: ArrayLike<number> }) => t.data[0] as number;

// A fixed batch: 4 samples × 2 tasks, samples 0–1 warm, 2–3 cold.
// Warm means (0.8, 0.3), cold means (0.2, 0.4) → gaps² 0.36 and 0.01.
const probs = [0.9, 0.2, 0.7, 0.4, 0.1, 0.3, 0.3, 0.5];
const isCold = [0, 0, 1, 1];

/** Direct O(n²) biased MMD² with a Gaussian kernel, one task, by explicit loops over the groups. */
function directRbfMmd(warm: number[], cold: number[], sigma: number): number {
  const k = (a: number, b: number) => Math.exp(-((a - b) ** 2) / (2 * sigma * sigma));
  let ww = 0;
  let cc = 0;
  let wc = 0;
  for (const a of warm) for (const b of warm) ww += k(a, b);
  for (const a of cold) for (const b of cold) cc += k(a, b);
  for (const a of warm) for (const b of cold) wc += k(a, b);
  return ww / warm.length ** 2 + cc / cold.length ** 2 - (2 * wc) / (warm.length * cold.length);
}

function randomBatch(seed: number, n: number, tasks: number) {
  const rng = createRng(seed);
  const p = Array.from({ length: n * tasks }, () => rng.uniform());
  const cold = Array.from({ length: n }, (_, i): number => (i === 0 ? 1 : i === 1 ? 0 : rng.uniform() < 0.3 ? 1 : 0));
  const column = (t: number, flag: number) => p.filter((_, i) => i % tasks === t && cold[Math.floor(i / tasks)] === flag);
  return { p, cold, column };
}

describe('scoreRegLoss, mean form (eq 6)', () => {
  it('equals the hand-computed value on a fixed batch, summed over tasks', () => {
    const loss = scoreRegLoss(r, r.constant(probs, [4, 2]), r.constant(isCold, [4]));
    expect(value(loss)).toBeCloseTo(0.37, 14);
  });

  it('sums only the selected tasks', () => {
    expect(value(scoreRegLoss(r, r.constant(probs, [4, 2]), r.constant(isCold, [4]), { tasks: [1] }))).toBeCloseTo(0.01, 14);
    expect(value(scoreRegLoss(r, r.constant(probs, [4, 2]), r.constant(isCold, [4]), { tasks: [0] }))).toBeCloseTo(0.36, 14);
  });

  it('accepts isCold as [N, 1]', () => {
    expect(value(scoreRegLoss(r, r.constant(probs, [4, 2]), r.constant(isCold, [4, 1])))).toBeCloseTo(0.37, 14);
  });

  it.each([
    ['all warm', [0, 0, 0, 0]],
    ['all cold', [1, 1, 1, 1]],
  ])('is exactly 0 with a flat (zero-gradient) surface when the batch is %s', (_, flags) => {
    for (const kernel of ['mean', 'rbf'] as const) {
      const loss = (p: number[]) => value(scoreRegLoss(r, r.constant(p, [4, 2]), r.constant(flags, [4]), { kernel }));
      expect(loss(probs)).toBe(0);
      // Perturbing any score leaves the loss exactly 0: the gradient is exactly 0.
      for (let i = 0; i < probs.length; i++) {
        const moved = [...probs];
        moved[i] = (moved[i] as number) + 1e-3;
        expect(loss(moved)).toBe(0);
      }
    }
  });

  it('has gradient 2·gap_t·(w_i/n_w − c_i/n_c) (central differences)', () => {
    const { p, cold } = randomBatch(7, 9, 3);
    const loss = (q: number[]) => value(scoreRegLoss(r, r.constant(q, [9, 3]), r.constant(cold, [9])));
    const nc = cold.reduce((a, b) => a + b, 0);
    const nw = 9 - nc;
    const gap = [0, 1, 2].map((t) => {
      let w = 0;
      let c = 0;
      for (let i = 0; i < 9; i++) {
        if (cold[i]) c += p[i * 3 + t] as number;
        else w += p[i * 3 + t] as number;
      }
      return w / nw - c / nc;
    });
    const h = 1e-6;
    for (let i = 0; i < p.length; i++) {
      const up = [...p];
      const down = [...p];
      up[i] = (up[i] as number) + h;
      down[i] = (down[i] as number) - h;
      const numeric = (loss(up) - loss(down)) / (2 * h);
      const row = Math.floor(i / 3);
      const analytic = 2 * (gap[i % 3] as number) * (cold[row] ? -1 / nc : 1 / nw);
      expect(numeric).toBeCloseTo(analytic, 7);
    }
  });
});

describe('scoreRegLoss, RBF kernel form (eq 5)', () => {
  it('equals a direct O(n²) computation per task, summed', () => {
    for (const [seed, n, tasks, sigma] of [
      [1, 7, 2, 0.1],
      [2, 16, 3, 0.25],
      [3, 5, 1, 1],
    ] as const) {
      const { p, cold, column } = randomBatch(seed, n, tasks);
      let expected = 0;
      for (let t = 0; t < tasks; t++) expected += directRbfMmd(column(t, 0), column(t, 1), sigma);
      const loss = scoreRegLoss(r, r.constant(p, [n, tasks]), r.constant(cold, [n]), { kernel: 'rbf', bandwidth: sigma });
      expect(value(loss)).toBeCloseTo(expected, 13);
      expect(value(loss)).toBeGreaterThan(0);
    }
  });

  it('honours the task selection', () => {
    const { p, cold, column } = randomBatch(4, 10, 3);
    const expected = directRbfMmd(column(0, 0), column(0, 1), 0.1) + directRbfMmd(column(2, 0), column(2, 1), 0.1);
    const loss = scoreRegLoss(r, r.constant(p, [10, 3]), r.constant(cold, [10]), { kernel: 'rbf', tasks: [2, 0] });
    expect(value(loss)).toBeCloseTo(expected, 13);
  });

  it('is 2 − 2·exp(−(p−q)²/(2σ²)) for one warm score p and one cold score q', () => {
    const loss = scoreRegLoss(r, r.constant([0.8, 0.5], [2, 1]), r.constant([0, 1], [2]), { kernel: 'rbf', bandwidth: 0.2 });
    expect(value(loss)).toBeCloseTo(2 - 2 * Math.exp(-(0.3 ** 2) / (2 * 0.04)), 14);
  });

  it('is 0 when warm and cold scores are the same multiset', () => {
    const loss = scoreRegLoss(r, r.constant([0.2, 0.7, 0.7, 0.2], [4, 1]), r.constant([0, 0, 1, 1], [4]), { kernel: 'rbf' });
    expect(Math.abs(value(loss))).toBeLessThan(1e-15);
  });

  it('times σ² tends to the mean form for a wide kernel (k ≈ 1 − d²/2σ²)', () => {
    const sigma = 100;
    const rbf = scoreRegLoss(r, r.constant(probs, [4, 2]), r.constant(isCold, [4]), { kernel: 'rbf', bandwidth: sigma });
    expect(value(rbf) * sigma * sigma).toBeCloseTo(0.37, 4);
  });
});

describe('scoreRegLoss validation', () => {
  const p = () => r.constant(probs, [4, 2]);
  it('names the bad option', () => {
    expect(() => scoreRegLoss(r, p(), r.constant(isCold, [4]), { bandwidth: 0 })).toThrow(
      'scoreRegLoss: options.bandwidth must be a finite number > 0, in score units (got 0)',
    );
    expect(() => scoreRegLoss(r, p(), r.constant(isCold, [4]), { kernel: 'linear' as never })).toThrow(
      /options\.kernel must be 'mean'/,
    );
    expect(() => scoreRegLoss(r, p(), r.constant(isCold, [4]), { tasks: [2] })).toThrow(
      'scoreRegLoss: options.tasks[0] must be a task column index in [0, 2) (got 2)',
    );
    expect(() => scoreRegLoss(r, p(), r.constant(isCold, [4]), { tasks: [1, 1] })).toThrow(/lists task 1 twice/);
  });
  it('rejects shapes that do not fit', () => {
    expect(() => scoreRegLoss(r, p(), r.constant([0, 1, 0], [3]))).toThrow(ShapeError);
    expect(() => scoreRegLoss(r, r.constant(probs, [8]), r.constant(isCold, [4]))).toThrow(/probs must be \[N, T\]/);
  });
});
