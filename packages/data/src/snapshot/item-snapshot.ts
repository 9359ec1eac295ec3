import { itemSourceFeatures, type ModelSpec } from '@thaw/spec';
import type { FeatureColumn } from '../frame/feature-frame.js';
import { type FeatureWriter, FrameBuilder } from '../frame/frame-builder.js';
import { coldMask } from '../frame/item-age.js';

/**
 * The item-source features of every item as of one time — what a serving items table holds
 * (`writeItemsTable` of `@thaw/spec`). Made by `Simulation.itemSnapshot`,
 * `MovieLensData.itemSnapshot` (recomputed from the event log) or `itemSnapshotFromRows` (each
 * item's latest frame row, for sources without an event log).
 */
export interface ItemSnapshot {
  /** The time the features describe, seconds since the epoch. */
  readonly asOf: number;
  /** Number of items. */
  readonly size: number;
  /** Item keys as the frame's rows name them: `frame.keys.item[id]`, else `String(id)`. */
  readonly itemIds: string[];
  /** The frame's integer item id of each item (`frame.itemId` values). */
  readonly itemId: Int32Array;
  /**
   * Every item-source feature of the spec (`itemSourceFeatures`), row-major and encoded exactly
   * like the frame's columns: dense float32 `size × dim`, categorical and id int32 `size`.
   */
  readonly features: Record<string, FeatureColumn>;
  /** Creation time of each item, seconds since the epoch (≤ `asOf`). */
  readonly createdAt: Float64Array;
  /** 1 when the item is cold ("fresh") at `asOf`: age < `spec.coldStart.coldDays`. */
  readonly cold: Uint8Array;
}

/** Throws unless `asOf` is a finite time. */
export function checkAsOf(asOf: number, caller: string): void {
  if (typeof asOf !== 'number' || !Number.isFinite(asOf)) {
    throw new RangeError(`${caller}: asOf must be a finite time in seconds since the epoch (got ${asOf})`);
  }
}

/**
 * Collects the rows of an {@link ItemSnapshot}: one per item, its features written through
 * {@link ItemSnapshotBuilder.writer} with the same functions that write frame rows.
 */
export class ItemSnapshotBuilder {
  private readonly columns: FrameBuilder;
  private readonly keys: string[] = [];

  constructor(
    readonly spec: ModelSpec,
    readonly asOf: number,
    capacity = 1024,
  ) {
    this.columns = new FrameBuilder({ ...spec, features: itemSourceFeatures(spec), tasks: [] }, { capacity });
  }

  /** Writes the item-source features of a row added by {@link ItemSnapshotBuilder.add}. */
  get writer(): FeatureWriter {
    return this.columns;
  }

  /** Adds an item and returns its row. */
  add(itemId: number, key: string, createdAt: number): number {
    const row = this.columns.addRow();
    this.columns.setMeta(row, { requestId: 0, itemId, userId: 0, timestamp: this.asOf, itemCreatedAt: createdAt });
    this.keys.push(key);
    return row;
  }

  build(): ItemSnapshot {
    const columns = this.columns.build();
    return {
      asOf: this.asOf,
      size: columns.size,
      itemIds: this.keys,
      itemId: columns.itemId,
      features: { ...columns.features },
      createdAt: columns.itemCreatedAt,
      cold: coldMask(columns, this.spec.coldStart.coldDays),
    };
  }
}
