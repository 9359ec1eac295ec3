import type { CandidateChunk, Ranker } from '@thaw/data';
import { freshBoostProbabilities } from '@thaw/metrics';
import { type Calibration, utilityScores } from '@thaw/model';
import type { ModelSpec } from '@thaw/spec';
import { createTensor, referenceOps } from '@thaw/tensor';
import type { ThawModel } from '@thaw/tfjs';
import { predictionProbabilities } from '../evaluate-predictions.js';
import { predictRows } from '../predict-rows.js';

/** A served model: its weights, spec, calibration and the constant logit boost on fresh candidates. */
export interface ServedModel {
  readonly model: ThawModel;
  readonly spec: ModelSpec;
  readonly calibration: Calibration;
  /** Logits added to every task on fresh candidates (0: the model as trained). */
  readonly boost: number;
}

/**
 * Calibrated probabilities `[N, T]` of a chunk's candidates (row `r` = candidate `r`) and their
 * fresh flags as the model's batches see them (`age < coldDays`).
 */
export async function chunkProbabilities(
  served: Pick<ServedModel, 'model' | 'spec' | 'calibration'>,
  chunk: CandidateChunk,
): Promise<{ probs: Float64Array; cold: Float32Array }> {
  const frame = chunk.frame();
  const rows = Int32Array.from({ length: frame.size }, (_, r) => r);
  const predictions = await predictRows(served.model, frame, rows);
  const ordered = predictionProbabilities(served.spec, predictions, served.calibration);
  const T = predictions.taskCount;
  const probs = new Float64Array(frame.size * T);
  const cold = new Float32Array(frame.size);
  predictions.rows.forEach((r, i) => {
    probs.set(ordered.subarray(i * T, i * T + T), r * T);
    cold[r] = predictions.isCold[i] as number;
  });
  return { probs, cold };
}

/**
 * The eq 12 score of each candidate with a constant boost on fresh candidates — `utilityScores`
 * of `@thaw/model` on `freshBoostProbabilities` of `@thaw/metrics` (at boost 0, `Σ_t u_t p_t`).
 */
export function boostedScores(spec: ModelSpec, probs: Float64Array, cold: ArrayLike<number>, boost: number): Float64Array {
  const T = spec.tasks.length;
  const boosted = freshBoostProbabilities(createTensor('float64', probs, [cold.length, T]), cold, boost);
  return utilityScores(referenceOps, spec, boosted).data as Float64Array;
}

/**
 * A {@link Ranker} for `serveDay`: the model's calibrated probabilities of every candidate (features
 * as of the refresh), eq 12 with the served boost. Checks that the model's cold flags are the
 * environment's fresh flags (the same `coldDays`). `onScored` sees every chunk's probabilities
 * (the fresh-boost arm keeps them to re-match its boost).
 *
 * @throws Error when the model's cold flags disagree with the chunk's fresh flags.
 */
export function modelRanker(
  served: ServedModel,
  onScored?: (scored: { chunk: CandidateChunk; probs: Float64Array; cold: Float32Array }) => void,
): Ranker {
  return async (chunk) => {
    const { probs, cold } = await chunkProbabilities(served, chunk);
    onScored?.({ chunk, probs, cold });
    for (let r = 0; r < cold.length; r++) {
      if (cold[r] !== chunk.fresh[r]) {
        throw new Error(
          `simulate-ab: candidate ${r} is ${chunk.fresh[r] ? 'fresh' : 'not fresh'} for the environment but ${cold[r] ? 'cold' : 'warm'} for the model; the spec's coldDays must equal the environment's freshDays`,
        );
      }
    }
    return boostedScores(served.spec, probs, cold, served.boost);
  };
}
