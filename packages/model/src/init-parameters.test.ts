import { refMSpec, validateSpec } from '@thaw/spec';
import { describe, expect, it } from 'vitest';
import { EMBEDDING_INIT_STD, initParameters, parameterRng } from './init-parameters.js';
import { oddSpec } from './test-utils/specs.js';

function moments(data: ArrayLike<number>) {
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < data.length; i++) sum += data[i] as number;
  const mean = sum / data.length;
  for (let i = 0; i < data.length; i++) sq += ((data[i] as number) - mean) ** 2;
  return { mean, variance: sq / data.length };
}

describe('initParameters', () => {
  const params = initParameters(refMSpec, 7);

  it('Glorot-uniform kernels: within ±√(6/(in+out)), variance (2l)²/12, mean 0', () => {
    const kernel = params['deep.0.kernel'];
    expect(kernel?.shape).toEqual([240, 512]);
    const data = kernel?.data ?? new Float32Array();
    const limit = Math.sqrt(6 / (240 + 512));
    let max = 0;
    for (const v of data) max = Math.max(max, Math.abs(v));
    expect(max).toBeLessThanOrEqual(limit);
    expect(max).toBeGreaterThan(0.999 * limit);
    const { mean, variance } = moments(data);
    // 122,880 draws: the standard error of the variance is ≈ 0.3 %, of the mean ≈ 0.01·l.
    expect(Math.abs(mean)).toBeLessThan(0.01 * limit);
    expect(variance / ((limit * limit) / 3)).toBeCloseTo(1, 1);
  });

  it('embedding tables: N(0, 0.05²)', () => {
    const { mean, variance } = moments(params['embedding.item_id']?.data ?? []);
    expect(Math.abs(mean)).toBeLessThan(1e-3);
    expect(Math.sqrt(variance) / EMBEDDING_INIT_STD).toBeCloseTo(1, 2);
  });

  it('biases are zero; every parameter is float32', () => {
    for (const [name, t] of Object.entries(params)) {
      expect(t.dtype, name).toBe('float32');
      if (name.endsWith('.bias'))
        expect(
          t.data.every((v) => v === 0),
          name,
        ).toBe(true);
    }
  });

  it('same seed ⇒ same values; another seed ⇒ different values', () => {
    const a = initParameters(oddSpec, 3);
    const b = initParameters(oddSpec, 3);
    const c = initParameters(oddSpec, 4);
    for (const name of Object.keys(a)) expect(b[name]?.data, name).toEqual(a[name]?.data);
    expect(c['cross.0.v']?.data).not.toEqual(a['cross.0.v']?.data);
  });

  it('each parameter has its own stream: disabling ALDI leaves the others unchanged', () => {
    const withAldi = initParameters(oddSpec, 5);
    const without = initParameters(
      validateSpec({ ...oddSpec, coldStart: { ...oddSpec.coldStart, aldi: { ...oddSpec.coldStart.aldi, enabled: false } } }),
      5,
    );
    expect(Object.keys(without).some((k) => k.startsWith('aldi.'))).toBe(false);
    for (const name of Object.keys(without)) expect(without[name]?.data, name).toEqual(withAldi[name]?.data);
  });

  it('rejects a non-integer seed', () => {
    expect(() => initParameters(oddSpec, 1.5)).toThrow('initParameters: seed must be an integer (got 1.5)');
    expect(() => parameterRng(Number.NaN, 'cross.0.kernel')).toThrow(
      'parameterRng: seed must be an integer (got NaN); pass an integer, e.g. Math.round(seed)',
    );
  });
});
