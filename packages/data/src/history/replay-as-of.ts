/** Input of {@link replayAsOf}. */
export interface AsOfReplay {
  /** Time of each event (any unit; only the order matters). */
  readonly eventTimes: ArrayLike<number>;
  /** Time of each query row (an impression whose features are read). */
  readonly queryTimes: ArrayLike<number>;
  /** Adds event `e` to the running state. */
  readonly applyEvent: (e: number) => void;
  /** Reads the features of query `q` from the running state. */
  readonly readQuery: (q: number) => void;
}

function timeOrder(times: ArrayLike<number>): Int32Array {
  const order = Int32Array.from({ length: times.length }, (_, i) => i);
  let sorted = true;
  for (let i = 1; i < times.length && sorted; i++) sorted = (times[i - 1] as number) <= (times[i] as number);
  if (!sorted) order.sort((a, b) => (times[a] as number) - (times[b] as number) || a - b);
  return order;
}

/**
 * The as-of rule for historical features: replays an event log and a set of query rows in time
 * order, so that every query is read after **all events strictly earlier** than it and **before
 * any event at the same time or later**. Events at equal times are applied in input order.
 *
 * MovieLens and CSV/Parquet files loaded whole compute their historical features with it. Two
 * places apply the same rule incrementally instead, because they see events one at a time: the
 * simulator (request by request) and the streaming CSV/Parquet loaders (`FrameRowSink`'s running
 * tallies, committed when the timestamp advances). Tests hold them to the rule: the simulator's
 * features against a brute-force count over its log, a streamed file's history against the same
 * file loaded whole (this replay).
 *
 * @example
 * ```ts
 * replayAsOf({
 *   eventTimes: ratings.time, queryTimes: rows.time,
 *   applyEvent: (e) => items.record(ratings.item[e], [ratings.like[e]]),
 *   readQuery: (q) => items.writeStats(rows.item[q], out, q * items.statsWidth),
 * });
 * ```
 */
export function replayAsOf(replay: AsOfReplay): void {
  const events = timeOrder(replay.eventTimes);
  const queries = timeOrder(replay.queryTimes);
  let next = 0;
  for (let i = 0; i < queries.length; i++) {
    const q = queries[i] as number;
    const t = replay.queryTimes[q] as number;
    while (next < events.length && (replay.eventTimes[events[next] as number] as number) < t) {
      replay.applyEvent(events[next] as number);
      next++;
    }
    replay.readQuery(q);
  }
}
