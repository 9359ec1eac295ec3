import { countParameters, demoSpec, type ModelSpec, refMSpec } from '@thaw/spec';
import { describe, expect, it } from 'vitest';
import { parameterInfos } from './parameter-infos.js';
import { oddSpec } from './test-utils/specs.js';

function totalsByComponent(spec: ModelSpec): Record<string, number> {
  const totals: Record<string, number> = {
    embeddings: 0,
    cross: 0,
    deep: 0,
    residual: 0,
    experts: 0,
    gates: 0,
    towers: 0,
    aldi: 0,
  };
  for (const info of parameterInfos(spec)) {
    totals[info.component] = (totals[info.component] ?? 0) + info.shape.reduce((n, e) => n * e, 1);
  }
  return totals;
}

describe('parameterInfos', () => {
  it.each([
    ['demo', demoSpec],
    ['ref-m', refMSpec],
    ['low-rank / parallel / ALDI', oddSpec],
  ])('%s: sizes per component equal countParameters', (_, spec) => {
    const { dense: _dense, total: _total, ...expected } = countParameters(spec);
    expect(totalsByComponent(spec)).toEqual(expected);
  });

  it('ref-m: 608,767 dense parameters, as PyTorch counts them', () => {
    const dense = parameterInfos(refMSpec)
      .filter((p) => p.component !== 'embeddings')
      .reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
    expect(dense).toBe(608_767);
  });

  it('names are unique and follow the documented scheme', () => {
    const infos = parameterInfos(oddSpec);
    const names = infos.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([
      'embedding.id',
      'embedding.c',
      'cross.0.v',
      'cross.0.u',
      'cross.0.bias',
      'cross.1.v',
      'cross.1.u',
      'cross.1.bias',
      'deep.0.kernel',
      'deep.0.bias',
      'residual.0.kernel',
      'residual.0.bias',
      'residual.1.kernel',
      'residual.1.bias',
      'expert.0.0.kernel',
      'expert.0.0.bias',
      'expert.1.0.kernel',
      'expert.1.0.bias',
      'gate.0.0.kernel',
      'gate.0.0.bias',
      'gate.0.1.kernel',
      'gate.0.1.bias',
      'gate.1.0.kernel',
      'gate.1.0.bias',
      'gate.1.1.kernel',
      'gate.1.1.bias',
      'tower.0.0.kernel',
      'tower.0.0.bias',
      'tower.1.0.kernel',
      'tower.1.0.bias',
      'aldi.0.kernel',
      'aldi.0.bias',
      'aldi.1.kernel',
      'aldi.1.bias',
    ]);
  });

  it('shapes: kernels [in, out], low-rank V [d, r] and U [r, d], categorical tables with the OOV row', () => {
    // d = 4 + 1 + 2 + 3 + 2 = 12; z = 12 + 8 = 20 (parallel); z̄ = 22; item-side history = 4 + 2 = 6.
    const shapes = Object.fromEntries(parameterInfos(oddSpec).map((p) => [p.name, p.shape]));
    expect(shapes['embedding.c']).toEqual([6, 3]);
    expect(shapes['embedding.id']).toEqual([10, 2]);
    expect(shapes['cross.0.v']).toEqual([12, 3]);
    expect(shapes['cross.0.u']).toEqual([3, 12]);
    expect(shapes['cross.0.bias']).toEqual([12]);
    expect(shapes['residual.1.kernel']).toEqual([4, 2]);
    expect(shapes['expert.1.0.kernel']).toEqual([22, 6]);
    expect(shapes['gate.1.1.kernel']).toEqual([5, 2]);
    expect(shapes['tower.0.0.kernel']).toEqual([6, 1]);
    expect(shapes['aldi.0.kernel']).toEqual([5, 3]);
    expect(shapes['aldi.1.kernel']).toEqual([3, 6]);
  });

  it('init kinds: kernels glorot, biases zero, tables embedding', () => {
    for (const p of parameterInfos(oddSpec)) {
      const expected = p.component === 'embeddings' ? 'embedding' : p.name.endsWith('.bias') ? 'zeros' : 'glorotUniform';
      expect(p.init, p.name).toBe(expected);
    }
  });
});
