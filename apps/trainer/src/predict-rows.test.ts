import { batches } from '@thaw/data';
import { buildModel, type ThawModel, useTfjsBackend } from '@thaw/tfjs';
import { train } from '@thaw/training';
import { beforeAll, describe, expect, it } from 'vitest';
import { type LoadedData, loadDataSource } from './data-source.js';
import { createOnnxRowScorer } from './onnx-row-scorer.js';
import { ONNX_SCORING_TOLERANCE, predictRows, type RowPredictions } from './predict-rows.js';
import { withTrainingStats } from './training-stats.js';
import { variantSpec } from './variants.js';

let data: LoadedData;
beforeAll(async () => {
  await useTfjsBackend({ prefer: 'wasm' });
  data = await loadDataSource('sim:tiny');
}, 120_000);

/** A model of `variant` trained for 60 steps, so its logits are no longer near 0. */
async function trainedModel(variant: string): Promise<ThawModel> {
  const spec = variantSpec(withTrainingStats(data.spec, data.frame, data.split.rows.train), variant);
  const model = buildModel(spec, { seed: 5 });
  const rows = data.split.rows.train;
  await train(model, ({ seed }) => batches(data.frame, spec, { rows, seed, batchSize: spec.training.batchSize }), {
    seed: 5,
    maxSteps: 60,
    ...(spec.coldStart.aldi.enabled ? { aldiStage: 'teacher' as const } : {}),
  });
  return model;
}

function maxRelativeGap(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++)
    worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)) / (1 + Math.abs(b[i] as number)));
  return worst;
}

function expectSameRows(a: RowPredictions, b: RowPredictions): void {
  expect(Array.from(a.rows)).toEqual(Array.from(b.rows));
  expect(Array.from(a.requestId)).toEqual(Array.from(b.requestId));
  expect(Array.from(a.isCold)).toEqual(Array.from(b.isCold));
  expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
}

describe('predictRows through the exported graph on onnxruntime', () => {
  for (const variant of ['all', 'aldi']) {
    it(`${variant}: auto scores on onnxruntime after the parity check, within its tolerance of the tfjs forward`, async () => {
      const model = await trainedModel(variant);
      const rows = data.split.rows.eval;
      const warnings: string[] = [];
      const tfjs = await predictRows(model, data.frame, rows, { engine: 'tfjs', representation: true, batchSize: 256 });
      const onnx = await predictRows(model, data.frame, rows, {
        onnxMinRows: 0,
        representation: true,
        batchSize: 256,
        warn: (m) => warnings.push(m),
      });
      expect(tfjs.scoring).toEqual({ engine: 'tfjs', reason: 'requested' });
      expect(onnx.scoring.engine).toBe('onnxruntime');
      expect(onnx.scoring.parity).toBeLessThanOrEqual(ONNX_SCORING_TOLERANCE);
      expect(warnings).toEqual([]);
      expectSameRows(onnx, tfjs);
      // Every batch, not only the first one the check looked at; logits are not trivially small.
      expect(Math.max(...Array.from(tfjs.logits, Math.abs))).toBeGreaterThan(0.5);
      expect(maxRelativeGap(onnx.logits, tfjs.logits)).toBeLessThan(ONNX_SCORING_TOLERANCE);
      expect(maxRelativeGap(onnx.representation as Float32Array, tfjs.representation as Float32Array)).toBeLessThan(
        ONNX_SCORING_TOLERANCE,
      );
      if (variant === 'aldi') expect(tfjs.isCold.some((c) => c === 1)).toBe(true);
      model.dispose();
    }, 300_000);
  }

  it('falls back to the tfjs forward with a warning when the exported graph disagrees; onnxruntime alone throws', async () => {
    const model = await trainedModel('baseline');
    const rows = data.split.rows.eval;
    // An export defect: the graph's logits off by 1e-3 (10× the tolerance).
    const faulty: typeof createOnnxRowScorer = async (m, o) => {
      const scorer = await createOnnxRowScorer(m, o);
      return {
        async score(batch) {
          const out = await scorer.score(batch);
          return { ...out, logits: out.logits.map((l) => l + 1e-3 * (1 + Math.abs(l))) };
        },
        release: () => scorer.release(),
      };
    };
    const tfjs = await predictRows(model, data.frame, rows, { engine: 'tfjs', batchSize: 256 });
    const warnings: string[] = [];
    const fallback = await predictRows(model, data.frame, rows, {
      onnxMinRows: 0,
      batchSize: 256,
      createScorer: faulty,
      warn: (m) => warnings.push(m),
    });
    expect(fallback.scoring.engine).toBe('tfjs');
    expect(fallback.scoring.parity).toBeGreaterThan(ONNX_SCORING_TOLERANCE);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /scoring \d+ rows on tfjs .*differ from the tfjs forward by 1\.0\de-3 \(> 0\.0001\) on the first \d+ rows/,
    );
    expectSameRows(fallback, tfjs);
    expect(Array.from(fallback.logits)).toEqual(Array.from(tfjs.logits));
    await expect(
      predictRows(model, data.frame, rows, { engine: 'onnxruntime', batchSize: 256, createScorer: faulty }),
    ).rejects.toThrow(/exported graph's logits differ/);
    // onnxruntime that cannot start: auto says so and scores on tfjs.
    const unavailable = await predictRows(model, data.frame, rows, {
      onnxMinRows: 0,
      createScorer: async () => {
        throw new Error('no onnxruntime-node here');
      },
      warn: (m) => warnings.push(m),
    });
    expect(unavailable.scoring).toEqual({ engine: 'tfjs', reason: 'onnxruntime unavailable: no onnxruntime-node here' });
    expect(warnings[1]).toMatch(/onnxruntime unavailable: no onnxruntime-node here/);
    expect(Array.from(unavailable.logits)).toEqual(Array.from(tfjs.logits));
    // Below the row threshold auto stays on tfjs silently.
    const small = await predictRows(model, data.frame, rows, { warn: (m) => warnings.push(m) });
    expect(small.scoring).toEqual({ engine: 'tfjs', reason: `${rows.length} rows < 50000` });
    expect(warnings).toHaveLength(2);
    model.dispose();
  }, 300_000);
});
