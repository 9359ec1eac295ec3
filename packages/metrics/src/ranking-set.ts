import { isTensor, type Tensor } from '@thaw/tensor';
import { columnAt, type MatrixInput, type NumericInput, readColumns, readVector, type StridedColumn } from './numeric-input.js';

/** A request identifier as found in a data frame column. */
export type RequestId = number | bigint | string;

/**
 * Ranking data in columns, one row per (request, candidate) — the layout `@thaw/data` frames and
 * the trainer hold. `scores` is the final score `s` of eq 12 the candidates are ranked by; combine
 * per-task probabilities into it with `utilityScores(ops, spec, probs)` of `@thaw/model` (the one
 * implementation of eq 12). No column is copied.
 *
 * @example
 * ```ts
 * const columns: RankingColumns = {
 *   requestId: new Int32Array([7, 7, 7, 9, 9]),
 *   scores: utilityScores(referenceOps, spec, probs).data, // eq 12, @thaw/model
 *   tasks: ['grid_click', 'save'],
 *   labels: [clickLabels, saveLabels],
 *   isCold: new Float32Array([1, 0, 0, 1, 0]),
 * };
 * ```
 */
export interface RankingColumns {
  /** Request of each row; rows of a request need not be adjacent. Requests keep first-appearance order. */
  readonly requestId: ArrayLike<number | bigint> | readonly RequestId[] | Tensor;
  /** 0/1 labels `[N, T]`, tasks in spec order. */
  readonly labels: MatrixInput;
  /** The ranking score `s` per row (eq 12). */
  readonly scores: NumericInput;
  /** Task names in column order; lets metrics and `sliceBy` address tasks by name. */
  readonly tasks?: readonly string[];
  /** 1 for a cold ("fresh") candidate, else 0 — `FeatureBatch.isCold`. Needed by the fresh slice. */
  readonly isCold?: NumericInput;
}

/**
 * Ranking data indexed by request: the normalised form every ranking metric and the bootstrap
 * read. Build it once with `rankingSet(…)`; metrics also accept {@link RankingColumns} or
 * `RankingRequest[]` and build it on the fly.
 *
 * Request `r` holds the rows `order[offsets[r]] … order[offsets[r + 1] − 1]` (in their original
 * order, which breaks score ties). Columns are views of the caller's arrays.
 */
export interface RankingSet {
  readonly kind: 'thaw.RankingSet';
  /** Rows in the columns (a request subset or resample indexes some of them, possibly repeated). */
  readonly rowCount: number;
  readonly requestCount: number;
  readonly taskCount: number;
  readonly tasks: readonly string[] | undefined;
  /** The id of each request, in request order. */
  readonly requestIds: readonly RequestId[];
  /** The eq 12 score of each row. */
  readonly scores: StridedColumn;
  /** The 0/1 labels of each task. */
  readonly labels: readonly StridedColumn[];
  /** 1 for a cold ("fresh") row; `undefined` when the input had no `isCold`. */
  readonly isCold: StridedColumn | undefined;
  readonly order: Int32Array;
  readonly offsets: Int32Array;
}

/** True when `value` is a {@link RankingSet} (built by any copy of this package). */
export function isRankingSet(value: unknown): value is RankingSet {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'thaw.RankingSet';
}

function assertBinaryColumn(column: StridedColumn, name: string): void {
  for (let i = 0; i < column.length; i++) {
    const v = columnAt(column, i);
    if (v !== 0 && v !== 1) throw new RangeError(`rankingSet: ${name}[${i}] must be 0 or 1 (got ${v})`);
  }
}

function resolveScores(input: RankingColumns, rows: number): StridedColumn {
  if (input.scores === undefined) {
    const hint =
      'probs' in input
        ? 'combine the task probabilities into the eq 12 score first (utilityScores of @thaw/model) and pass it as scores'
        : 'pass the eq 12 score of every row';
    throw new TypeError(`rankingSet: scores is required; ${hint}`);
  }
  const data = readVector(input.scores, 'rankingSet: scores');
  if (data.length !== rows) throw new RangeError(`rankingSet: scores has ${data.length} rows but labels has ${rows}`);
  const column: StridedColumn = { data, offset: 0, stride: 1, length: data.length };
  for (let i = 0; i < rows; i++) {
    if (Number.isNaN(columnAt(column, i))) throw new RangeError(`rankingSet: the score of row ${i} is NaN`);
  }
  return column;
}

