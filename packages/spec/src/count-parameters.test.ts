import { describe, expect, it } from 'vitest';
import { countParameters, mlpParameters } from './count-parameters.js';
import { modelDimensions } from './dimensions.js';
import { demoSpec, refMSpec } from './examples/index.js';
import { validateSpec } from './validate.js';

describe('countParameters', () => {
  it('ref-m: the dense part is 608,767 as the PyTorch reference counts it', () => {
    // Hand computation, d = 16 + 32 + 64 + 64 + 4·16 = 240:
    //   cross 3·(240² + 240) = 173,520; deep 240·512 + 512 + 512·256 + 256 = 254,720;
    //   residual 128·32 + 32 = 4,128; experts 4·(288·128 + 128) = 147,968;
    //   gates 3·(288·4 + 4) = 3,468; towers 3·(128·64 + 64 + 64 + 1) = 24,963.
    const count = countParameters(refMSpec);
    expect(count).toEqual({
      embeddings: 100_000 * 32 + 4 * 1001 * 16,
      cross: 173_520,
      deep: 254_720,
      residual: 4_128,
      experts: 147_968,
      gates: 3_468,
      towers: 24_963,
      aldi: 0,
      dense: 608_767,
      total: 608_767 + 3_200_000 + 64_064,
    });
    expect(modelDimensions(refMSpec)).toMatchObject({
      historical: 112,
      nonHistorical: 128,
      input: 240,
      interaction: 256,
      prediction: 288,
    });
  });

  it('demo: matches the hand computation', () => {
    // d_h = 8 + 7 + 16 = 31, d_nh = 16 + 8 + 1 + 16 = 41, d = 72, z = 32, z̄ = 48.
    expect(countParameters(demoSpec)).toEqual({
      embeddings: 8192 * 8 + 25 * 8, // 65,736
      cross: 2 * (72 * 72 + 72), // 10,512
      deep: 72 * 64 + 64 + 64 * 32 + 32, // 6,752
      residual: 41 * 16 + 16, // 672
      experts: 3 * (48 * 32 + 32), // 4,704
      gates: 3 * (48 * 3 + 3), // 441
      towers: 3 * (32 * 16 + 16 + 16 + 1), // 1,635
      aldi: 0,
      dense: 24_716,
      total: 24_716 + 65_736,
    });
  });

  it('low-rank cross, parallel structure, gate hidden layers and the ALDI student', () => {
    const spec = validateSpec({
      specVersion: 1,
      name: 'odd',
      features: [
        { name: 'h', group: 'historical', source: 'item', kind: 'dense', dim: 4 },
        { name: 'id', group: 'historical', source: 'item', kind: 'id', buckets: 10, embeddingDim: 2 },
        { name: 'c', group: 'nonHistorical', kind: 'categorical', vocabSize: 5, embeddingDim: 3 },
        { name: 'n', group: 'nonHistorical', kind: 'dense', dim: 2 },
      ],
      architecture: {
        cross: { count: 2, lowRank: 3 },
        deep: { units: [8] },
        structure: 'parallel',
        residual: { enabled: true, projectionUnits: [4, 2] },
        mmoe: { experts: 2, expertUnits: [6], gateUnits: [5] },
        tower: { units: [] },
      },
      tasks: [{ name: 'a' }, { name: 'b' }],
      utility: { a: 1, b: 1 },
      coldStart: { aldi: { enabled: true, studentUnits: [3] } },
    });
    // d = 6 + 5 = 11; z = 11 + 8 = 19 (parallel); z̄ = 19 + 2 = 21.
    expect(countParameters(spec)).toEqual({
      embeddings: 10 * 2 + 6 * 3, // 38
      cross: 2 * (2 * 11 * 3 + 11), // 154
      deep: 11 * 8 + 8, // 96
      residual: 5 * 4 + 4 + 4 * 2 + 2, // 34
      experts: 2 * (21 * 6 + 6), // 264
      gates: 2 * (21 * 5 + 5 + 5 * 2 + 2), // 244
      towers: 2 * (6 * 1 + 1), // 14
      aldi: 5 * 3 + 3 + 3 * 6 + 6, // 42: x_nh (5) → 3 → item-side history (6)
      dense: 848,
      total: 886,
    });
  });

  it('mlpParameters counts weights and biases', () => {
    expect(mlpParameters(3, [])).toBe(0);
    expect(mlpParameters(3, [2, 1])).toBe(3 * 2 + 2 + 2 * 1 + 1);
  });
});
