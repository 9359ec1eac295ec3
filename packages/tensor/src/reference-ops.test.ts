import { describe, expect, it } from 'vitest';
import type { OpName } from './ops.js';
import { referenceOps as r } from './reference-ops.js';
import type { Tensor } from './tensor.js';
import { checkOpsConformance, opsConformanceCases } from './testing/index.js';

const harness = {
  ops: r,
  input: (t: Tensor) => r.constant(Array.from(t.data as Float32Array), t.shape, t.dtype === 'int32' ? 'int32' : 'float32'),
  read: <X>(xs: readonly X[]) => xs as unknown as Tensor[],
  tolerance: 1e-12,
};

describe('referenceOps', () => {
  it('passes the op conformance suite to 1e-12 (hand-computed values)', async () => {
    expect(await checkOpsConformance(harness)).toEqual([]);
  });

  it('the suite covers every op of the interface', () => {
    const covered = new Set(opsConformanceCases.map((c) => c.op));
    const all = Object.keys(r).filter((k) => k !== 'backendName') as OpName[];
    expect(all.filter((op) => !covered.has(op))).toEqual([]);
  });

  it('computes in float64', () => {
    const x = r.add(r.constant([0.1], [1]), r.constant([0.2], [1]));
    expect(x.data[0]).toBe(0.1 + 0.2);
  });

  it('gather refuses out-of-range ids and float indices with a fix', () => {
    const table = r.constant([1, 2, 3, 4], [2, 2]);
    expect(() => r.gather(table, r.constant([2], [1], 'int32'))).toThrow(
      'gather: indices[0] is 2, outside [0, 2); map out-of-vocabulary values to the OOV row first',
    );
    expect(() => r.gather(table, r.constant([1], [1]))).toThrow("gather: indices must have dtype 'int32' (got 'float64')");
  });

  it('names shapes in matMul, reshape, concat and slice errors', () => {
    expect(() => r.matMul(r.constant([1, 2], [1, 2]), r.constant([1, 2], [1, 2]))).toThrow(
      'matMul: needs [m, k] × [k, n] (got [1, 2] × [1, 2])',
    );
    expect(() => r.reshape(r.constant([1, 2, 3], [3]), [2, -1])).toThrow('reshape: cannot reshape [3] (3 elements) to [2, -1]');
    expect(() => r.concat([r.constant([1, 2], [1, 2]), r.constant([1, 2, 3], [1, 3])], 0)).toThrow(
      'concat: xs[1] has shape [1, 3], which does not match xs[0] [1, 2] outside axis 0',
    );
    expect(() => r.slice(r.constant([1, 2], [2]), [1], [2])).toThrow('slice: axis 0 range [1, 3) is outside [0, 2)');
  });

  it('keeps int32 through reshape and slice', () => {
    const ids = r.constant([1, 2, 3, 4], [2, 2], 'int32');
    expect(r.reshape(ids, [4]).dtype).toBe('int32');
    expect(r.slice(ids, [1, 0], [1, 2]).dtype).toBe('int32');
  });
});
