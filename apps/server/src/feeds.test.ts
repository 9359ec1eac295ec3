import {
  coldItemValues,
  demoSpecInput,
  encodeCategorical,
  type ModelSpec,
  readItemsTable,
  validateSpec,
  writeItemsTable,
} from '@thaw/spec';
import { createRng } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { FeedBuilder } from './feeds.js';
import { parseRankRequest, rankRequestSchema } from './rank-request.js';

// The demo spec with a cold-item fill for item_stats, and a 3-item table written out by hand.
const spec: ModelSpec = validateSpec({
  ...demoSpecInput,
  features: demoSpecInput.features.map((f) =>
    f.name === 'item_stats' ? { ...f, fill: [0.5, -0.25, 0, 0.125, 1, -1, 0.75] } : f,
  ),
});
const itemIds = ['a', 'b', 'c'];
const content = (i: number) => Array.from({ length: 16 }, (_, j) => i + j / 16);
const stats = (i: number) => Array.from({ length: 7 }, (_, j) => -i - j / 8);
const table = readItemsTable(
  writeItemsTable(spec, {
    itemIds,
    features: {
      item_id: [11, 22, 33],
      item_stats: itemIds.flatMap((_, i) => stats(i)),
      item_content: itemIds.flatMap((_, i) => content(i)),
      item_category: [3, 0, 24],
      item_age: [0.5, 1.5, 2.5],
    },
    cold: [0, 1, 0],
    asOf: 'test',
  }),
  spec,
);
const schema = rankRequestSchema(spec);
const context = { user_history: new Array(16).fill(0.25), query_content: new Array(16).fill(-0.5) };
const parse = (candidates: unknown[]) => parseRankRequest(schema, { context, candidates }, { maxCandidates: 10 });
const rowOf = (data: ArrayLike<number | bigint>, i: number, width: number) =>
  Array.from({ length: width }, (_, j) => Number(data[i * width + j]));