function readRequestIds(input: RankingColumns['requestId'], rows: number): ArrayLike<RequestId> {
  const ids = isTensor(input) ? (input.data as ArrayLike<number | bigint>) : input;
  if (ids === null || typeof ids !== 'object' || typeof ids.length !== 'number') {
    throw new TypeError('rankingSet: requestId must be an array, a typed array or a Tensor');
  }
  if (ids.length !== rows) throw new RangeError(`rankingSet: requestId has ${ids.length} rows but labels has ${rows}`);
  return ids as ArrayLike<RequestId>;
}

/** Groups rows by request id (first-appearance order, rows stable within a request) in O(N). */
export function groupRows(ids: ArrayLike<RequestId>): { order: Int32Array; offsets: Int32Array; requestIds: RequestId[] } {
  const indexOf = new Map<RequestId, number>();
  const requestIds: RequestId[] = [];
  const requestOfRow = new Int32Array(ids.length);
  const counts: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as RequestId;
    let request = indexOf.get(id);
    if (request === undefined) {
      request = requestIds.length;
      indexOf.set(id, request);
      requestIds.push(id);
      counts.push(0);
    }
    requestOfRow[i] = request;
    counts[request] = (counts[request] as number) + 1;
  }
  const offsets = new Int32Array(requestIds.length + 1);
  for (let r = 0; r < requestIds.length; r++) offsets[r + 1] = (offsets[r] as number) + (counts[r] as number);
  const cursor = offsets.slice(0, requestIds.length);
  const order = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const request = requestOfRow[i] as number;
    order[cursor[request] as number] = i;
    cursor[request] = (cursor[request] as number) + 1;
  }
  return { order, offsets, requestIds };
}

/**
 * Builds a {@link RankingSet} from columns: validates them (0/1 labels and `isCold`, no NaN
 * score, matching lengths) and groups rows by request in O(N).
 *
 * @throws TypeError when `scores` is missing; RangeError for mismatched lengths, non-binary labels
 * or a NaN score.
 * @example
 * ```ts
 * const set = rankingColumnsSet({ requestId: [1, 1, 2, 2], scores: [0.9, 0.1, 0.3, 0.8], labels: [0, 1, 0, 1] });
 * set.requestCount; // 2
 * ```
 */
export function rankingColumnsSet(input: RankingColumns): RankingSet {
  const labels = readColumns(input.labels, 'rankingSet: labels');
  const rows = labels[0]?.length ?? 0;
  const taskCount = labels.length;
  if (input.tasks !== undefined && input.tasks.length !== taskCount) {
    throw new RangeError(`rankingSet: tasks names ${input.tasks.length} tasks but labels has ${taskCount} columns`);
  }
  labels.forEach((column, t) => {
    assertBinaryColumn(column, `labels (task ${input.tasks?.[t] ?? t}) row`);
  });
  const scores = resolveScores(input, rows);
  let isCold: StridedColumn | undefined;
  if (input.isCold !== undefined) {
    const data = readVector(input.isCold, 'rankingSet: isCold');
    if (data.length !== rows) throw new RangeError(`rankingSet: isCold has ${data.length} rows but labels has ${rows}`);
    isCold = { data, offset: 0, stride: 1, length: rows };
    assertBinaryColumn(isCold, 'isCold');
  }
  const { order, offsets, requestIds } = groupRows(readRequestIds(input.requestId, rows));
  return {
    kind: 'thaw.RankingSet',
    rowCount: rows,
    requestCount: requestIds.length,
    taskCount,
    tasks: input.tasks,
    requestIds,
    scores,
    labels,
    isCold,
    order,
    offsets,
  };
}

/**
 * A {@link RankingSet} holding the requests `indices` of `set`, in that order (a request may
 * repeat, as in a bootstrap resample). Columns are shared; only the row index is rebuilt.
 *
 * @throws RangeError for an index outside `[0, set.requestCount)`.
 * @example `selectRequests(set, [0, 0, 2])` — request 0 twice, then request 2.
 */
export function selectRequests(set: RankingSet, indices: ArrayLike<number>): RankingSet {
  const offsets = new Int32Array(indices.length + 1);
  for (let k = 0; k < indices.length; k++) {
    const r = indices[k] as number;
    if (!Number.isInteger(r) || r < 0 || r >= set.requestCount) {
      throw new RangeError(`selectRequests: indices[${k}] must be a request index in [0, ${set.requestCount}) (got ${r})`);
    }
    offsets[k + 1] = (offsets[k] as number) + (set.offsets[r + 1] as number) - (set.offsets[r] as number);
  }
  const order = new Int32Array(offsets[indices.length] as number);
  const requestIds: RequestId[] = new Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const r = indices[k] as number;
    order.set(set.order.subarray(set.offsets[r], set.offsets[r + 1]), offsets[k]);
    requestIds[k] = set.requestIds[r] as RequestId;
  }
  return { ...set, requestCount: indices.length, requestIds, order, offsets };
}
