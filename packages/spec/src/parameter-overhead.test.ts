import { describe, expect, it } from 'vitest';
import { demoSpec, refMSpec } from './examples/index.js';
import { parameterOverhead } from './parameter-overhead.js';

describe('parameterOverhead', () => {
  it('ref-m: Residual adds 128·32 + 32 and widens every expert and gate input by 32; ALDI adds 128→64→48', () => {
    const { residual, aldi } = parameterOverhead(refMSpec);
    // projection 4,128 + experts 4·(32·128) + gates 3·(32·4)
    expect(residual.parameters).toBe(128 * 32 + 32 + 4 * 32 * 128 + 3 * 32 * 4);
    // student x_nh (128) → 64 → item-side x_h (hist_dense 16 + item_id 32 = 48)
    expect(aldi.parameters).toBe(128 * 64 + 64 + 64 * 48 + 48);
    // without Residual the dense part is 608,767 − 20,896
    expect(residual.percentOfDense).toBeCloseTo((100 * residual.parameters) / (608_767 - residual.parameters), 10);
  });

  it('does not depend on what the spec enables', () => {
    const off = {
      ...demoSpec,
      architecture: { ...demoSpec.architecture, residual: { ...demoSpec.architecture.residual, enabled: false } },
    };
    expect(parameterOverhead(off)).toEqual(parameterOverhead(demoSpec));
  });
});
