import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { useTfjsBackend } from './backend.js';
import { stopGradient } from './stop-gradient.js';

describe('useTfjsBackend', () => {
  it("'auto' picks wasm here (tfjs-node is not installed), and a forced backend is honoured", async () => {
    expect(await useTfjsBackend()).toBe('wasm');
    expect(await useTfjsBackend({ prefer: 'cpu' })).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(await useTfjsBackend({ prefer: 'wasm' })).toBe('wasm');
  });

  it('names the package to install when the preferred backend is missing', async () => {
    await expect(useTfjsBackend({ prefer: 'tensorflow' })).rejects.toThrow(
      /install the package for 'tensorflow' \(@tensorflow\/tfjs-node\)/,
    );
  });
});

describe('stopGradient', () => {
  it('is the identity forward and blocks the gradient', async () => {
    const x = tf.tensor1d([1, 2, 3]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.add(tf.mul(stopGradient(v), v), v)))(x);
    // d/dv (c·v + v) with c = v held constant: c + 1
    expect(Array.from(await g.data())).toEqual([2, 3, 4]);
    expect(Array.from(await stopGradient(x).data())).toEqual([1, 2, 3]);
  });
});
