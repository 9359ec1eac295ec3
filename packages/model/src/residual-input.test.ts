import { modelDimensions, validateSpec } from '@thaw/spec';
import { createTensor, referenceOps as ops } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { featuresOnBackend } from './embed.js';
import { forward } from './forward.js';
import { initParameters } from './init-parameters.js';
import { residualInput } from './interact.js';
import { parameterInfos } from './parameter-infos.js';
import { paramsOnBackend } from './params.js';
import { oddSpec } from './test-utils/specs.js';

const withExclude = (exclude: string[]) =>
  validateSpec(
    { ...oddSpec, architecture: { ...oddSpec.architecture, residual: { ...oddSpec.architecture.residual, exclude } } },
    'spec',
  );

describe('residual.exclude: non-historical features kept off the residual path', () => {
  it('P reads the other non-historical columns only (x_nh = [c (3 columns); n (2 columns)])', () => {
    const xnh = ops.constant(
      Array.from({ length: 10 }, (_, i) => i),
      [2, 5],
    );
    expect(Array.from(residualInput(ops, withExclude(['c']), xnh).data)).toEqual([3, 4, 8, 9]);
    expect(Array.from(residualInput(ops, withExclude(['n']), xnh).data)).toEqual([0, 1, 2, 5, 6, 7]);
    expect(residualInput(ops, oddSpec, xnh)).toBe(xnh);
    expect(modelDimensions(withExclude(['c'])).residualInput).toBe(2);
    expect(modelDimensions(oddSpec).residualInput).toBe(5);
    const kernel = parameterInfos(withExclude(['c'])).find((p) => p.name === 'residual.0.kernel');
    expect(kernel?.shape).toEqual([2, 4]);
  });

  it('the excluded feature still reaches the interaction module, never P: P(x_nh) is unchanged when it changes', () => {
    const spec = withExclude(['c']);
    const params = paramsOnBackend(ops, initParameters(spec, 3));
    const batch = (c: number[]) =>
      featuresOnBackend(ops, spec, {
        size: 2,
        features: {
          h: createTensor(
            'float32',
            Float32Array.from({ length: 8 }, (_, i) => i / 8),
            [2, 4],
          ),
          u: createTensor('float32', Float32Array.of(0.5, -0.5), [2, 1]),
          id: createTensor('int32', Int32Array.of(1, 7), [2]),
          c: createTensor('int32', Int32Array.from(c), [2]),
          n: createTensor('float32', Float32Array.of(0.3, -1, 2, 0.1), [2, 2]),
        },
      } as never);
    const a = forward(ops, spec, params, batch([0, 1]));
    const b = forward(ops, spec, params, batch([4, 2]));
    const width = modelDimensions(spec).prediction;
    const p = (t: typeof a.zBar) => Array.from(t.data).filter((_, i) => i % width >= width - 2);
    const z = (t: typeof a.zBar) => Array.from(t.data).filter((_, i) => i % width < width - 2);
    expect(p(b.zBar)).toEqual(p(a.zBar));
    expect(z(b.zBar)).not.toEqual(z(a.zBar));
  });
});
