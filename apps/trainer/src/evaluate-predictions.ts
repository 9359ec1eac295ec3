import { hitsAtK, logLoss, prAuc, type RankingSet, rankingSet, rocAuc } from '@thaw/metrics';
import type { ModelSpec } from '@thaw/spec';
import { createTensor } from '@thaw/tensor';
import { type PlattParameters, plattProbability } from './calibration.js';
import type { RowPredictions } from './predict-rows.js';
import type { MetricSet } from './results.js';

/** Hits@K uses this K (the paper's Hits@3). */
export const HITS_K = 3;

/**
 * Calibrated probabilities `[N, T]` of predictions: `σ(a_t·logit + b_t)` per task (identity
 * without calibration), in float64 so the log loss of a confident prediction stays finite.
 */
export function calibratedProbabilities(predictions: RowPredictions, calibration?: readonly PlattParameters[]): Float64Array {
  const T = predictions.taskCount;
  const out = new Float64Array(predictions.logits.length);
  for (let i = 0; i < out.length; i++) {
    const p = calibration?.[i % T] ?? { a: 1, b: 0 };
    out[i] = plattProbability(p, predictions.logits[i] as number);
  }
  return out;
}

/** The eq 12 ranking of predictions, ready for Hits@K and the bootstrap. */
export function predictionRanking(spec: ModelSpec, predictions: RowPredictions, probs: Float64Array): RankingSet {
  return rankingSet({
    requestId: predictions.requestId,
    labels: createTensor('float32', predictions.labels, [predictions.rows.length, predictions.taskCount]),
    probs: createTensor('float64', probs, [predictions.rows.length, predictions.taskCount]),
    utility: spec.utility,
    tasks: spec.tasks.map((t) => t.name),
    isCold: predictions.isCold,
  });
}

function column(values: Float32Array | Float64Array, T: number, t: number, keep?: Float32Array): { x: Float64Array; n: number } {
  const rows = values.length / T;
  const x = new Float64Array(rows);
  let n = 0;
  for (let r = 0; r < rows; r++) if (!keep || keep[r] === 1) x[n++] = values[r * T + t] as number;
  return { x: x.subarray(0, n), n };
}

/**
 * The metrics of one prediction set on the fresh slice and on all items, per task: Hits@3 (eq 12
 * ranking, fresh positives counted among all candidates), PR-AUC, ROC-AUC and log loss of the
 * calibrated probabilities. A metric undefined on a slice (e.g. no fresh positive) is NaN.
 */
export function evaluatePredictions(spec: ModelSpec, predictions: RowPredictions, probs: Float64Array, ranking: RankingSet) {
  const T = predictions.taskCount;
  const empty = (): MetricSet => ({ 'hits@3': {}, prAuc: {}, rocAuc: {}, logLoss: {} });
  const metrics = { fresh: empty(), all: empty() };
  spec.tasks.forEach((task, t) => {
    for (const slice of ['fresh', 'all'] as const) {
      const keep = slice === 'fresh' ? predictions.isCold : undefined;
      const y = column(predictions.labels, T, t, keep).x;
      const p = column(probs, T, t, keep).x;
      const set = metrics[slice] as { [K in keyof MetricSet]: Record<string, number> };
      set['hits@3'][task.name] = hitsAtK(ranking, HITS_K, { task: t, slice });
      set.prAuc[task.name] = prAuc(y, p);
      set.rocAuc[task.name] = rocAuc(y, p);
      set.logLoss[task.name] = y.length > 0 ? logLoss(y, p) : Number.NaN;
    }
  });
  return metrics;
}
