import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { useTfjsBackend } from './backend.js';
import { stopGradient } from './stop-gradient.js';

/** Whether @tensorflow/tfjs-node (the native backend) can be loaded on this machine. */
function tfjsNodeInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

describe('useTfjsBackend', () => {
  const native = tfjsNodeInstalled();

  it(`'auto' picks tfjs-node when installed, else wasm (here: ${native ? 'installed' : 'not installed'}), and a forced backend is honoured`, async () => {
    expect(await useTfjsBackend()).toBe(native ? 'tensorflow' : 'wasm');
    expect(await useTfjsBackend({ prefer: 'cpu' })).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(await useTfjsBackend({ prefer: 'wasm' })).toBe('wasm');
  });

  it("prefer 'tensorflow' loads tfjs-node, or names the package to install when it is missing", async () => {
    const attempt = useTfjsBackend({ prefer: 'tensorflow' });
    if (native) expect(await attempt).toBe('tensorflow');
    else await expect(attempt).rejects.toThrow(/install the package for 'tensorflow' \(@tensorflow\/tfjs-node\)/);
    await useTfjsBackend({ prefer: 'wasm' });
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
