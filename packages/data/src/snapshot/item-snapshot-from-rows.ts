import { itemSourceFeatures, type ModelSpec } from '@thaw/spec';
import type { FeatureFrame } from '../frame/feature-frame.js';
import { checkAsOf, type ItemSnapshot, ItemSnapshotBuilder } from './item-snapshot.js';

/** Options of {@link itemSnapshotFromRows}. */
export interface ItemSnapshotFromRowsOptions {
  /** The rows to take items from (default: every row), e.g. the training and calibration rows. */
  readonly rows?: ArrayLike<number>;
  /** The time of the snapshot, for the cold flag (default: the latest time among `rows`). */
  readonly asOf?: number;
}

/**
 * The fallback {@link ItemSnapshot} for frames without an event log (CSV, Parquet): each item's
 * item-source feature values copied from its **latest row** among `rows` (ties: the later row).
 *
 * It lags: historical features are as of that impression — its own outcome and every later event
 * are missing, so an item shown once looks as if it had no history — and a time-dependent feature
 * such as the item age stays frozen at that impression. Only `cold` is evaluated at `asOf`. Use
 * `Simulation.itemSnapshot` / `MovieLensData.itemSnapshot`, which recompute the features as of
 * `asOf` from the event log, where you can.
 *
 * @throws TypeError when the frame lacks an item-source feature column of the spec; RangeError for
 * a row outside the frame or an `asOf` earlier than the latest row (it would see later events).
 * @example
 * ```ts
 * const rows = Int32Array.from([...split.rows.train, ...split.rows.calibration]);
 * const items = itemSnapshotFromRows(frame, spec, { rows, asOf: split.windows.calibration.end });
 * ```
 */
export function itemSnapshotFromRows(
  frame: FeatureFrame,
  spec: ModelSpec,
  options: ItemSnapshotFromRowsOptions = {},
): ItemSnapshot {
  const rows = options.rows;
  const n = rows ? rows.length : frame.size;
  const latest = new Map<number, number>();
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const r = rows ? (rows[i] as number) : i;
    if (!Number.isInteger(r) || r < 0 || r >= frame.size) {
      throw new RangeError(`itemSnapshotFromRows: rows[${i}] must be a row in [0, ${frame.size}) (got ${r})`);
    }
    const item = frame.itemId[r] as number;
    const t = frame.timestamp[r] as number;
    const seen = latest.get(item);
    if (seen === undefined || t >= (frame.timestamp[seen] as number)) latest.set(item, r);
    last = Math.max(last, t);
  }
  const asOf = options.asOf ?? (n > 0 ? last : 0);
  checkAsOf(asOf, 'itemSnapshotFromRows');
  if (asOf < last) {
    throw new RangeError(
      `itemSnapshotFromRows: asOf (${asOf}) is before the latest row (${last}); pass only rows up to asOf, or a later asOf`,
    );
  }
  const features = itemSourceFeatures(spec);
  for (const f of features) {
    if (!frame.features[f.name]) {
      throw new TypeError(`itemSnapshotFromRows: the frame has no column for item-source feature ${JSON.stringify(f.name)}`);
    }
  }
  const items = [...latest.keys()].sort((a, b) => a - b);
  const snapshot = new ItemSnapshotBuilder(spec, asOf, items.length);
  for (const item of items) {
    const r = latest.get(item) as number;
    const row = snapshot.add(item, frame.keys?.item?.[item] ?? String(item), frame.itemCreatedAt[r] as number);
    for (const f of features) {
      const column = frame.features[f.name] as Float32Array | Int32Array;
      if (f.kind === 'dense') snapshot.writer.setDense(f.name, row, column, r * f.dim);
      else snapshot.writer.setIndex(f.name, row, column[r] as number);
    }
  }
  return snapshot.build();
}
