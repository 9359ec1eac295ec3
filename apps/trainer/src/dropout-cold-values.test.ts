import { dropToColdValues, embed, featuresOnBackend, initParameters, paramsOnBackend } from '@thaw/model';
import type { DenseFeatureSpec } from '@thaw/spec';
import { createTensor, referenceOps as ops } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { loadDataSource } from './data-source.js';
import { withTrainingStats } from './training-stats.js';

/**
 * The Dropout baseline as thaw-train runs it: the spec written with the training stats, the model's
 * `dropToColdValues`. A dropped warm row must look like a real cold row of the data — its
 * item-side dense historical inputs are what rows with no history carry — not like the training
 * mean (what zeroing the normalised inputs showed before issue 11).
 */
describe("Dropout's cold values (sim:tiny, thaw-train's training stats)", async () => {
  const data = await loadDataSource('sim:tiny');
  const spec = withTrainingStats(data.spec, data.frame, data.split.rows.train);
  const events = data.frame.itemHistory?.events as Int32Array;
  const train = Array.from(data.split.rows.train);
  const noHistory = train.filter((r) => events[r] === 0);
  const warm = train.filter((r) => (events[r] as number) > 5).slice(0, 8);
  const itemDense = spec.features.filter(
    (f): f is DenseFeatureSpec => f.kind === 'dense' && f.group === 'historical' && (f.source ?? 'item') === 'item',
  );

  it('substitutes the real inputs of rows without history: exactly where they are constant, their mean elsewhere', () => {
    expect(noHistory.length).toBeGreaterThan(30);
    expect(itemDense.length).toBeGreaterThan(0);
    for (const feature of itemDense) {
      const column = data.frame.features[feature.name] as Float32Array;
      for (let k = 0; k < feature.dim; k++) {
        const values = noHistory.map((r) => column[r * feature.dim + k] as number);
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        const fill = feature.fill?.[k] as number;
        expect(fill).toBeCloseTo(mean, 6);
        if (values.every((v) => v === values[0])) expect(fill).toBe(values[0]);
      }
    }
  });

  it('shows a dropped warm row with the embedded inputs of a cold row, not the training mean', () => {
    const params = paramsOnBackend(ops, initParameters(spec, 1));
    const rows = [...warm, ...noHistory];
    const batch = {
      size: rows.length,
      features: Object.fromEntries(
        spec.features.map((f) => {
          const column = data.frame.features[f.name] as Float32Array | Int32Array;
          const width = f.kind === 'dense' ? f.dim : 1;
          const values = rows.flatMap((r) => Array.from(column.subarray(r * width, (r + 1) * width)));
          return [
            f.name,
            f.kind === 'dense'
              ? createTensor('float32', values, [rows.length, width])
              : createTensor('int32', values, [rows.length]),
          ];
        }),
      ),
    };
    const embedded = embed(ops, spec, params, featuresOnBackend(ops, spec, batch));
    const mask = rows.map((_, i) => (i < warm.length ? 1 : 0));
    const dropped = dropToColdValues(ops, spec, params, embedded, ops.constant(mask, [rows.length]));
    const width = embedded.historical.shape[1] as number;
    let offset = 0;
    for (const feature of spec.features.filter((f) => f.group === 'historical')) {
      const w = feature.kind === 'dense' ? feature.dim : feature.embeddingDim;
      if (feature.kind === 'dense' && (feature.source ?? 'item') === 'item') {
        for (let k = 0; k < w; k++) {
          const column = (r: number, t: { data: ArrayLike<number> }) => t.data[r * width + offset + k] as number;
          const coldValues = noHistory.map((_, i) => column(warm.length + i, embedded.historical));
          const coldMean = coldValues.reduce((a, b) => a + b, 0) / coldValues.length;
          const constant = coldValues.every((v) => v === coldValues[0]);
          for (let i = 0; i < warm.length; i++) {
            // The mean real input of the cold rows (normalising is affine); exactly each one's where they agree.
            if (constant) expect(column(i, dropped.historical)).toBe(coldValues[0]);
            else expect(column(i, dropped.historical)).toBeCloseTo(coldMean, 5);
          }
        }
      }
      offset += w;
    }
    // The old Dropout showed every normalised historical input at 0 (the training mean); a cold row is far from it.
    const first = itemDense[0] as DenseFeatureSpec;
    const normalisedFill = ((first.fill?.[0] as number) - (first.stats?.mean[0] as number)) / (first.stats?.std[0] as number);
    expect(Math.abs(normalisedFill)).toBeGreaterThan(0.5);
  });
});
