import type { FeatureFrame } from '@thaw/data';
import {
  type OracleSet,
  oracleFreshRecallPerRequest,
  oracleSet,
  oracleUtilityRatioPerRequest,
  type PerRequestValues,
  predictionBiasPerRequest,
  type TaskBiasPerRequest,
  withScores,
} from '@thaw/metrics';
import { utilityScores } from '@thaw/model';
import type { ModelSpec } from '@thaw/spec';
import { createTensor, referenceOps } from '@thaw/tensor';
import type { ThawModel } from '@thaw/tfjs';
import type { PlattFit } from './calibration.js';
import { predictionProbabilities, predictionScores } from './evaluate-predictions.js';
import type { Progress } from './logger.js';
import { calibrationByTask } from './model-artifacts.js';
import { predictRows } from './predict-rows.js';
import { HITS_K } from './results.js';

/** A model's calibrated outputs on one oracle window, in the window's row order. */
export interface OracleScores {
  /** Calibrated probabilities `[N, T]` row-major. */
  readonly probs: Float32Array;
  /** eq 12 score per row. */
  readonly scores: Float64Array;
}

/**
 * One window (calibration or evaluation) of a simulated source's candidates, ready to score any
 * ranker against the truth: rows in the order the models predict them (whole requests), the
 * oracle set (true utility, cold flags, requests), the user of each request (the bootstrap's
 * cluster) and the true probabilities for the bias.
 */
export class OracleWindow {
  readonly set: OracleSet;
  /** User id of each request, in `set` request order. */
  readonly clusters: Int32Array;
  readonly truth: Float64Array;
  readonly isCold: Float32Array;
  readonly requestId: Int32Array;

  private constructor(
    readonly spec: ModelSpec,
    readonly frame: FeatureFrame,
    /** Frame rows in prediction order. */
    readonly rows: Int32Array,
    requestId: Int32Array,
    isCold: Float32Array,
  ) {
    const T = spec.tasks.length;
    const truth = new Float64Array(rows.length * T);
    spec.tasks.forEach((task, t) => {
      const column = frame.truth?.[task.name];
      if (!column) throw new TypeError(`OracleWindow: the candidates frame has no truth column for task ${task.name}`);
      rows.forEach((row, i) => {
        truth[i * T + t] = column[row] as number;
      });
    });
    this.truth = truth;
    this.isCold = isCold;
    this.requestId = requestId;
    this.set = oracleSet({
      requestId,
      scores: new Float64Array(rows.length),
      trueUtility: utilityScores(referenceOps, spec, createTensor('float64', truth, [rows.length, T])),
      isCold,
    });
    this.clusters = Int32Array.from(
      this.set.requestIds,
      (_, r) => frame.userId[rows[this.set.order[this.set.offsets[r] as number] as number] as number] as number,
    );
  }

  /**
   * Scores `rows` of `frame` with `model` (calibrated by `calibration`), creating the window from
   * the first model's row order; later models must predict the same order (checked).
   */
  static async score(
    window: OracleWindow | undefined,
    model: ThawModel,
    frame: FeatureFrame,
    rows: Int32Array,
    calibration: readonly PlattFit[],
    progress?: Progress,
  ): Promise<{ window: OracleWindow; scores: OracleScores }> {
    const predictions = await predictRows(model, frame, rows, progress ? { progress } : {});
    const spec = model.spec;
    const current = window ?? new OracleWindow(spec, frame, predictions.rows, predictions.requestId, predictions.isCold);
    if (window && !predictions.rows.every((row, i) => row === window.rows[i])) {
      throw new Error('OracleWindow: a model predicted the candidates in another order; the oracle rows must be scored alike');
    }
    const calibrated = predictionProbabilities(spec, predictions, calibrationByTask(spec, calibration));
    return {
      window: current,
      scores: { probs: Float32Array.from(calibrated), scores: predictionScores(spec, predictions, calibrated) },
    };
  }

  /** The all-items oracle utility ratio @3 and the fresh oracle recall @3 per request of a ranker's scores. */
  evaluate(scores: ArrayLike<number>): { all: PerRequestValues; fresh: PerRequestValues } {
    const set = withScores(this.set, scores);
    return { all: oracleUtilityRatioPerRequest(set, HITS_K), fresh: oracleFreshRecallPerRequest(set, HITS_K) };
  }

  /** Per task, the summed error ŷ − p* and counts on fresh and warm candidates, per request. */
  bias(probs: Float32Array): TaskBiasPerRequest[] {
    const T = this.spec.tasks.length;
    const n = this.rows.length;
    return predictionBiasPerRequest({
      requestId: this.requestId,
      predictions: createTensor('float32', probs, [n, T]),
      truth: createTensor('float64', this.truth, [n, T]),
      isCold: this.isCold,
      tasks: this.spec.tasks.map((t) => t.name),
    });
  }

  /** Any per-row score column of the frame (a reference scorer), in this window's row order. */
  pick(column: ArrayLike<number>): Float64Array {
    return Float64Array.from(this.rows, (row) => column[row] as number);
  }
}
