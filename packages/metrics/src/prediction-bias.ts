import { isTensor, type Tensor } from '@thaw/tensor';
import { columnAt, type MatrixInput, type NumericInput, readColumns, readVector } from './numeric-input.js';
import { aggregatePerRequest, type PerRequestValues } from './per-request.js';
import { groupRows, type RequestId } from './ranking-set.js';

/** Inputs of {@link predictionBias}: predicted and true probabilities of the same candidates. */
export interface PredictionBiasColumns {
  readonly requestId: ArrayLike<number | bigint> | readonly RequestId[] | Tensor;
  /** Predicted probabilities `[N, T]` (calibrated, as served). */
  readonly predictions: MatrixInput;
  /** True position-free probabilities `[N, T]` (p*_t). */
  readonly truth: MatrixInput;
  /** 1 for a cold ("fresh") candidate, else 0. */
  readonly isCold: NumericInput;
  /** Task names in column order (keys of the result; default the column index). */
  readonly tasks?: readonly string[];
}

/** The bias of one task on fresh and on warm candidates, per request (for a clustered bootstrap). */
export interface TaskBiasPerRequest {
  readonly task: string;
  /** `numerator[r] = Σ_{fresh i ∈ r} (ŷ_i − p*_i)`, `denominator[r]` = fresh candidates of `r`. */
  readonly fresh: PerRequestValues;
  /** The same over warm candidates. */
  readonly warm: PerRequestValues;
}

/** Mean signed error of one task: fresh, warm, and the gap `fresh − warm`. */
export interface TaskBias {
  readonly task: string;
  /** mean(ŷ − p*) over fresh candidates (negative: fresh items under-predicted). */
  readonly fresh: number;
  readonly warm: number;
  /** `fresh − warm`: the fresh/warm bias gap (0 for an unbiased or a uniformly biased model). */
  readonly gap: number;
}

/**
 * Per request and task, the summed prediction error `ŷ − p*` and the candidate count, separately
 * for fresh and warm candidates — the decomposition a clustered bootstrap resamples.
 *
 * @throws RangeError for mismatched lengths, a NaN prediction, or a non-binary `isCold`.
 */
export function predictionBiasPerRequest(input: PredictionBiasColumns): TaskBiasPerRequest[] {
  const truth = readColumns(input.truth, 'predictionBias: truth');
  const rows = truth[0]?.length ?? 0;
  const predictions = readColumns(input.predictions, 'predictionBias: predictions', rows);
  if (predictions.length !== truth.length) {
    throw new RangeError(`predictionBias: predictions has ${predictions.length} task columns but truth has ${truth.length}`);
  }
  if (input.tasks !== undefined && input.tasks.length !== truth.length) {
    throw new RangeError(`predictionBias: tasks names ${input.tasks.length} tasks but truth has ${truth.length}`);
  }
  const cold = readVector(input.isCold, 'predictionBias: isCold');
  if (cold.length !== rows) throw new RangeError(`predictionBias: isCold has ${cold.length} rows but truth has ${rows}`);
  const ids = isTensor(input.requestId)
    ? (input.requestId.data as ArrayLike<RequestId>)
    : (input.requestId as ArrayLike<RequestId>);
  if (ids.length !== rows) throw new RangeError(`predictionBias: requestId has ${ids.length} rows but truth has ${rows}`);
  const { order, offsets, requestIds } = groupRows(ids);
  return truth.map((trueColumn, t) => {
    const predicted = predictions[t] as (typeof predictions)[number];
    const parts = {
      fresh: { numerator: new Float64Array(requestIds.length), denominator: new Float64Array(requestIds.length) },
      warm: { numerator: new Float64Array(requestIds.length), denominator: new Float64Array(requestIds.length) },
    };
    for (let r = 0; r < requestIds.length; r++) {
      for (let p = offsets[r] as number; p < (offsets[r + 1] as number); p++) {
        const row = order[p] as number;
        const c = cold[row];
        if (c !== 0 && c !== 1) throw new RangeError(`predictionBias: isCold[${row}] must be 0 or 1 (got ${c})`);
        const y = columnAt(predicted, row);
        if (Number.isNaN(y)) throw new RangeError(`predictionBias: the prediction of row ${row} (task ${t}) is NaN`);
        const part = c === 1 ? parts.fresh : parts.warm;
        part.numerator[r] = (part.numerator[r] as number) + y - columnAt(trueColumn, row);
        part.denominator[r] = (part.denominator[r] as number) + 1;
      }
    }
    return { task: input.tasks?.[t] ?? String(t), ...parts };
  });
}

/**
 * The fresh/warm prediction bias against the truth (the paper's Fig 2c, measured against p*
 * instead of against labels): per task, the mean of `ŷ − p*` over fresh candidates and over warm
 * ones, and their gap. A model trained on exposure-biased logs typically has `fresh < warm`:
 * it under-predicts fresh items relative to warm ones. NaN for a group without candidates.
 *
 * @example
 * ```ts
 * predictionBias({ requestId: [1, 1], predictions: [0.1, 0.5], truth: [0.3, 0.4], isCold: [1, 0] });
 * // [{ task: '0', fresh: -0.2, warm: 0.1, gap: -0.3 }]
 * ```
 */
export function predictionBias(input: PredictionBiasColumns): TaskBias[] {
  return predictionBiasPerRequest(input).map(({ task, fresh, warm }) => {
    const f = aggregatePerRequest(fresh);
    const w = aggregatePerRequest(warm);
    return { task, fresh: f, warm: w, gap: f - w };
  });
}
