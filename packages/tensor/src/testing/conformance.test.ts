import { describe, expect, it } from 'vitest';
import { referenceOps } from '../reference-ops.js';
import type { Tensor } from '../tensor.js';
import { checkOpsConformance, checkTensorAdapter } from './index.js';

describe('the conformance suites can fail', () => {
  it('catches a backend whose softmax forgets to normalise', async () => {
    const broken = { ...referenceOps, softmax: (x: never) => referenceOps.exp(x) };
    const failures = await checkOpsConformance({
      ops: broken,
      input: (t: Tensor) =>
        referenceOps.constant(Array.from(t.data as Float32Array), t.shape, t.dtype === 'int32' ? 'int32' : 'float32'),
      read: (xs) => xs as unknown as Tensor[],
    });
    expect(failures.map((f) => f.case)).toEqual([
      'softmax: last axis of a matrix',
      'softmax: axis 1 of a rank-3 tensor, stable for large logits',
    ]);
  });

  it('passes an exact adapter and catches one that loses int64 precision or -0', async () => {
    const identity = { name: 'identity', toRuntime: (t: Tensor) => t, fromRuntime: (t: Tensor) => t };
    expect(await checkTensorAdapter(identity)).toEqual([]);
    const lossy = {
      name: 'lossy',
      dtypes: ['int64', 'float32'] as const,
      toRuntime: (t: Tensor) => Array.from(t.data as ArrayLike<number | bigint>, Number),
      fromRuntime: (xs: number[]): Tensor => ({ dtype: 'float32', shape: [xs.length], data: Float32Array.from(xs) }),
    };
    const failures = await checkTensorAdapter(lossy);
    expect(failures.some((f) => f.case.startsWith('lossy int64') && f.message.includes("dtype came back as 'float32'"))).toBe(
      true,
    );
    expect(failures.some((f) => f.case === 'lossy float32 [2, 4]' && f.message.includes('shape came back as [8]'))).toBe(true);
  });
});
