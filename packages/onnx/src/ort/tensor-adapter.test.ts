import { createTensor } from '@thaw/tensor';
import { checkTensorAdapter } from '@thaw/tensor/testing';
import { describe, expect, it } from 'vitest';
import { fromOrtTensor, ortTensorAdapter, toOrtTensor } from './tensor-adapter.js';

describe('ortTensorAdapter', () => {
  it('passes the @thaw/tensor adapter conformance suite for every dtype', async () => {
    expect(await checkTensorAdapter(ortTensorAdapter)).toEqual([]);
  });

  it('shares the typed array instead of copying', () => {
    const t = createTensor('float32', [1, 2, 3, 4], [2, 2]);
    const ort = toOrtTensor(t);
    expect(ort.type).toBe('float32');
    expect(ort.dims).toEqual([2, 2]);
    expect(ort.data).toBe(t.data);
    expect(fromOrtTensor(ort).data).toBe(t.data);
  });

  it('names the element type it cannot map', () => {
    const text = toOrtTensor(createTensor('int32', [1], [1]));
    Object.defineProperty(text, 'type', { value: 'string' });
    expect(() => fromOrtTensor(text)).toThrow(/onnxruntime type 'string' has no thaw dtype/);
  });
});
