import { isTensor, type Tensor } from '@thaw/tensor';
import { columnAt, type MatrixInput, type NumericInput, readColumns, readVector, type StridedColumn } from './numeric-input.js';
import { groupRows, type RequestId } from './ranking-set.js';

/**
 * A ranker's scores on **every candidate** of each request, beside the ground truth: the true
 * position-free probability `p*_t` of each task (a simulator knows it). The oracle metrics read
 * it; one row per (request, candidate).
 *
 * @example
 * ```ts
 * const columns: OracleColumns = {
 *   requestId: oracle.candidates.requestId,
 *   scores: modelScores,                              // the ranker's eq 12 score s = Σ_t u_t ŷ_t
 *   truth: [pGridClick, pSave, pClick],               // p*_t per row
 *   utility: { grid_click: 1, save: 2, click: 0.5 },  // spec.utility
 *   tasks: ['grid_click', 'save', 'click'],
 *   isCold: coldFlags,
 * };
 * ```
 */
export interface OracleColumns {
  /** Request of each row; rows of a request need not be adjacent. Requests keep first-appearance order. */
  readonly requestId: ArrayLike<number | bigint> | readonly RequestId[] | Tensor;
  /** The ranker's score per row (higher ranks first). NaN is an error. */
  readonly scores: NumericInput;
  /** True position-free probabilities `[N, T]` (p*_t), tasks in spec order. */
  readonly truth: MatrixInput;
  /** Utility weights `u` of eq 12: one per task, or keyed by task name (needs `tasks`). Default 1 for one task. */
  readonly utility?: ArrayLike<number> | Readonly<Record<string, number>>;
  /** Task names in column order. */
  readonly tasks?: readonly string[];
  /** 1 for a cold ("fresh") candidate, else 0. Needed by the fresh metrics. */
  readonly isCold?: NumericInput;
}

/**
 * Oracle data indexed by request (build once with {@link oracleSet}; swap the ranker with
 * {@link withScores}). Request `r` holds rows `order[offsets[r]] … order[offsets[r + 1] − 1]`.
 */
export interface OracleSet {
  readonly kind: 'thaw.OracleSet';
  readonly rowCount: number;
  readonly requestCount: number;
  readonly requestIds: readonly RequestId[];
  /** The ranker's score of each row. */
  readonly scores: ArrayLike<number>;
  /** The true utility of each row, `U = Σ_t u_t p*_t` (eq 12 applied to the truth). */
  readonly utility: Float64Array;
  /** 1 for a cold row; `undefined` when the input had no `isCold`. */
  readonly isCold: StridedColumn | undefined;
  readonly order: Int32Array;
  readonly offsets: Int32Array;
}

/** True when `value` is an {@link OracleSet}. */
export function isOracleSet(value: unknown): value is OracleSet {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'thaw.OracleSet';
}

function utilityWeights(input: OracleColumns, taskCount: number): number[] {
  const { utility, tasks } = input;
  if (utility === undefined) {
    if (taskCount === 1) return [1];
    throw new TypeError(`oracleSet: utility is required to combine ${taskCount} task probabilities (eq 12); pass spec.utility`);
  }
  if (typeof (utility as ArrayLike<number>).length === 'number') {
    const weights = Array.from(utility as ArrayLike<number>);
    if (weights.length !== taskCount) {
      throw new RangeError(`oracleSet: utility has ${weights.length} weights but truth has ${taskCount} task columns`);
    }
    return weights;
  }
  if (tasks === undefined) throw new TypeError('oracleSet: utility keyed by task name needs tasks (the names in column order)');
  if (tasks.length !== taskCount) throw new RangeError(`oracleSet: tasks names ${tasks.length} tasks but truth has ${taskCount}`);
  return tasks.map((task) => {
    const weight = (utility as Readonly<Record<string, number>>)[task];
    if (typeof weight !== 'number') throw new RangeError(`oracleSet: utility has no weight for task '${task}'`);
    return weight;
  });
}

function checkScores(scores: ArrayLike<number>, rows: number, fn: string): void {
  if (scores.length !== rows) throw new RangeError(`${fn}: scores has ${scores.length} rows but truth has ${rows}`);
  for (let i = 0; i < rows; i++) {
    if (Number.isNaN(scores[i] as number)) throw new RangeError(`${fn}: the score of row ${i} is NaN`);
  }
}

/**
 * Builds an {@link OracleSet}: the true utility `U_i = Σ_t u_t p*_{t,i}` of every row, the rows
 * grouped by request in O(N), the inputs checked (lengths, NaN scores, truth in [0, 1], 0/1 `isCold`).
 *
 * @throws TypeError / RangeError naming the offending argument.
 * @example
 * ```ts
 * const set = oracleSet({ requestId: [1, 1, 1], scores: [0.3, 0.9, 0.1], truth: [0.2, 0.05, 0.4] });
 * oracleUtilityRatio(set, 1); // 0.125: the ranker's top item is worth 0.05 of the best 0.4
 * ```
 */
export function oracleSet(input: OracleColumns | OracleSet): OracleSet {
  if (isOracleSet(input)) return input;
  const truth = readColumns(input.truth, 'oracleSet: truth');
  const rows = truth[0]?.length ?? 0;
  const weights = utilityWeights(input, truth.length);
  const utility = new Float64Array(rows);
  truth.forEach((column, t) => {
    const u = weights[t] as number;
    for (let i = 0; i < rows; i++) {
      const p = columnAt(column, i);
      if (!(p >= 0 && p <= 1))
        throw new RangeError(`oracleSet: truth (task ${input.tasks?.[t] ?? t}) row ${i} must be a probability (got ${p})`);
      utility[i] = (utility[i] as number) + u * p;
    }
  });
  const scores = readVector(input.scores, 'oracleSet: scores');
  checkScores(scores, rows, 'oracleSet');
  let isCold: StridedColumn | undefined;
  if (input.isCold !== undefined) {
    const data = readVector(input.isCold, 'oracleSet: isCold');
    if (data.length !== rows) throw new RangeError(`oracleSet: isCold has ${data.length} rows but truth has ${rows}`);
    for (let i = 0; i < rows; i++) {
      if (data[i] !== 0 && data[i] !== 1) throw new RangeError(`oracleSet: isCold[${i}] must be 0 or 1 (got ${data[i]})`);
    }
    isCold = { data, offset: 0, stride: 1, length: rows };
  }
  const ids = isTensor(input.requestId)
    ? (input.requestId.data as ArrayLike<RequestId>)
    : (input.requestId as ArrayLike<RequestId>);
  if (ids === null || typeof ids !== 'object' || typeof ids.length !== 'number') {
    throw new TypeError('oracleSet: requestId must be an array, a typed array or a Tensor');
  }
  if (ids.length !== rows) throw new RangeError(`oracleSet: requestId has ${ids.length} rows but truth has ${rows}`);
  const { order, offsets, requestIds } = groupRows(ids);
  return {
    kind: 'thaw.OracleSet',
    rowCount: rows,
    requestCount: requestIds.length,
    requestIds,
    scores,
    utility,
    isCold,
    order,
    offsets,
  };
}

/**
 * The same requests, truth and cold flags ranked by another ranker — no regrouping, so scoring
 * many models (or many fresh boosts) against one truth costs O(N) each.
 *
 * @throws RangeError when `scores` has another length or a NaN.
 * @example `oracleUtilityRatio(withScores(set, randomScores), 3)`
 */
export function withScores(set: OracleSet, scores: NumericInput): OracleSet {
  const values = readVector(scores, 'withScores: scores');
  checkScores(values, set.rowCount, 'withScores');
  return { ...set, scores: values };
}
