import { describe, expect, it } from 'vitest';
import { createTensor, isTensor } from './tensor.js';

describe('createTensor', () => {
  it('keeps a typed array without copying and freezes the shape', () => {
    const data = new Float32Array([1, 2, 3, 4, 5, 6]);
    const t = createTensor('float32', data, [2, 3]);
    expect(t.data).toBe(data);
    expect(t.shape).toEqual([2, 3]);
    expect(Object.isFrozen(t.shape)).toBe(true);
  });

  it('converts plain arrays for every dtype', () => {
    expect(createTensor('int64', [1, 2n], [2]).data).toEqual(new BigInt64Array([1n, 2n]));
    expect(createTensor('bool', [0, 1, 1], [3]).data).toEqual(new Uint8Array([0, 1, 1]));
    expect(createTensor('float64', [0.1], []).data[0]).toBe(0.1);
  });

  it('names the mismatch between data length and shape', () => {
    expect(() => createTensor('float32', [1, 2, 3], [2, 2])).toThrow(
      'createTensor: shape [2, 2] holds 4 elements but data has 3; fix the shape or the data',
    );
  });

  it('refuses a typed array of the wrong class, bad dtypes and non-integers', () => {
    expect(() => createTensor('int32', new Float32Array(2) as never, [2])).toThrow(/Float32Array but dtype is 'int32'/);
    expect(() => createTensor('half' as never, [1] as never, [1])).toThrow(/dtype must be one of float32/);
    expect(() => createTensor('int32', [1.5], [1])).toThrow(
      "createTensor: data[0] must be an integer for dtype 'int32' (got 1.5)",
    );
    expect(() => createTensor('float32', [1], [-1])).toThrow(/extents must be integers ≥ 0/);
  });
});

describe('isTensor', () => {
  it('accepts consistent objects and rejects inconsistent ones', () => {
    expect(isTensor({ dtype: 'int32', shape: [2], data: new Int32Array(2) })).toBe(true);
    expect(isTensor({ dtype: 'int32', shape: [3], data: new Int32Array(2) })).toBe(false);
    expect(isTensor({ dtype: 'float32', shape: [2], data: new Int32Array(2) })).toBe(false);
    expect(isTensor(null)).toBe(false);
  });
});
