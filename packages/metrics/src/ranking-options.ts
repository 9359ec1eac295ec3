import type { RankingSet } from './ranking-set.js';

/** Which candidates a ranking metric counts: every one, or only cold ("fresh") ones. */
export type Slice = 'all' | 'fresh';

/**
 * Options shared by `hitsAtK`, `ndcgAtK` and `recallAtK`.
 *
 * The paper's "Hits@3 on fresh Pins" is `{ slice: 'fresh' }`: all candidates are ranked by the
 * eq 12 score (fresh items compete with warm ones, as in serving), and only fresh positives count
 * as hits; requests without a fresh positive are left out. `{ slice: 'fresh', rankAmong: 'slice' }`
 * is the documented alternative that ranks the fresh candidates among themselves.
 */
export interface RankingOptions {
  /** Task index, or name when the set has task names (default 0). */
  readonly task?: number | string;
  /** `'all'` (default) or `'fresh'` (needs `isCold`). */
  readonly slice?: Slice;
  /** Rank `'all'` candidates (default) or only the `'slice'`'s candidates. */
  readonly rankAmong?: 'all' | 'slice';
}

/** The resolved form of {@link RankingOptions}. */
export interface ResolvedRankingOptions {
  readonly task: number;
  readonly freshOnly: boolean;
  readonly rankSliceOnly: boolean;
}

/**
 * Resolves the task name/index and checks the slice against the set.
 *
 * @throws RangeError for an unknown task; TypeError for the fresh slice without `isCold`, or an
 * unknown slice.
 */
export function resolveRankingOptions(fn: string, set: RankingSet, options: RankingOptions): ResolvedRankingOptions {
  const requested = options.task ?? 0;
  let task: number;
  if (typeof requested === 'string') {
    task = set.tasks?.indexOf(requested) ?? -1;
    if (task < 0) {
      throw new RangeError(
        `${fn}: options.task '${requested}' is not a task of the set (tasks: ${set.tasks ? set.tasks.join(', ') : 'unnamed; pass tasks or use an index'})`,
      );
    }
  } else {
    task = requested;
    if (!Number.isInteger(task) || task < 0 || task >= set.taskCount) {
      throw new RangeError(`${fn}: options.task must be a task index in [0, ${set.taskCount}) (got ${task})`);
    }
  }
  const slice = options.slice ?? 'all';
  if (slice !== 'all' && slice !== 'fresh')
    throw new TypeError(`${fn}: options.slice must be 'all' or 'fresh' (got ${String(slice)})`);
  const rankAmong = options.rankAmong ?? 'all';
  if (rankAmong !== 'all' && rankAmong !== 'slice') {
    throw new TypeError(`${fn}: options.rankAmong must be 'all' or 'slice' (got ${String(rankAmong)})`);
  }
  if (slice === 'fresh' && set.isCold === undefined) {
    throw new TypeError(`${fn}: options.slice 'fresh' needs isCold in the ranking data (1 = cold/fresh candidate)`);
  }
  return { task, freshOnly: slice === 'fresh', rankSliceOnly: slice === 'fresh' && rankAmong === 'slice' };
}
