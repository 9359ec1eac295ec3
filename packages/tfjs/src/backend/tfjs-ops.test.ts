import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@thaw/tensor';
import { checkOpsConformance, checkTensorAdapter } from '@thaw/tensor/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTfjsBackend } from './backend.js';
import { fromTfjs, tfjsTensorAdapter, toTfjs } from './tensor-adapter.js';
import { tfjsOps } from './tfjs-ops.js';

const harness = {
  ops: tfjsOps,
  input: (t: Tensor) => tf.tensor(Array.from(t.data as Float64Array), [...t.shape], t.dtype === 'int32' ? 'int32' : 'float32'),
  read: (xs: readonly tf.Tensor[]) => Promise.all(xs.map(fromTfjs)),
};

describe.each(['wasm', 'cpu'] as const)('tfjsOps on the %s backend', (backend) => {
  beforeAll(async () => {
    expect(await useTfjsBackend({ prefer: backend })).toBe(backend);
  });

  it('passes the op conformance suite of @thaw/tensor/testing', async () => {
    expect(await checkOpsConformance(harness)).toEqual([]);
  });

  it('round-trips float32, int32 and bool tensors exactly through the adapter', async () => {
    expect(await checkTensorAdapter(tfjsTensorAdapter)).toEqual([]);
  });

  it('softmax along a non-last axis sums to one along that axis', async () => {
    const x = tf.tensor([1, 2, 3, 4, 50, 6], [2, 3]);
    const s = await tf.sum(tfjsOps.softmax(x, 0), 0).data();
    // softmax over axis 0 of column [1, 4]: e^1/(e^1+e^4)
    const first = (await tfjsOps.softmax(x, 0).data())[0] as number;
    expect(Array.from(s).every((v) => Math.abs(v - 1) < 1e-6)).toBe(true);
    expect(first).toBeCloseTo(Math.exp(1) / (Math.exp(1) + Math.exp(4)), 6);
  });
});

describe('tfjs tensor adapter', () => {
  it('refuses int64, which tfjs cannot hold', () => {
    expect(() => toTfjs({ dtype: 'int64', shape: [1], data: new BigInt64Array(1) })).toThrow(/cannot hold dtype 'int64'/);
  });
});
