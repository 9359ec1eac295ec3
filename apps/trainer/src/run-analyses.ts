import * as tf from '@tensorflow/tfjs-core';
import { type FeatureFrame, toFeatureBatch } from '@thaw/data';
import { featureAblation } from '@thaw/importance';
import { explainedVariance, scoreGap } from '@thaw/metrics';
import type { FeatureBatch } from '@thaw/spec';
import { createRng, createTensor } from '@thaw/tensor';
import type { ThawModel } from '@thaw/tfjs';
import { sigmoid } from './calibration.js';
import type { Logger } from './logger.js';
import type { RowPredictions } from './predict-rows.js';
import type { Ablation, ExplainedVariance, ScoreGap } from './results.js';

/** Rows the PCA and the ablation look at, at most (a seeded sample of the evaluation rows). */
export const ANALYSIS_ROWS = 4000;

/** Fig 2c/6c: warm/cold mean predicted score per task and label, from the model's raw probabilities. */
export function scoreGapOf(predictions: RowPredictions, tasks: readonly string[]): ScoreGap {
  const probs = predictions.logits.map(sigmoid);
  const n = predictions.rows.length;
  const T = predictions.taskCount;
  const gaps = scoreGap(
    createTensor('float32', probs, [n, T]),
    createTensor('float32', predictions.labels, [n, T]),
    predictions.isCold,
    {
      tasks,
    },
  );
  const out: Record<string, ScoreGap[string]> = {};
  for (const g of gaps) {
    const entry = (s: (typeof g)['positive']) => ({ warm: s.warmMean, cold: s.coldMean, gapRatio: s.gapRatio });
    out[String(g.task)] = { positive: entry(g.positive), negative: entry(g.negative) };
  }
  return out;
}

function sampleIndices(n: number, max: number, seed: number): Int32Array {
  const all = Int32Array.from({ length: n }, (_, i) => i);
  if (n <= max) return all;
  return createRng(seed).shuffle(all).subarray(0, max).sort();
}

/** Fig 7: PCA of z̄ on a seeded sample of at most {@link ANALYSIS_ROWS} evaluation rows. */
export function explainedVarianceOf(predictions: RowPredictions, width: number, seed = 0): ExplainedVariance {
  const representation = predictions.representation;
  if (!representation) throw new TypeError('explainedVarianceOf: predictions were made without representation: true');
  const picked = sampleIndices(predictions.rows.length, ANALYSIS_ROWS, seed);
  const data = new Float64Array(picked.length * width);
  picked.forEach((r, i) => {
    data.set(representation.subarray(r * width, (r + 1) * width), i * width);
  });
  const pca = explainedVariance(createTensor('float64', data, [picked.length, width]));
  return { ratio: Array.from(pca.ratio), cumulative: Array.from(pca.cumulative), effectiveRank: pca.effectiveRank };
}

/**
 * Fig 2a/6a: ΔPR-AUC per feature (permutation, seeded) and the ratio Δ(all non-historical) /
 * Δ(all historical), per task, on a seeded sample of evaluation rows.
 */
export async function ablationOf(
  model: ThawModel,
  frame: FeatureFrame,
  evalRows: ArrayLike<number>,
  logger?: Logger,
  seed = 0,
): Promise<Ablation> {
  const spec = model.spec;
  const picked = sampleIndices(evalRows.length, ANALYSIS_ROWS, seed);
  const rows = Array.from(picked, (i) => evalRows[i] as number);
  const batch = toFeatureBatch(frame, spec, rows);
  // one intact pass, one per feature, one per group
  const progress = logger?.progress(`ablation ${spec.name}`, spec.features.length + 3, 'passes');
  const predict = async (input: FeatureBatch) => {
    progress?.tick(1);
    const probs = tf.tidy(() => model.probabilities(input));
    const data = (await probs.data()) as Float32Array;
    probs.dispose();
    return createTensor('float32', data, [input.size, spec.tasks.length]);
  };
  const result = await featureAblation(predict, batch, { features: spec.features, mode: 'permute', seed });
  progress?.done();
  const perTask = (values: readonly number[]) => Object.fromEntries(spec.tasks.map((t, i) => [t.name, values[i] as number]));
  return {
    features: result.features.map((f) => ({ name: f.name, group: f.group, deltaPrAuc: perTask(f.delta) })),
    ratio: perTask(result.ratio),
  };
}
