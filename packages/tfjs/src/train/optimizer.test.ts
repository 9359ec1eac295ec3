import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTfjsBackend } from '../backend/backend.js';
import { createOptimizer } from './optimizer.js';

beforeAll(async () => {
  await useTfjsBackend({ prefer: 'wasm' });
});

/** Adam by hand (float64), PyTorch's formulation, for one scalar parameter. */
function adamByHand(p0: number, grads: number[], lr: number, b1 = 0.9, b2 = 0.999, eps = 1e-8): number[] {
  let p = p0;
  let m = 0;
  let v = 0;
  return grads.map((g, k) => {
    const t = k + 1;
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    const mHat = m / (1 - b1 ** t);
    const vHat = v / (1 - b2 ** t);
    p -= (lr * mHat) / (Math.sqrt(vHat) + eps);
    return p;
  });
}

describe('createOptimizer', () => {
  it('Adam follows the hand-computed updates', async () => {
    const grads = [0.5, -1.25, 2, 0.125, -0.75];
    const expected = adamByHand(1, grads, 0.01);
    const w = tf.variable(tf.tensor1d([1]));
    const optimizer = createOptimizer({ kind: 'adam', learningRate: 0.01 });
    for (const [k, g] of grads.entries()) {
      optimizer.apply({ w }, { w: tf.tensor1d([g]) });
      expect((await w.data())[0]).toBeCloseTo(expected[k] as number, 6);
    }
    expect(optimizer.step).toBe(5);
  });

  it('SGD is p − lr·g', async () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    const optimizer = createOptimizer({ kind: 'sgd', learningRate: 0.5 });
    optimizer.apply({ w }, { w: tf.tensor1d([2, -4]) });
    expect(Array.from(await w.data())).toEqual([0, 4]);
  });

  it('a restored Adam continues bit for bit like the original', async () => {
    const grads = [0.3, -0.7, 1.1, 0.2, -0.4, 0.9];
    const run = async (restoreAfter?: number) => {
      const w = tf.variable(tf.tensor1d([0.1, -0.2, 0.3]));
      let optimizer = createOptimizer({ learningRate: 0.003 });
      for (const [k, g] of grads.entries()) {
        if (k === restoreAfter) {
          const state = await optimizer.state();
          optimizer.dispose();
          optimizer = createOptimizer({ learningRate: 0.003 });
          optimizer.restore(state, { w });
        }
        optimizer.apply({ w }, { w: tf.tensor1d([g, g * 2, -g]) });
      }
      return Array.from(await w.data());
    };
    expect(await run(3)).toEqual(await run());
  });

  it('names the bad argument', () => {
    expect(() => createOptimizer({ learningRate: -1 })).toThrow(
      'createOptimizer: learningRate must be a finite number > 0 (got -1)',
    );
    expect(() => createOptimizer({ beta1: 1 })).toThrow(/beta1 must be in \[0, 1\)/);
  });
});
