import { describe, expect, it } from 'vitest';
import { prAuc } from './pr-auc.js';
import { rankingSet } from './ranking-input.js';

/** What a TensorFlow.js tensor looks like from outside: shape and dtype, values behind methods. */
class TfjsLikeTensor {
  readonly shape: number[];
  readonly dtype = 'float32';
  readonly size: number;
  readonly #values: Float32Array;
  constructor(values: number[]) {
    this.#values = Float32Array.from(values);
    this.shape = [values.length];
    this.size = values.length;
  }
  dataSync() {
    return this.#values;
  }
  async data() {
    return this.#values;
  }
}

/** An onnxruntime tensor: `dims`, `type` and a typed-array `data`. */
const ortLike = { dims: [2], type: 'float32', data: Float32Array.of(0.2, 0.8), size: 2 };

describe('metric inputs that are another library’s tensors', () => {
  it('a TensorFlow.js tensor is refused with the one-line fix (read its values first)', () => {
    const labels = new TfjsLikeTensor([0, 1]);
    const scores = new TfjsLikeTensor([0.2, 0.8]);
    expect(() => prAuc(labels as never, scores as never)).toThrow(
      /prAuc: labels is a TensorFlow\.js tensor; pass its values instead: await labels\.data\(\) \(or fromTfjs\(labels\) of @thaw\/tfjs/,
    );
    expect(() => rankingSet({ requestId: [1, 1], scores: scores as never, labels: [0, 1] })).toThrow(
      /rankingSet: scores is a TensorFlow\.js tensor/,
    );
    expect(prAuc(labels.dataSync(), scores.dataSync())).toBe(1);
  });

  it('an onnxruntime tensor is refused the same way (its data is the values)', () => {
    expect(() => prAuc([0, 1], ortLike as never)).toThrow(/prAuc: scores is an onnxruntime tensor; pass scores\.data/);
  });
});
