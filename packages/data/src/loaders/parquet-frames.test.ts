import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import { parquetWriteFile } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { concatFrames } from '../frame/concat-frames.js';
import type { FeatureFrame } from '../frame/feature-frame.js';
import { simulate } from '../simulator/simulate.js';
import { handSpec } from '../test-utils/hand-frame.js';
import { resolveColumnMapping } from './column-mapping.js';
import { DataError } from './data-error.js';
import { loadParquetFrame, streamParquetFrames } from './parquet-frames.js';
import { frameParquetMapping, writeFrameParquet } from './write-frame-parquet.js';

const dir = mkdtempSync(join(tmpdir(), 'thaw-data-parquet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Parquet round trip', () => {
  it('writes a frame in row groups and streams it back chunk by chunk, identical', async () => {
    const { frame, spec } = simulate('tiny', 3);
    const path = join(dir, 'tiny.parquet');
    expect(await writeFrameParquet(frame, spec, path, { rowGroupSize: 300 })).toBe(frame.size);
    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(path));
    expect(metadata.row_groups.length).toBe(Math.ceil(frame.size / 300));

    const mapping = frameParquetMapping(spec, { truth: true, itemHistory: true });
    const chunks: FeatureFrame[] = [];
    for await (const chunk of streamParquetFrames(path, mapping, spec, { chunkRows: 250 })) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(4);
    for (const chunk of chunks) expect(chunk.size).toBeLessThan(250 + 6); // closes at the first request boundary after 250
    const back = concatFrames(chunks);
    expect(back.size).toBe(frame.size);
    for (const f of spec.features)
      expect(Array.from(back.features[f.name] ?? [])).toEqual(Array.from(frame.features[f.name] ?? []));
    for (const t of spec.tasks) {
      expect(Array.from(back.labels[t.name] ?? [])).toEqual(Array.from(frame.labels[t.name] ?? []));
      expect(Array.from(back.truth?.[t.name] ?? [])).toEqual(Array.from(frame.truth?.[t.name] ?? []));
    }
    expect(Array.from(back.timestamp)).toEqual(Array.from(frame.timestamp));
    expect(Array.from(back.itemCreatedAt)).toEqual(Array.from(frame.itemCreatedAt));
    expect(Array.from(back.itemHistory?.events ?? [])).toEqual(Array.from(frame.itemHistory?.events ?? []));
    expect(Array.from(back.itemId, (code) => back.keys?.item?.[code])).toEqual(Array.from(frame.itemId, String));

    const whole = await loadParquetFrame(path, mapping, spec);
    expect(Array.from(whole.features.item_stats ?? [])).toEqual(Array.from(frame.features.item_stats ?? []));
  });

  it('names the file, row and column of a bad cell', async () => {
    const path = join(dir, 'bad.parquet');
    const rows = 8;
    parquetWriteFile({
      filename: path,
      columnData: [
        { name: 'request_id', data: Array.from({ length: rows }, (_, i) => `q${i >> 1}`), type: 'STRING' },
        { name: 'item_id', data: Array.from({ length: rows }, (_, i) => `i${i}`), type: 'STRING' },
        { name: 'user_id', data: Array.from({ length: rows }, () => 'u'), type: 'STRING' },
        { name: 'timestamp', data: Array.from({ length: rows }, (_, i) => 1_700_000_000 + i), type: 'DOUBLE' },
        { name: 'label_click', data: Array.from({ length: rows }, () => 0), type: 'FLOAT' },
        { name: 'label_save', data: Array.from({ length: rows }, () => 1), type: 'FLOAT' },
        { name: 'feature_item', data: Array.from({ length: rows }, () => 5), type: 'INT32' },
        { name: 'feature_vec_0', data: Array.from({ length: rows }, () => 0.5), type: 'FLOAT' },
        { name: 'feature_vec_1', data: Array.from({ length: rows }, () => 0.5), type: 'FLOAT' },
        { name: 'feature_cat', data: [0, 1, 2, 3, 0, 9, 1, 2], type: 'INT32' },
      ],
    });
    const mapping = { ...frameParquetMapping(handSpec), itemCreatedAt: undefined };
    const error = await loadParquetFrame(path, { ...mapping, mappingVersion: 1 }, handSpec).catch((e: unknown) => e);
    expect(DataError.isInstance(error)).toBe(true);
    expect((error as DataError).message).toBe(
      `${path}: row 5: column "feature_cat": embedding row "9" is beyond the vocabulary of cat (rows 0…3)`,
    );
    const missing = await loadParquetFrame(path, frameParquetMapping(handSpec), handSpec).catch((e: unknown) => e);
    expect((missing as DataError).message).toMatch(/^.*bad\.parquet: column "item_created_at": missing from the file/);
  });
});

describe('resolveColumnMapping', () => {
  it('lists every problem with its path, the value and what is allowed', () => {
    const bad = {
      mappingVersion: 2,
      requestId: 'q',
      itemId: '',
      userId: 'u',
      timestamp: { column: 't', format: 'weekly' },
      labels: { click: 'c', extra: 'x' },
      features: { item: 'i', vec: { columns: ['a'] }, cat: { column: 'c', unknown: 'drop' }, other: 'o' },
      colour: 'blue',
    };
    let message = '';
    try {
      resolveColumnMapping(bad, handSpec, 'mapping.json');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'mapping.json: invalid column mapping:',
      '  colour is not a mapping key; use one of mappingVersion, requestId, itemId, userId, timestamp, itemCreatedAt, labels, truth, features, itemHistory (got "blue")',
      '  mappingVersion must be 1 (got 2)',
      '  itemId must be a column name (got "")',
      '  timestamp.format must be one of unixSeconds, unixMillis, iso8601, auto (got "weekly")',
      '  labels.extra is not a spec task; tasks are click, save (got "x")',
      '  labels.save must be a column name (every spec task needs one) (got nothing)',
      '  features.other is not a spec feature; features are item, vec, cat (got "o")',
      '  features.vec.columns must list 2 column names (the spec\'s dim) (got ["a"])',
      "  features.cat.unknown must be 'oov' or 'error', for categorical features only (got \"drop\")",
    ]);
  });

  it('resolves prefixes, packed cells and the required columns', () => {
    const resolved = resolveColumnMapping(
      {
        mappingVersion: 1,
        requestId: 'q',
        itemId: 'i',
        userId: 'u',
        timestamp: 't',
        labels: { click: 'c', save: 's' },
        features: { item: 'i', vec: { prefix: 'v_' }, cat: { column: 'k', encoded: true } },
      },
      handSpec,
    );
    expect(resolved.features.map((f) => f.columns)).toEqual([['i'], ['v_0', 'v_1'], ['k']]);
    expect(resolved.timestamp).toEqual({ column: 't', format: 'auto' });
    expect(resolved.requiredColumns).toEqual(['q', 'i', 'u', 't', 'c', 's', 'v_0', 'v_1', 'k']);
  });
});
