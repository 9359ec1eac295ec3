import { createRng, createTensor, type Tensor } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { gradientNormTracker } from './gradient-norm-tracker.js';

// A model over four vector features: ŷ = act(Σ_f w_f · x_f). Gradients are taken by central
// finite differences of the model, independently of the closed forms checked below.
const weights: Record<string, number[]> = { h1: [3, 4], h2: [1], c: [0.6, 0.8], cat: [0, 2] };
const groups = [
  { name: 'h1', group: 'historical' as const },
  { name: 'h2', group: 'historical' as const },
  { name: 'c', group: 'nonHistorical' as const },
  { name: 'cat', group: 'nonHistorical' as const },
];
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function finiteDifferenceGradients(inputs: Record<string, number[][]>, act: (z: number) => number): Record<string, Tensor> {
  const model = (x: Record<string, number[][]>, i: number) =>
    act(
      Object.entries(weights).reduce((z, [name, w]) => z + w.reduce((s, wj, j) => s + wj * (x[name]?.[i]?.[j] as number), 0), 0),
    );
  const rows = inputs.h1?.length ?? 0;
  const out: Record<string, Tensor> = {};
  for (const [name, w] of Object.entries(weights)) {
    const grad = new Float64Array(rows * w.length);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < w.length; j++) {
        const shifted = (delta: number) => {
          const copy = structuredClone(inputs);
          (copy[name]?.[i] as number[])[j] = (inputs[name]?.[i]?.[j] as number) + delta;
          return model(copy, i);
        };
        grad[i * w.length + j] = (shifted(1e-5) - shifted(-1e-5)) / 2e-5;
      }
    }
    out[name] = createTensor('float64', grad, [rows, w.length]);
  }
  return out;
}

function randomInputs(seed: number, rows: number): Record<string, number[][]> {
  const rng = createRng(seed);
  return Object.fromEntries(
    Object.entries(weights).map(([name, w]) => [name, Array.from({ length: rows }, () => w.map(() => rng.normal()))]),
  );
}

describe('gradientNormTracker', () => {
  it('linear model: feature norms are ‖w_f‖, groups average them, ratio by hand = 1.5 / 3', () => {
    const tracker = gradientNormTracker({ groups });
    const point = tracker.record(
      1,
      finiteDifferenceGradients(randomInputs(1, 20), (z) => z),
    );
    expect(point.features.h1).toBeCloseTo(5, 6);
    expect(point.features.h2).toBeCloseTo(1, 6);
    expect(point.features.c).toBeCloseTo(1, 6);
    expect(point.features.cat).toBeCloseTo(2, 6);
    expect(point.historical).toBeCloseTo(3, 6); // (5 + 1) / 2
    expect(point.nonHistorical).toBeCloseTo(1.5, 6); // (1 + 2) / 2
    expect(point.ratio).toBeCloseTo(0.5, 6);
  });

  it('sigmoid model: norms scale by mean σ′(z) per row, the ratio stays 0.5', () => {
    const inputs = randomInputs(2, 30);
    const tracker = gradientNormTracker({
      groups: { h1: 'historical', h2: 'historical', c: 'nonHistorical', cat: 'nonHistorical' },
    });
    const point = tracker.record(7, finiteDifferenceGradients(inputs, sigmoid));
    const z = (i: number) =>
      Object.entries(weights).reduce(
        (s, [name, w]) => s + w.reduce((t, wj, j) => t + wj * (inputs[name]?.[i]?.[j] as number), 0),
        0,
      );
    let meanSlope = 0;
    for (let i = 0; i < 30; i++) meanSlope += (sigmoid(z(i)) * (1 - sigmoid(z(i)))) / 30;
    expect(point.historical).toBeCloseTo(3 * meanSlope, 7);
    expect(point.ratio).toBeCloseTo(0.5, 6);
  });

  it('records a series over steps (tensors, numbers or a gradient function) and exports it', async () => {
    const tracker = gradientNormTracker({ groups });
    tracker.record(0, { h1: 2, h2: 4, c: 1, cat: 2 });
    await tracker.track(10, async () => ({ h1: 1, h2: 1, c: createTensor('float32', [3, 4, 0, 1], [2, 2]), cat: 0 }));
    const series = tracker.series();
    expect(series.step).toEqual([0, 10]);
    expect(series.historical).toEqual([3, 1]);
    expect(series.nonHistorical).toEqual([1.5, 1.5]); // c: mean of ‖(3,4)‖ = 5 and ‖(0,1)‖ = 1 → 3
    expect(series.ratio).toEqual([0.5, 1.5]);
    expect(series.features.c).toEqual([1, 3]);
    expect(tracker.toCsv()).toBe('step,historical,nonHistorical,ratio,h1,h2,c,cat\n0,3,1.5,0.5,2,4,1,2\n10,1,1.5,1.5,1,1,3,0');
    expect(tracker.points).toHaveLength(2);
  });

  it('edge cases: an empty group is NaN, a zero historical norm gives Infinity (0/0 = NaN), 0 rows give NaN', () => {
    const onlyHistorical = gradientNormTracker({ groups: { h1: 'historical' } }).record(0, { h1: 2 });
    expect(onlyHistorical).toMatchObject({ historical: 2, nonHistorical: Number.NaN, ratio: Number.NaN });
    const tracker = gradientNormTracker({ groups: { h: 'historical', c: 'nonHistorical' } });
    expect(tracker.record(1, { h: createTensor('float32', [0, 0, 0, 0], [2, 2]), c: 0.5 })).toMatchObject({
      historical: 0,
      nonHistorical: 0.5,
      ratio: Number.POSITIVE_INFINITY,
    });
    expect(tracker.record(2, { h: 0, c: 0 }).ratio).toBeNaN();
    const empty = tracker.record(3, { h: createTensor('float32', [], [0, 2]), c: 1 });
    expect(empty.features.h).toBeNaN();
    expect(empty.ratio).toBeNaN();
  });

  it('names missing and unknown features', () => {
    const tracker = gradientNormTracker({ groups });
    expect(() => tracker.record(0, { h1: 1, h2: 1, c: 1 })).toThrow("step 0 has no gradient for 'cat'");
    expect(() => tracker.record(0, { h1: 1, h2: 1, c: 1, cat: 1, typo: 1 })).toThrow("'typo' is not a tracked feature");
    expect(() => gradientNormTracker({ groups: [] })).toThrow('options.groups must name at least one feature');
  });
});
