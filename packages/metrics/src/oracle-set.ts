import { isTensor, type Tensor } from '@thaw/tensor';
import { type NumericInput, readVector, type StridedColumn } from './numeric-input.js';
import { groupRows, type RequestId } from './ranking-set.js';

/**
 * A ranker's scores on **every candidate** of each request, beside the ground truth: the true
 * utility of each row, eq 12 applied to the true position-free probabilities `p*_t` (a simulator
 * knows them). The oracle metrics read it; one row per (request, candidate).
 *
 * `@thaw/metrics` does not combine task probabilities itself (eq 12 has one implementation,
 * `utilityScores` of `@thaw/model`), as `rankingSet` takes ready scores.
 *
 * @example
 * ```ts
 * import { utilityScores } from '@thaw/model';
 * import { createTensor, referenceOps } from '@thaw/tensor';
 * const truth = createTensor('float64', pStar, [rows, 3]);    // p*_t per row, tasks in spec order
 * const columns: OracleColumns = {
 *   requestId: oracle.candidates.requestId,
 *   scores: modelScores,                                       // the ranker's eq 12 score s = Σ_t u_t ŷ_t
 *   trueUtility: utilityScores(referenceOps, spec, truth).data, // U = Σ_t u_t p*_t
 *   isCold: coldFlags,
 * };
 * ```
 */
export interface OracleColumns {
  /** Request of each row; rows of a request need not be adjacent. Requests keep first-appearance order. */
  readonly requestId: ArrayLike<number | bigint> | readonly RequestId[] | Tensor;
  /** The ranker's score per row (higher ranks first). NaN is an error. */
  readonly scores: NumericInput;
  /**
   * The true utility of each row, `U = Σ_t u_t p*_t` (eq 12 applied to the truth:
   * `utilityScores(referenceOps, spec, truth)` of `@thaw/model`; for one task, `p*` itself). Finite.
   */
  readonly trueUtility: NumericInput;
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
  /** The true utility of each row, `U = Σ_t u_t p*_t` (eq 12 applied to the truth; {@link OracleColumns.trueUtility}). */
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

function trueUtilityOf(input: OracleColumns): Float64Array {
  const legacy = input as { truth?: unknown; utility?: unknown };
  if (input.trueUtility === undefined && (legacy.truth !== undefined || legacy.utility !== undefined)) {
    throw new TypeError(
      'oracleSet: pass trueUtility (eq 12 of the truth, U = Σ_t u_t p*_t: utilityScores(referenceOps, spec, truth) of @thaw/model), not truth and utility',
    );
  }
  if (input.trueUtility === undefined)
    throw new TypeError('oracleSet: trueUtility is required (the true eq 12 utility of each row)');
  const values = readVector(input.trueUtility, 'oracleSet: trueUtility');
  const utility = Float64Array.from(values);
  for (let i = 0; i < utility.length; i++) {
    if (!Number.isFinite(utility[i]))
      throw new RangeError(`oracleSet: trueUtility of row ${i} must be finite (got ${utility[i]})`);
  }
  return utility;
}

function checkScores(scores: ArrayLike<number>, rows: number, fn: string): void {
  if (scores.length !== rows) throw new RangeError(`${fn}: scores has ${scores.length} rows but trueUtility has ${rows}`);
  for (let i = 0; i < rows; i++) {
    if (Number.isNaN(scores[i] as number)) throw new RangeError(`${fn}: the score of row ${i} is NaN`);
  }
}

/**
 * Builds an {@link OracleSet}: the true utility `U_i` of every row (given, see
 * {@link OracleColumns.trueUtility}), the rows grouped by request in O(N), the inputs checked
 * (lengths, NaN scores, finite utilities, 0/1 `isCold`).
 *
 * @throws TypeError / RangeError naming the offending argument.
 * @example
 * ```ts
 * const set = oracleSet({ requestId: [1, 1, 1], scores: [0.3, 0.9, 0.1], trueUtility: [0.2, 0.05, 0.4] });
 * oracleUtilityRatio(set, 1); // 0.125: the ranker's top item is worth 0.05 of the best 0.4
 * ```
 */
export function oracleSet(input: OracleColumns | OracleSet): OracleSet {
  if (isOracleSet(input)) return input;
  const utility = trueUtilityOf(input);
  const rows = utility.length;
  const scores = readVector(input.scores, 'oracleSet: scores');
  checkScores(scores, rows, 'oracleSet');
  let isCold: StridedColumn | undefined;
  if (input.isCold !== undefined) {
    const data = readVector(input.isCold, 'oracleSet: isCold');
    if (data.length !== rows) throw new RangeError(`oracleSet: isCold has ${data.length} rows but trueUtility has ${rows}`);
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
  if (ids.length !== rows) throw new RangeError(`oracleSet: requestId has ${ids.length} rows but trueUtility has ${rows}`);
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
