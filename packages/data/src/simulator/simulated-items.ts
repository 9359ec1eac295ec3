import { hashToBucket, type ModelSpec } from '@thaw/spec';
import type { FeatureWriter, FrameBuilder } from '../frame/frame-builder.js';
import { itemAgeFeature } from '../frame/item-age.js';
import { HistoryState } from '../history/history-state.js';
import { checkAsOf, type ItemSnapshot, ItemSnapshotBuilder } from '../snapshot/item-snapshot.js';
import type { SimulatedWorld } from './world.js';

/** Every impression of a simulation, warm-up included, in time order: what item history is made of. */
export interface ImpressionLog {
  readonly time: Float64Array;
  /** The user each impression was shown to. */
  readonly user: Int32Array;
  readonly item: Int32Array;
  /** grid-click, save, click per impression (3 per row). */
  readonly labels: Uint8Array;
}

/** The item-history tallies of the simulator: 3 labels, `historySmoothing` pseudo-count. */
export function simulatedItemHistory(smoothing: number): HistoryState {
  return new HistoryState({ labels: 3, smoothing });
}

/**
 * Encodes the item-source features of simulated items — `item_id` (hashed), `item_stats` (from a
 * history tally), `item_content`, `item_category`, `item_age` — for frame rows and snapshots alike.
 */
export class SimulatedItems {
  private readonly bucket: Int32Array;
  private readonly stats: Float64Array;

  constructor(
    readonly world: SimulatedWorld,
    readonly itemBuckets: number,
    readonly smoothing: number,
  ) {
    this.bucket = new Int32Array(world.itemCount).fill(-1);
    this.stats = new Float64Array(simulatedItemHistory(smoothing).statsWidth);
  }

  /** Writes item `item`'s features seen at time `at`, its history as recorded so far in `history`. */
  write(out: FeatureWriter, row: number, item: number, at: number, history: HistoryState): void {
    const { world } = this;
    if (this.bucket[item] === -1) this.bucket[item] = hashToBucket(item, this.itemBuckets);
    out.setIndex('item_id', row, this.bucket[item] as number);
    history.writeStats(item, this.stats, 0);
    out.setDense('item_stats', row, this.stats);
    out.setDense('item_content', row, world.itemContent, item * world.d);
    out.setIndex('item_category', row, world.itemCategory[item] as number);
    out.setDenseAt('item_age', row, 0, itemAgeFeature(at, world.itemCreatedAt[item] as number));
  }

  /**
   * Writes one candidate row of a request into `builder`: its keys and times, the item's features
   * as of `request.time` (history as recorded in `history`), the user's profile `profile`
   * (`user_history`) and the query item's content (`query_content`) — the row layout shared by
   * the logged frame, the oracle's candidates and the online A/B environment.
   */
  writeCandidate(
    builder: FrameBuilder,
    row: number,
    request: { readonly requestId: number; readonly user: number; readonly query: number; readonly time: number },
    item: number,
    history: HistoryState,
    profile: ArrayLike<number>,
  ): void {
    const { world } = this;
    builder.setMeta(row, {
      requestId: request.requestId,
      itemId: item,
      userId: request.user,
      timestamp: request.time,
      itemCreatedAt: world.itemCreatedAt[item] as number,
    });
    this.write(builder, row, item, request.time, history);
    builder.setDense('user_history', row, profile);
    builder.setDense('query_content', row, world.itemContent, request.query * world.d);
  }

  /**
   * Every item created strictly before `asOf`, with `item_stats` from every impression strictly
   * before `asOf` (warm-up included) and `item_age` at `asOf`. One pass over the log.
   */
  snapshot(spec: ModelSpec, log: ImpressionLog, asOf: number): ItemSnapshot {
    checkAsOf(asOf, 'itemSnapshot');
    const { world } = this;
    const history = simulatedItemHistory(this.smoothing);
    for (let e = 0; e < log.time.length && (log.time[e] as number) < asOf; e++) {
      history.record(log.item[e] as number, log.labels.subarray(3 * e, 3 * e + 3));
    }
    let count = 0;
    while (count < world.itemCount && (world.itemCreatedAt[count] as number) < asOf) count++;
    const snapshot = new ItemSnapshotBuilder(spec, asOf, count);
    for (let item = 0; item < count; item++) {
      const row = snapshot.add(item, String(item), world.itemCreatedAt[item] as number);
      this.write(snapshot.writer, row, item, asOf, history);
    }
    return snapshot.build();
  }
}
