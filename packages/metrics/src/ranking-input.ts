import type { MatrixInput, NumericInput } from './numeric-input.js';
import { readVector } from './numeric-input.js';
import { isRankingSet, type RankingColumns, type RankingSet, type RequestId, rankingColumnsSet } from './ranking-set.js';
import { taskColumns } from './task-columns.js';

/**
 * One request's candidates, for callers that hold data per request, with their eq 12 `scores`
 * (`utilityScores` of `@thaw/model` combines task probabilities into them).
 */
export interface RankingRequest {
  /** Defaults to the request's position in the list. */
  readonly id?: RequestId;
  /** 0/1 labels `[n, T]` of the candidates. */
  readonly labels: MatrixInput;
  /** The eq 12 score of each candidate. */
  readonly scores: NumericInput;
  /** 1 for a cold ("fresh") candidate. Give it for every request or for none. */
  readonly isCold?: NumericInput;
}

/** Settings shared by all requests of a `RankingRequest[]`: the task names. */
export interface RankingShared {
  readonly tasks?: readonly string[];
}

/** Anything the ranking metrics accept: a built {@link RankingSet}, columns, or a list of requests. */
export type RankingInput = RankingSet | RankingColumns | readonly RankingRequest[];

function concatColumns(parts: readonly (readonly ArrayLike<number>[])[], rows: number, width: number): Float64Array[] {
  const out = Array.from({ length: width }, () => new Float64Array(rows));
  let offset = 0;
  for (const part of parts) {
    part.forEach((column, t) => {
      (out[t] as Float64Array).set(column, offset);
    });
    offset += part[0]?.length ?? 0;
  }
  return out;
}

function fromRequests(requests: readonly RankingRequest[], shared: RankingShared): RankingSet {
  const withCold = requests.filter((request) => request.isCold !== undefined).length;
  if (withCold !== 0 && withCold !== requests.length) {
    throw new TypeError(`rankingSet: ${withCold} of ${requests.length} requests have isCold; give it for every request or none`);
  }
  const labels: ArrayLike<number>[][] = [];
  const scores: ArrayLike<number>[][] = [];
  const cold: ArrayLike<number>[][] = [];
  const requestOfRow: number[] = [];
  requests.forEach((request, r) => {
    const name = `rankingSet: requests[${r}]`;
    const y = taskColumns(request.labels, `${name}.labels`);
    const n = y[0]?.length ?? 0;
    if (r > 0 && y.length !== labels[0]?.length) {
      throw new RangeError(`${name}.labels has ${y.length} tasks but requests[0].labels has ${labels[0]?.length}`);
    }
    labels.push(y);
    if (request.scores === undefined) {
      throw new TypeError(
        `${name}.scores is required; combine task probabilities into the eq 12 score first (utilityScores of @thaw/model)`,
      );
    }
    const s = readVector(request.scores, `${name}.scores`);
    if (s.length !== n) throw new RangeError(`${name} has ${n} labels but ${s.length} scores`);
    scores.push([s]);
    if (request.isCold !== undefined) cold.push([readVector(request.isCold, `${name}.isCold`)]);
    for (let i = 0; i < n; i++) requestOfRow.push(r);
  });
  const rows = requestOfRow.length;
  const taskCount = labels[0]?.length ?? 1;
  const set = rankingColumnsSet({
    requestId: Int32Array.from(requestOfRow),
    labels: concatColumns(labels, rows, taskCount),
    scores: concatColumns(scores, rows, 1)[0] as Float64Array,
    ...(withCold > 0 ? { isCold: concatColumns(cold, rows, 1)[0] as Float64Array } : {}),
    ...(shared.tasks !== undefined ? { tasks: shared.tasks } : {}),
  });
  // Every request keeps its place (even an empty one) and its own id.
  const offsets = new Int32Array(requests.length + 1);
  labels.forEach((y, r) => {
    offsets[r + 1] = (offsets[r] as number) + (y[0]?.length ?? 0);
  });
  const requestIds = requests.map((request, r) => request.id ?? r);
  return { ...set, requestCount: requests.length, requestIds, offsets };
}

/**
 * Builds the {@link RankingSet} every ranking metric reads, from columns (one row per
 * candidate, with `requestId`) or from a list of requests. Build it once when you compute several
 * metrics on the same predictions.
 *
 * @param shared for a request list: the task names.
 * @throws TypeError / RangeError naming the offending argument (see `RankingColumns`).
 * @example
 * ```ts
 * const set = rankingSet([
 *   { scores: [0.9, 0.2, 0.4], labels: [0, 0, 1], isCold: [0, 1, 1] },
 *   { scores: [0.1, 0.7], labels: [1, 0], isCold: [1, 0] },
 * ]);
 * hitsAtK(set, 1); // 0: no request has its positive ranked first
 * ```
 */
export function rankingSet(input: RankingInput, shared: RankingShared = {}): RankingSet {
  if (isRankingSet(input)) return input;
  if (Array.isArray(input)) return fromRequests(input as readonly RankingRequest[], shared);
  return rankingColumnsSet(input as RankingColumns);
}
