import type { ClusterIds } from './bootstrap-engine.js';
import { type RankingInput, rankingSet } from './ranking-input.js';

/**
 * The cluster id of each request of a ranking set, from a per-row column (e.g. the user of each
 * evaluation row, aligned with the set's `requestId` column): what the bootstraps' `clusters`
 * option takes. Every row of a request must carry the same id.
 *
 * @param rowClusters one id per row of the set's columns.
 * @returns one id per request, in the set's request order.
 * @throws RangeError when the column length differs from the set's rows, or a request spans two clusters.
 * @example
 * ```ts
 * const users = requestClusters(set, evaluationRows.map((row) => frame.userId[row]));
 * bootstrapInterval(hitsAtKPerRequest(set, 3), { clusters: users });
 * ```
 */
export function requestClusters(requests: RankingInput, rowClusters: ClusterIds): (number | bigint | string)[] {
  const set = rankingSet(requests);
  if (rowClusters.length !== set.rowCount) {
    throw new RangeError(
      `requestClusters: rowClusters has ${rowClusters.length} entries but the set has ${set.rowCount} rows; give one cluster id per row`,
    );
  }
  const out: (number | bigint | string)[] = new Array(set.requestCount);
  for (let r = 0; r < set.requestCount; r++) {
    const first = rowClusters[set.order[set.offsets[r] as number] as number] as number | bigint | string;
    for (let i = (set.offsets[r] as number) + 1; i < (set.offsets[r + 1] as number); i++) {
      const id = rowClusters[set.order[i] as number];
      if (id !== first) {
        throw new RangeError(
          `requestClusters: request ${String(set.requestIds[r])} has rows in clusters ${String(first)} and ${String(id)}; a request must belong to one cluster (e.g. one user)`,
        );
      }
    }
    out[r] = first;
  }
  return out;
}
