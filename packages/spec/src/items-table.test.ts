import { describe, expect, it } from 'vitest';
import { demoSpec, demoSpecInput } from './examples/index.js';
import { hashToBucket } from './hash-id.js';
import { coldItemValues, itemSourceFeatures, readItemsTable, writeItemsTable } from './items-table.js';
import { specHash } from './spec-hash.js';
import { validateSpec } from './validate.js';

/** Two demo items: item-source features are item_id, item_stats (7), item_content (16), item_category, item_age (1). */
function twoItems() {
  return {
    itemIds: ['pin-a', 'pin-b'],
    features: {
      item_id: [hashToBucket('pin-a', 8192), hashToBucket('pin-b', 8192)],
      item_stats: Array.from({ length: 14 }, (_, k) => k / 4),
      item_content: Array.from({ length: 32 }, (_, k) => -k),
      item_category: [3, 24],
      item_age: [0.5, 3.25],
    },
    cold: [true, false],
    asOf: 'day 27',
  };
}

describe('items table', () => {
  it('holds exactly the item-source features, in spec order', () => {
    expect(itemSourceFeatures(demoSpec).map((f) => f.name)).toEqual([
      'item_id',
      'item_stats',
      'item_content',
      'item_category',
      'item_age',
    ]);
  });

  it('lays the bytes out as documented: magic, header length, JSON header, 8-aligned little-endian columns', () => {
    const bytes = writeItemsTable(demoSpec, twoItems());
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('THAWITEM');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const headerLength = view.getUint32(8, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
    expect(header).toMatchObject({
      format: 'thaw-items',
      formatVersion: 1,
      specHash: specHash(demoSpec),
      count: 2,
      asOf: 'day 27',
    });
    const body = Math.ceil((12 + headerLength) / 8) * 8;
    const stats = header.columns.find((c: { name: string }) => c.name === 'item_stats');
    expect(stats).toMatchObject({ dtype: 'float32', width: 7, byteLength: 56 });
    expect(stats.offset % 8).toBe(0);
    // item_stats row 1, column 2 is value k = 9 → 9 / 4
    expect(view.getFloat32(body + stats.offset + 9 * 4, true)).toBe(2.25);
    const category = header.columns.find((c: { name: string }) => c.name === 'item_category');
    expect(view.getInt32(body + category.offset + 4, true)).toBe(24);
    expect(Array.from(bytes.subarray(body + header.cold.offset, body + header.cold.offset + 2))).toEqual([1, 0]);
  });

  it('reads back what was written and finds items by id', () => {
    const input = twoItems();
    const table = readItemsTable(writeItemsTable(demoSpec, input), demoSpec);
    expect(table.count).toBe(2);
    expect(table.rowOf('pin-b')).toBe(1);
    expect(table.rowOf('pin-new')).toBeUndefined();
    expect(Array.from(table.columns.item_content?.data ?? [])).toEqual(input.features.item_content);
    expect(table.columns.item_content?.width).toBe(16);
    expect(Array.from(table.columns.item_id?.data ?? [])).toEqual(input.features.item_id);
    expect(Array.from(table.cold)).toEqual([1, 0]);
    expect(table.asOf).toBe('day 27');
  });

  it('reads from a view into a larger buffer (a Node Buffer from the shared pool)', () => {
    const bytes = writeItemsTable(demoSpec, twoItems());
    const pool = new Uint8Array(bytes.byteLength + 13);
    pool.set(bytes, 5);
    const table = readItemsTable(Buffer.from(pool.buffer, 5, bytes.byteLength), demoSpec);
    expect(table.columns.item_id?.data.length).toBe(2);
    expect(Array.from(table.columns.item_age?.data ?? [])).toEqual([0.5, 3.25]);
  });

  it('names what is wrong when writing', () => {
    const good = twoItems();
    expect(() => writeItemsTable(demoSpec, { ...good, itemIds: ['x', 'x'] })).toThrow("itemIds[1] 'x' appears twice");
    const { item_age: _, ...missing } = good.features;
    expect(() => writeItemsTable(demoSpec, { ...good, features: missing })).toThrow("features['item_age'] is missing");
    expect(() => writeItemsTable(demoSpec, { ...good, features: { ...good.features, item_age: [1] } })).toThrow(
      "features['item_age'] must hold 2 values (2 items × 1; got 1)",
    );
    expect(() => writeItemsTable(demoSpec, { ...good, features: { ...good.features, item_category: [3, 25] } })).toThrow(
      "features['item_category'][1] must be a row in [0, 25) from encodeCategorical (got 25)",
    );
    expect(() => writeItemsTable(demoSpec, { ...good, features: { ...good.features, item_age: [1, Number.NaN] } })).toThrow(
      "features['item_age'][1] must be a finite number (got NaN)",
    );
    expect(() => writeItemsTable(demoSpec, { ...good, features: { ...good.features, query_content: [] } })).toThrow(
      "features['query_content'] is not an item-source feature",
    );
  });

  it('refuses files it cannot trust, saying why', () => {
    const bytes = writeItemsTable(demoSpec, twoItems());
    expect(() => readItemsTable(new TextEncoder().encode('{"not":"a table"}'))).toThrow(
      "not a thaw items table (expected the magic 'THAWITEM'",
    );
    expect(() => readItemsTable(bytes.subarray(0, bytes.byteLength - 20))).toThrow('the file is truncated');
    const other = validateSpec({ ...demoSpecInput, name: 'other' });
    expect(() => readItemsTable(bytes, other)).toThrow(/written for spec 'demo' \(hash [0-9a-f]{16}\), not for 'other'/);
    const newer = Uint8Array.from(bytes);
    const text = new TextDecoder().decode(newer.subarray(12, 12 + new DataView(newer.buffer).getUint32(8, true)));
    newer.set(new TextEncoder().encode(text.replace('"formatVersion":1', '"formatVersion":9')), 12);
    expect(() => readItemsTable(newer)).toThrow('formatVersion 9 is not supported (this reader knows 1)');
  });

  it('fills an unknown item as a cold one: dense fill (else zeros), OOV category, id hashed from the item id', () => {
    const filled = validateSpec({
      ...demoSpecInput,
      features: demoSpecInput.features.map((f) => (f.name === 'item_stats' ? { ...f, fill: [0, 1, 2, 3, 4, 5, 6] } : f)),
    });
    const values = coldItemValues(filled, 'pin-new');
    expect(values.item_stats).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(values.item_content).toEqual(new Array(16).fill(0));
    expect(values.item_category).toBe(24);
    expect(values.item_id).toBe(hashToBucket('pin-new', 8192));
    expect(Object.keys(values)).not.toContain('user_history');
  });
});