describe('FeedBuilder', () => {
  const builder = new FeedBuilder(spec, table);

  it('fills known items from the table (int columns as int64), unknown ones as coldItemValues, context on every row', () => {
    const { feeds, cold } = builder.build(parse([{ itemId: 'c' }, { itemId: 'new-1' }, { itemId: 'b' }]));
    expect(Array.from(cold)).toEqual([0, 1, 1]);
    expect(feeds.item_id?.dtype).toBe('int64');
    const expectedCold = coldItemValues(spec, 'new-1');
    expect(rowOf(feeds.item_id?.data as BigInt64Array, 0, 1)).toEqual([33]);
    expect(rowOf(feeds.item_id?.data as BigInt64Array, 1, 1)).toEqual([expectedCold.item_id]);
    expect(rowOf(feeds.item_category?.data as BigInt64Array, 1, 1)).toEqual([expectedCold.item_category]);
    expect(rowOf(feeds.item_category?.data as BigInt64Array, 2, 1)).toEqual([0]);
    expect(rowOf(feeds.item_stats?.data as Float32Array, 0, 7)).toEqual(stats(2).map(Math.fround));
    expect(rowOf(feeds.item_stats?.data as Float32Array, 1, 7)).toEqual(expectedCold.item_stats);
    expect(rowOf(feeds.item_content?.data as Float32Array, 1, 16)).toEqual(expectedCold.item_content);
    for (let i = 0; i < 3; i++) expect(rowOf(feeds.query_content?.data as Float32Array, i, 16)).toEqual(context.query_content);
    expect(feeds.item_stats?.shape).toEqual([3, 7]);
  });

  it('inline values override a row and never leak into the cold template of later requests', () => {
    const inline = Array.from({ length: 16 }, (_, j) => -j);
    const first = builder.build(
      parse([
        { itemId: 'new-1', features: { item_content: inline, item_category: 5 } },
        { itemId: 'a', features: { item_age: [9] } },
      ]),
    );
    expect(rowOf(first.feeds.item_content?.data as Float32Array, 0, 16)).toEqual(inline);
    expect(rowOf(first.feeds.item_category?.data as BigInt64Array, 0, 1)).toEqual([5]);
    expect(rowOf(first.feeds.item_age?.data as Float32Array, 1, 1)).toEqual([9]);
    expect(rowOf(first.feeds.item_content?.data as Float32Array, 1, 16)).toEqual(content(0));
    const second = builder.build(parse([{ itemId: 'new-2' }]));
    const expectedCold = coldItemValues(spec, 'new-2');
    expect(rowOf(second.feeds.item_content?.data as Float32Array, 0, 16)).toEqual(expectedCold.item_content);
    expect(rowOf(second.feeds.item_category?.data as BigInt64Array, 0, 1)).toEqual([expectedCold.item_category]);
    expect(rowOf(second.feeds.item_stats?.data as Float32Array, 0, 7)).toEqual(expectedCold.item_stats);
  });

  it('equals a column-by-column reference on 600 random candidates (known, unknown, repeated, inline, cold flags)', () => {
    // A bigger table (records of many rows) read straight from its columns, candidate by candidate.
    const rng = createRng(3);
    const count = 257;
    const ids = Array.from({ length: count }, (_, i) => `item-${i}-${'x'.repeat(i % 5)}`);
    const category = spec.features.find((f) => f.name === 'item_category');
    if (category?.kind !== 'categorical') throw new Error('demo spec: item_category is categorical');
    const columns = {
      item_id: Array.from({ length: count }, (_, i) => (i * 37) % 8192),
      item_stats: Array.from({ length: count * 7 }, () => rng.normal()),
      item_content: Array.from({ length: count * 16 }, () => rng.normal()),
      item_category: Array.from({ length: count }, () => encodeCategorical(category, Math.floor(rng.uniform() * 30))),
      item_age: Array.from({ length: count }, () => rng.uniform() * 10),
    };
    const coldFlags = Array.from({ length: count }, () => (rng.uniform() < 0.2 ? 1 : 0));
    const big = readItemsTable(writeItemsTable(spec, { itemIds: ids, features: columns, cold: coldFlags, asOf: 'test' }), spec);
    const candidates = Array.from({ length: 600 }, (_, i) => {
      const known = rng.uniform() < 0.8;
      const itemId = known ? (ids[Math.floor(rng.uniform() * count)] as string) : `new-${i}`;
      if (rng.uniform() < 0.85) return { itemId };
      return { itemId, features: { item_age: [rng.uniform()], item_category: 'c-inline' } };
    });
    const request = parseRankRequest(schema, { context, candidates }, { maxCandidates: 1000 });
    const { feeds, cold } = new FeedBuilder(spec, big).build(request);
    const widths: Record<string, number> = { item_id: 1, item_stats: 7, item_content: 16, item_category: 1, item_age: 1 };
    request.candidates.forEach((candidate, i) => {
      const row = ids.indexOf(candidate.itemId);
      expect(cold[i]).toBe(row < 0 ? 1 : coldFlags[row]);
      const coldValues = coldItemValues(spec, candidate.itemId);
      for (const [name, width] of Object.entries(widths)) {
        const inline = candidate.features[name];
        const want =
          inline !== undefined
            ? Array.from(typeof inline === 'number' ? [inline] : inline)
            : row >= 0
              ? Array.from(big.columns[name]?.data.subarray(row * width, (row + 1) * width) ?? [])
              : ([] as number[]).concat(coldValues[name] as number | number[]);
        expect(rowOf(feeds[name]?.data as Float32Array | BigInt64Array, i, width), `${name} of candidate ${i}`).toEqual(
          want.map((v) => (width > 1 || name === 'item_age' ? Math.fround(v) : v)),
        );
      }
      expect(rowOf(feeds.user_history?.data as Float32Array, i, 16)).toEqual(context.user_history);
    });
  });
});
