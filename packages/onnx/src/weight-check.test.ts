import { initParameters } from '@thaw/model';
import { demoSpec } from '@thaw/spec';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from './export-onnx.js';
import { findNonFiniteWeight } from './weight-check.js';

describe('findNonFiniteWeight', () => {
  it('finds NaN and ±Infinity in any float weight, naming it and the element; a clean model gives undefined', () => {
    expect(findNonFiniteWeight(exportOnnx(demoSpec, initParameters(demoSpec, 1)))).toBeUndefined();
    for (const [name, index, value] of [
      ['embedding.item_id', 8191 * 8 + 7, Number.NaN],
      ['cross.1.bias', 5, Number.POSITIVE_INFINITY],
      ['tower.2.1.kernel', 0, Number.NEGATIVE_INFINITY],
    ] as const) {
      const weights = initParameters(demoSpec, 1);
      (weights[name] as { data: Float32Array }).data[index] = value;
      expect(findNonFiniteWeight(exportOnnx(demoSpec, weights))).toEqual({ name, index, value });
    }
  });

  it('refuses bytes that are not an ONNX model', () => {
    expect(() => findNonFiniteWeight(new Uint8Array([8, 1, 18, 200, 255, 3, 7]))).toThrow(/not an ONNX model/);
  });
});
