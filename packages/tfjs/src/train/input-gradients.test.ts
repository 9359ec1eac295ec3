import { embed, featuresOnBackend, interact, paramsOnBackend, predict } from '@thaw/model';
import { type FeatureBatch, validateSpec } from '@thaw/spec';
import { type ReferenceTensor, referenceOps } from '@thaw/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTfjsBackend } from '../backend/backend.js';
import { buildModel } from '../model/build-model.js';
import { type CheckInput, finiteDifferences, type ReferenceFunction } from '../test-utils/gradient-check.js';
import { syntheticBatches, syntheticSpec } from '../testing/synthetic-cold-start.js';
import { inputGradients } from './input-gradients.js';

beforeAll(async () => {
  await useTfjsBackend({ prefer: 'wasm' });
});

describe('inputGradients', () => {
  it('gives ∂(Σ ŷ)/∂(each feature’s embedded input), as float64 central differences do, and its mean row norms', async () => {
    const spec = syntheticSpec({ residual: true });
    const model = buildModel(spec, { seed: 8 });
    const full = syntheticBatches({ rows: 3, batchSize: 3, seed: 4 })[0];
    if (full === undefined) throw new Error('no batch');
    const report = await inputGradients(model, full, true);

    // The same function on the reference backend, differentiated numerically w.r.t. x_h and x_nh.
    const r = referenceOps;
    const params = paramsOnBackend(r, await model.getWeights());
    const embedded = embed(r, spec, params, featuresOnBackend(r, spec, full));
    const inputs: Record<string, CheckInput> = {
      xh: { shape: [...embedded.historical.shape], data: embedded.historical.data },
      xnh: { shape: [...embedded.nonHistorical.shape], data: embedded.nonHistorical.data },
    };
    const f: ReferenceFunction = (ops, xs) => {
      const e = { historical: xs.xh as ReferenceTensor, nonHistorical: xs.xnh as ReferenceTensor };
      return ops.sum(ops.sigmoid(predict(ops, spec, params, interact(ops, spec, params, e))));
    };
    const gh = finiteDifferences(f, inputs, 'xh');
    const gnh = finiteDifferences(f, inputs, 'xnh');
    // x_h = [item_id (4); item_stats (2)], x_nh = [content (6)]
    const slices = { item_id: [gh, 6, 0, 4], item_stats: [gh, 6, 4, 2], content: [gnh, 6, 0, 6] } as const;
    for (const [name, [g, width, offset, w]] of Object.entries(slices)) {
      const raw = report.gradients?.[name]?.data as Float32Array;
      let normSum = 0;
      for (let i = 0; i < 3; i++) {
        let n2 = 0;
        for (let k = 0; k < w; k++) {
          const numeric = g[i * width + offset + k] as number;
          expect(Math.abs((raw[i * w + k] as number) - numeric)).toBeLessThan(1e-5 + 1e-3 * Math.abs(numeric));
          n2 += numeric ** 2;
        }
        normSum += Math.sqrt(n2);
      }
      const reported = report.features.find((x) => x.feature === name)?.meanNorm as number;
      expect(Math.abs(reported - normSum / 3) / (normSum / 3)).toBeLessThan(1e-3);
    }
    expect(report.historical).toBeCloseTo(
      ((report.features[0]?.meanNorm as number) + (report.features[1]?.meanNorm as number)) / 2,
      6,
    );
    expect(report.nonHistorical).toBeCloseTo(report.features[2]?.meanNorm as number, 6);
    model.dispose();
  });

  it('handles a spec with an empty group: NaN for its mean and the ratio (as gradientNormTracker of @thaw/importance)', async () => {
    const base = syntheticSpec({ residual: true });
    const spec = validateSpec({ ...base, features: base.features.filter((f) => f.group === 'nonHistorical') }, 'content only');
    const model = buildModel(spec, { seed: 8 });
    const full = syntheticBatches({ rows: 5, batchSize: 5, seed: 4 })[0] as FeatureBatch;
    const batch: FeatureBatch = { ...full, features: { content: full.features.content as FeatureBatch['features'][string] } };
    const report = await inputGradients(model, batch, true);
    expect(report.historical).toBeNaN();
    expect(report.ratio).toBeNaN();
    // the non-empty group is reported: the mean row l2 norm of the raw gradient rows
    const g = report.gradients?.content?.data as Float32Array;
    let sum = 0;
    for (let i = 0; i < 5; i++) sum += Math.hypot(...g.subarray(i * 6, i * 6 + 6));
    expect(report.nonHistorical).toBeGreaterThan(0);
    expect(Math.abs(report.nonHistorical - sum / 5)).toBeLessThan(1e-6);
    model.dispose();
  });
});
