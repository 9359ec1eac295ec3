import { describe, expect, it } from 'vitest';
import { createHostOptimizer, type HostParameter } from './host-optimizer.js';

const adamConfig = { kind: 'adam' as const, learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/** PyTorch's Adam (torch.optim.Adam docs) on one scalar, in float64: the value after each step. */
function pytorchAdam(
  p0: number,
  gradients: readonly number[],
  { learningRate: lr, beta1, beta2, epsilon } = adamConfig,
): number[] {
  let p = p0;
  let m = 0;
  let v = 0;
  return gradients.map((g, i) => {
    const t = i + 1;
    m = beta1 * m + (1 - beta1) * g;
    v = beta2 * v + (1 - beta2) * g * g;
    const mHat = m / (1 - beta1 ** t);
    const vHat = v / (1 - beta2 ** t);
    p -= (lr * mHat) / (Math.sqrt(vHat) + epsilon);
    return p;
  });
}

const param = (name: string, values: number[], shape = [values.length]): HostParameter => ({
  name,
  shape,
  values: Float32Array.from(values),
});

describe('createHostOptimizer', () => {
  it('Adam follows PyTorch’s update step by step (float32 storage)', () => {
    const opt = createHostOptimizer([param('w', [0.5, -1])], adamConfig);
    const w = opt.parameters[0] as HostParameter;
    const gradients = [
      [0.3, -2],
      [-0.1, 4],
      [0.25, 0],
    ];
    const expected0 = pytorchAdam(
      0.5,
      gradients.map((g) => g[0] as number),
    );
    const expected1 = pytorchAdam(
      -1,
      gradients.map((g) => g[1] as number),
    );
    gradients.forEach((g, s) => {
      opt.apply(new Map([['w', { kind: 'dense', values: Float32Array.from(g) }]]));
      expect(w.values[0]).toBeCloseTo(expected0[s] as number, 6);
      expect(w.values[1]).toBeCloseTo(expected1[s] as number, 6);
    });
    expect(opt.step).toBe(3);
  });

  it('SGD moves by −lr·gradient, also for table rows (repeats add up)', () => {
    const opt = createHostOptimizer([param('t', [1, 1, 2, 2, 3, 3], [3, 2])], { ...adamConfig, kind: 'sgd', learningRate: 0.5 });
    const table = opt.parameters[0] as HostParameter;
    opt.apply(new Map([['t', { kind: 'rows', rows: Int32Array.of(2, 0, 2), values: Float32Array.of(1, 2, 10, 20, 3, 4) }]]));
    expect(Array.from(table.values)).toEqual([1 - 5, 1 - 10, 2, 2, 3 - 2, 3 - 3]);
  });

  it('dense embedding update: rows as gradients equal the dense zero-padded gradient, and untouched rows drift on momentum', () => {
    const a = createHostOptimizer([param('t', [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [3, 2])], adamConfig);
    const b = createHostOptimizer([param('t', [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [3, 2])], adamConfig);
    const rows = a.parameters[0] as HostParameter;
    const dense = b.parameters[0] as HostParameter;
    const steps = [
      { rows: Int32Array.of(1, 1), values: Float32Array.of(0.5, -1, 0.25, 0.5) },
      { rows: Int32Array.of(0), values: Float32Array.of(2, 3) },
    ];
    for (const step of steps) {
      a.apply(new Map([['t', { kind: 'rows', ...step }]]));
      const full = new Float32Array(6);
      step.rows.forEach((r, i) => {
        full[r * 2] = (full[r * 2] as number) + (step.values[i * 2] as number);
        full[r * 2 + 1] = (full[r * 2 + 1] as number) + (step.values[i * 2 + 1] as number);
      });
      b.apply(new Map([['t', { kind: 'dense', values: full }]]));
    }
    expect(Array.from(rows.values)).toEqual(Array.from(dense.values));
    // Row 1 was touched at step 1 only, yet moved again at step 2 (its first moment is not zero).
    const afterOne = pytorchAdam(0.3, [0.75, 0]);
    expect(rows.values[2]).toBeCloseTo(afterOne[1] as number, 6);
    expect(afterOne[1]).not.toBeCloseTo(afterOne[0] as number, 6);
  });

  it('lazy embedding update: only the looked-up rows move; the others keep values and moments', () => {
    const opt = createHostOptimizer([param('t', [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [3, 2])], adamConfig, {
      embeddingUpdate: 'lazy',
    });
    const table = opt.parameters[0] as HostParameter;
    opt.apply(new Map([['t', { kind: 'rows', rows: Int32Array.of(1), values: Float32Array.of(0.5, -1) }]]));
    const afterFirst = Array.from(table.values);
    opt.apply(new Map([['t', { kind: 'rows', rows: Int32Array.of(0, 0), values: Float32Array.of(1, 1, 1, 2) }]]));
    // Row 1 (not looked up at step 2) stays where step 1 left it.
    expect(Array.from(table.values.subarray(2, 4))).toEqual(afterFirst.slice(2, 4));
    // Row 2 was never looked up.
    expect(Array.from(table.values.subarray(4, 6))).toEqual([0.5, 0.6].map(Math.fround));
    // Row 0's update at step 2 uses the global step count: as PyTorch's Adam after a zero-gradient step 1.
    expect(table.values[0]).toBeCloseTo(pytorchAdam(0.1, [0, 2])[1] as number, 6);
    const state = opt.state();
    expect(Array.from(state.tensors['m/t']?.data as Float32Array).slice(4)).toEqual([0, 0]);
  });

  it('state() has the tfjs optimizer’s layout and restore() continues exactly', () => {
    const make = () => param('w', [1, 2, 3]);
    const g = (k: number) => new Map([['w', { kind: 'dense' as const, values: Float32Array.of(k, -k, 2 * k) }]]);
    const optA = createHostOptimizer([make()], adamConfig);
    const a = optA.parameters[0] as HostParameter;
    optA.apply(g(1));
    const saved = optA.state();
    expect(saved.kind).toBe('adam');
    expect(saved.step).toBe(1);
    expect(Object.keys(saved.tensors).sort()).toEqual(['m/w', 'v/w']);
    expect(saved.tensors['m/w']?.shape).toEqual([3]);
    const optB = createHostOptimizer([param('w', Array.from(a.values))], adamConfig);
    const b = optB.parameters[0] as HostParameter;
    optB.restore(saved);
    optA.apply(g(2));
    optB.apply(g(2));
    expect(Array.from(b.values)).toEqual(Array.from(a.values));
    expect(() => optB.restore({ ...saved, kind: 'sgd' })).toThrow("the state is for 'sgd' but this optimizer is 'adam'");
    expect(() => optB.restore({ ...saved, tensors: { 'm/x': saved.tensors['m/w'] as never } })).toThrow(
      "state tensor 'm/x' matches no parameter",
    );
    expect(() => optB.apply(new Map([['x', { kind: 'dense', values: new Float32Array(1) }]]))).toThrow("a gradient for 'x'");
  });
});
