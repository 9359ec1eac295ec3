import { hitsAtK, logLoss, prAuc, type RankingSet, rankingSet, rocAuc } from '@thaw/metrics';
import { type Calibration, calibratedProbabilities, utilityScores } from '@thaw/model';
import type { ModelSpec } from '@thaw/spec';
import { createTensor, referenceOps } from '@thaw/tensor';
import type { RowPredictions } from './predict-rows.js';
import { HITS_K, HITS_METRIC, type MetricSet } from './results.js';

/**
 * Calibrated probabilities `[N, T]` of predictions: `σ(a_t·logit + b_t)` per task (identity
 * without calibration) — `calibratedProbabilities` of `@thaw/model`, the function the ONNX graph
 * folds in, run on the float64 reference backend so the log loss of a confident prediction stays
 * finite.
 */
export function predictionProbabilities(spec: ModelSpec, predictions: RowPredictions, calibration?: Calibration): Float64Array {
  const logits = referenceOps.constant(predictions.logits, [predictions.rows.length, predictions.taskCount]);
  return calibratedProbabilities(referenceOps, spec, logits, calibration).data as Float64Array;
}

/** The eq 12 score of each prediction (`utilityScores` of `@thaw/model`, float64). */
export function predictionScores(spec: ModelSpec, predictions: RowPredictions, probs: Float64Array): Float64Array {
  return utilityScores(referenceOps, spec, createTensor('float64', probs, [predictions.rows.length, predictions.taskCount]))
    .data as Float64Array;
}

/** The eq 12 ranking of predictions, ready for Hits@K and the bootstrap. */
export function predictionRanking(spec: ModelSpec, predictions: RowPredictions, probs: Float64Array): RankingSet {
  return rankingSet({
    requestId: predictions.requestId,
    labels: createTensor('float32', predictions.labels, [predictions.rows.length, predictions.taskCount]),
    scores: predictionScores(spec, predictions, probs),
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
  const empty = (): MetricSet => ({ [HITS_METRIC]: {}, prAuc: {}, rocAuc: {}, logLoss: {} });
  const metrics = { fresh: empty(), all: empty() };
  spec.tasks.forEach((task, t) => {
    for (const slice of ['fresh', 'all'] as const) {
      const keep = slice === 'fresh' ? predictions.isCold : undefined;
      const y = column(predictions.labels, T, t, keep).x;
      const p = column(probs, T, t, keep).x;
      const set = metrics[slice] as { [K in keyof MetricSet]: Record<string, number> };
      set[HITS_METRIC][task.name] = hitsAtK(ranking, HITS_K, { task: t, slice });
      set.prAuc[task.name] = prAuc(y, p);
      set.rocAuc[task.name] = rocAuc(y, p);
      set.logLoss[task.name] = y.length > 0 ? logLoss(y, p) : Number.NaN;
    }
  });
  return metrics;
}
