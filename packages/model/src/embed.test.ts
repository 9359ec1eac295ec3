import { createTensor, referenceOps as ops } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { embed, featuresOnBackend } from './embed.js';
import { paramsOnBackend } from './params.js';
import { tinySpec } from './test-utils/specs.js';

const params = paramsOnBackend(ops, {
  'embedding.id': createTensor('float32', [10, 20, 30], [3, 1]),
  'embedding.c': createTensor('float32', [-1, -2, -3], [3, 1]),
});

const batch = {
  size: 2,
  features: {
    h: createTensor('float32', [5, -1], [2, 1]),
    id: createTensor('int32', [2, 0], [2]),
    c: createTensor('int32', [2, 1], [2]),
    n: createTensor('float32', [0.5, 0.25], [2, 1]),
  },
};

describe('embed', () => {
  it('normalises dense features with stats, looks up id rows and the categorical OOV row', () => {
    const e = embed(ops, tinySpec, params, featuresOnBackend(ops, tinySpec, batch));
    // h: (5 − 1) / 2 = 2, (−1 − 1) / 2 = −1; id rows 2, 0; c rows 2 (OOV) and 1; n raw.
    expect(Array.from(e.historical.data)).toEqual([2, 30, -1, 10]);
    expect(Array.from(e.nonHistorical.data)).toEqual([-3, 0.5, -2, 0.25]);
  });

  it('clips normalised dense values to [−clip, clip] when stats.clip is set', () => {
    const spec = {
      ...tinySpec,
      features: tinySpec.features.map((f) => (f.kind === 'dense' && f.stats ? { ...f, stats: { ...f.stats, clip: 1.5 } } : f)),
    };
    const e = embed(ops, spec, params, featuresOnBackend(ops, spec, batch));
    // h: (5 − 1) / 2 = 2 → 1.5; (−1 − 1) / 2 = −1 stays
    expect(Array.from(e.historical.data)).toEqual([1.5, 30, -1, 10]);
  });

  it('names a missing feature and lists the expected ones', () => {
    const features = featuresOnBackend(ops, tinySpec, batch);
    delete features['c'];
    expect(() => embed(ops, tinySpec, params, features)).toThrow(
      "embed: features['c'] is missing; pass one tensor per spec feature (h, id, c, n)",
    );
  });

  it('names a feature of the wrong shape', () => {
    const features = { ...featuresOnBackend(ops, tinySpec, batch), h: ops.constant([1, 2], [1, 2]) };
    expect(() => embed(ops, tinySpec, params, features)).toThrow(
      expect.objectContaining({
        name: 'ShapeError',
        message: "embed: features['h'] must be float [N, 1] for a dense feature (got shape [1, 2])",
        tensorName: "features['h']",
        actual: [1, 2],
        expected: [null, 1],
      }),
    );
    const rows = { ...featuresOnBackend(ops, tinySpec, batch), id: ops.constant([0, 1], [2, 1], 'int32') };
    expect(() => embed(ops, tinySpec, params, rows)).toThrow(
      expect.objectContaining({ name: 'ShapeError', tensorName: "features['id']", actual: [2, 1], expected: [null] }),
    );
  });

  it('featuresOnBackend refuses a float id column', () => {
    const bad = { size: 2, features: { ...batch.features, id: createTensor('float32', [1, 2], [2]) } };
    expect(() => featuresOnBackend(ops, tinySpec, bad)).toThrow(
      "featuresOnBackend: batch.features['id'] must be int32 for an id feature (got float32)",
    );
  });

  it('a model without historical features gets a zero-width x_h', () => {
    const spec = { ...tinySpec, features: tinySpec.features.filter((f) => f.group === 'nonHistorical') };
    const e = embed(ops, spec, params, featuresOnBackend(ops, spec, batch));
    expect(e.historical.shape).toEqual([2, 0]);
    expect(e.nonHistorical.shape).toEqual([2, 2]);
  });
});
