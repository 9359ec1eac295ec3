import { describe, expect, it } from 'vitest';
import { handFrame, handSpec } from '../test-utils/hand-frame.js';
import { batches } from './batches.js';
import { toFeatureBatch } from './frame-batch.js';
import { requestOrder } from './request-order.js';
import { streamBatches } from './stream-batches.js';

describe('toFeatureBatch', () => {
  it('lays out features, labels [N, T] in task order and isCold', () => {
    const batch = toFeatureBatch(handFrame(), handSpec, [2, 4]);
    expect(batch.size).toBe(2);
    expect(batch.features.vec?.shape).toEqual([2, 2]);
    expect(Array.from(batch.features.vec?.data ?? [])).toEqual([2, -2, 4, -4]);
    expect(batch.features.cat?.dtype).toBe('int32');
    expect(Array.from(batch.features.cat?.data ?? [])).toEqual([2, 0]);
    expect(batch.labels.shape).toEqual([2, 2]);
    expect(Array.from(batch.labels.data)).toEqual([0, 0, 0, 1]); // [click, save] of rows 2 and 4
    expect(Array.from(batch.isCold.data)).toEqual([1, 0]);
    expect(Array.from(batch.requestId)).toEqual([1, 1]);
    expect(Array.from(batch.itemId)).toEqual([12, 11]);
    expect(Array.from(batch.itemAgeDays)).toEqual([0, 31]);
    expect(batch.truth).toBeUndefined();
    expect(() => toFeatureBatch(handFrame(), handSpec, [6])).toThrow('toFeatureBatch: rows[0] must be in [0, 6) (got 6)');
  });
});

describe('batches', () => {
  it('shuffles every row exactly once, reproducibly by seed', () => {
    const rowsOf = (seed: number) => [...batches(handFrame(), handSpec, { batchSize: 4, seed })].map((b) => Array.from(b.rows));
    const a = rowsOf(3);
    expect(a.map((r) => r.length)).toEqual([4, 2]);
    expect(a.flat().sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rowsOf(3)).toEqual(a);
    const orders = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((s) => rowsOf(s).flat().join()));
    expect(orders.size).toBeGreaterThan(1);
    expect([...batches(handFrame(), handSpec, { batchSize: 4, dropLast: true })].length).toBe(1);
  });

  it('keeps requests whole in request order and fills batches up to batchSize', () => {
    const sizes = (batchSize: number) =>
      [...batches(handFrame(), handSpec, { batchSize, order: 'request' })].map((b) => Array.from(b.requestId));
    expect(sizes(4)).toEqual([
      [0, 0],
      [1, 1, 1, 2],
    ]);
    expect(sizes(5)).toEqual([[0, 0, 1, 1, 1], [2]]);
    expect(sizes(1)).toEqual([[0, 0], [1, 1, 1], [2]]); // a request larger than batchSize stays whole
    expect(() => [...batches(handFrame(), handSpec, { batchSize: 0 })]).toThrow(
      'batches: batchSize must be an integer ≥ 1 (got 0)',
    );
  });
});

describe('requestOrder', () => {
  it('groups interleaved rows by request in order of first appearance', () => {
    const frame = { size: 6, requestId: Int32Array.from([5, 3, 5, 9, 3, 5]) };
    const { rows, starts } = requestOrder(frame);
    expect(Array.from(rows)).toEqual([0, 2, 5, 1, 4, 3]);
    expect(Array.from(starts)).toEqual([0, 3, 5, 6]);
    expect(Array.from(requestOrder(frame, [4, 3, 1]).rows)).toEqual([4, 1, 3]);
  });
});

describe('streamBatches', () => {
  it('batches chunk by chunk, every row of every chunk once', async () => {
    const frame = handFrame();
    const seen: string[] = [];
    for await (const batch of streamBatches([frame, frame], handSpec, { batchSize: 4, seed: 1 })) {
      for (const r of batch.rows) seen.push(`${batch.chunk}:${r}`);
    }
    expect(seen.sort()).toEqual(['0:0', '0:1', '0:2', '0:3', '0:4', '0:5', '1:0', '1:1', '1:2', '1:3', '1:4', '1:5']);
  });
});
