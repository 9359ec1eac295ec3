import { HistoryState } from '../history/history-state.js';
import { type ImpressionLog, simulatedItemHistory } from './simulated-items.js';
import type { SimulatedWorld } from './world.js';

/**
 * Everything the simulated surface remembers of past impressions — what its historical features,
 * its engagement retrieval source and its query sampling read:
 * - `items`: per-item impression and positive tallies (`item_stats`, the logging policy's CTR and
 *   popularity), 3 labels, `historySmoothing` pseudo-count;
 * - `users`: per-user mean content of grid-clicked items (`user_history`);
 * - `engaged`: a ring buffer of the most recent grid-clicked items (`engagementBuffer` slots).
 *
 * `record` applies one impression's outcome; the simulator calls it for every shown item once the
 * impression's instant has passed (the as-of rule), and `clone` gives each arm of an online A/B
 * test its own copy of a shared warm-up.
 *
 * @example
 * ```ts
 * const history = new SimulationHistory(world, { historySmoothing: 20, engagementBuffer: 2048 });
 * history.record(user, item, [1, 0, 0]); // a grid-click: tallies, the user's profile, the ring
 * ```
 */
export class SimulationHistory {
  readonly items: HistoryState;
  readonly users: HistoryState;
  /** Recent grid-clicked items (ring buffer); slots `[0, engagedCount)` are filled. */
  readonly engaged: Int32Array;
  private count = 0;
  private next = 0;

  constructor(
    readonly world: SimulatedWorld,
    options: { readonly historySmoothing: number; readonly engagementBuffer: number },
    state?: { items: HistoryState; users: HistoryState; engaged: Int32Array; count: number; next: number },
  ) {
    this.items = state?.items ?? simulatedItemHistory(options.historySmoothing);
    this.users = state?.users ?? new HistoryState({ labels: 0, profileDim: world.d });
    this.engaged = state?.engaged ?? new Int32Array(options.engagementBuffer);
    this.count = state?.count ?? 0;
    this.next = state?.next ?? 0;
  }

  /** Filled slots of the ring buffer. */
  get engagedCount(): number {
    return this.count;
  }

  /**
   * Records one impression of `item` shown to `user` with its 0/1 labels (grid-click, save,
   * click): the item's tallies; on a grid-click also the user's profile and the ring buffer.
   */
  record(user: number, item: number, labels: ArrayLike<number>): void {
    this.items.record(item, labels);
    if (labels[0] === 1) {
      this.users.recordProfile(user, this.world.itemContent, item * this.world.d);
      this.engaged[this.next] = item;
      this.next = (this.next + 1) % this.engaged.length;
      this.count = Math.min(this.count + 1, this.engaged.length);
    }
  }

  /** An independent copy (tallies, profiles, ring buffer and its position). */
  clone(): SimulationHistory {
    return new SimulationHistory(
      this.world,
      { historySmoothing: this.items.smoothing, engagementBuffer: this.engaged.length },
      {
        items: this.items.clone(),
        users: this.users.clone(),
        engaged: this.engaged.slice(),
        count: this.count,
        next: this.next,
      },
    );
  }
}

/**
 * Replays the impressions of `log` shown strictly before `until` (seconds since the epoch) into
 * `history`, in log order — the state the simulator's features had at `until`.
 *
 * @returns the number of impressions replayed.
 * @example `replayImpressions(new SimulationHistory(sim.world, sim.options), sim.impressions, abStart)`
 */
export function replayImpressions(history: SimulationHistory, log: ImpressionLog, until: number): number {
  let e = 0;
  for (; e < log.time.length && (log.time[e] as number) < until; e++) {
    history.record(log.user[e] as number, log.item[e] as number, log.labels.subarray(3 * e, 3 * e + 3));
  }
  return e;
}
