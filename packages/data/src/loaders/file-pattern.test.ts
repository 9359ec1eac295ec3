import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { concatFrames } from '../frame/concat-frames.js';
import type { FeatureFrame } from '../frame/feature-frame.js';
import { handSpec } from '../test-utils/hand-frame.js';
import type { ColumnMapping } from './column-mapping.js';
import { loadCsvFrame, streamCsvFrames } from './csv-frames.js';
import { DataError } from './data-error.js';
import { expandFilePattern, resolveFiles } from './file-pattern.js';
import { loadParquetFrame } from './parquet-frames.js';

const dir = mkdtempSync(join(tmpdir(), 'thaw-data-glob-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => writeFileSync(join(dir, name), text);

const mapping: ColumnMapping = {
  mappingVersion: 1,
  requestId: 'req',
  itemId: 'item',
  userId: 'user',
  timestamp: { column: 'ts', format: 'iso8601' },
  labels: { click: 'click', save: 'save' },
  features: { item: 'item', vec: { column: 'vec', separator: ' ' }, cat: 'cat' },
};
const header = 'req,item,user,ts,vec,cat,click,save';

// Three days of log. Request r2 starts at the end of day 1 and continues in day 2 (logged
// across midnight); day 3 writes its columns in another order.
write('day-01.csv', [header, 'r1,i1,u1,2025-01-01T10:00:00Z,1 1,a,1,0', 'r2,i2,u2,2025-01-01T23:59:00Z,2 2,b,0,0'].join('\n'));
write('day-02.csv', [header, 'r2,i1,u2,2025-01-02T00:00:00Z,3 3,c,1,1', 'r3,i2,u1,2025-01-02T12:00:00Z,4 4,a,1,0'].join('\n'));
write(
  'day-03.csv',
  [
    'ts,req,user,item,cat,vec,save,click',
    '2025-01-03T09:00:00Z,r4,u1,i1,b,5 5,0,0',
    '2025-01-03T09:00:00Z,r4,u3,i3,z,6 6,0,1',
  ].join('\n'),
);
write('day-10.txt', 'not a log');
write('.day-hidden.csv', header);
write('notes.md', '#');
mkdirSync(join(dir, 'day-dir.csv'));

describe('expandFilePattern', () => {
  it('matches * and ? in the last segment, sorted by name; skips directories and hidden files', async () => {
    expect(await expandFilePattern(join(dir, 'day-*.csv'))).toEqual(
      ['day-01.csv', 'day-02.csv', 'day-03.csv'].map((f) => join(dir, f)),
    );
    expect(await expandFilePattern(join(dir, 'day-0?.csv'))).toEqual(
      ['day-01.csv', 'day-02.csv', 'day-03.csv'].map((f) => join(dir, f)),
    );
    expect(await expandFilePattern(join(dir, 'day-?0*'))).toEqual([join(dir, 'day-10.txt')]);
    expect(await expandFilePattern(join(dir, '*-02.*'))).toEqual([join(dir, 'day-02.csv')]);
    expect(await expandFilePattern(join(dir, '.day-*'))).toEqual([join(dir, '.day-hidden.csv')]);
    expect(await expandFilePattern(join(dir, 'day-02.csv'))).toEqual([join(dir, 'day-02.csv')]);
    // "." and regex characters in the pattern are literal
    expect(await expandFilePattern(join(dir, 'day-01.cs?'))).toEqual([join(dir, 'day-01.csv')]);
    await expect(expandFilePattern(join(dir, 'day-01xcsv'))).rejects.toThrow(`no file matches ${join(dir, 'day-01xcsv')}`);
  });

  it('says plainly when nothing matches, and refuses wildcards in directories', async () => {
    const pattern = join(dir, 'week-*.csv');
    await expect(expandFilePattern(pattern)).rejects.toThrow(
      `no file matches ${pattern} (the directory ${dir}/ holds 7 entries: .day-hidden.csv, day-01.csv, day-02.csv, day-03.csv, day-10.txt, day-dir.csv, notes.md)`,
    );
    await expect(expandFilePattern(join(dir, 'day-dir.*'))).rejects.toThrow('no file matches');
    await expect(expandFilePattern(join(dir, 'nowhere', '*.csv'))).rejects.toThrow(
      `no file matches ${join(dir, 'nowhere', '*.csv')} (cannot read the directory ${join(dir, 'nowhere')}/: ENOENT)`,
    );
    await expect(expandFilePattern(join(dir, 'missing.csv'))).rejects.toThrow('(it does not exist)');
    await expect(expandFilePattern(join(dir, 'day-*', 'a.csv'))).rejects.toThrow(/in the last path segment only/);
  });

  it('resolves lists of files and patterns in order, each file once', async () => {
    expect(await resolveFiles([join(dir, 'day-03.csv'), join(dir, 'day-0*.csv')])).toEqual(
      ['day-03.csv', 'day-01.csv', 'day-02.csv'].map((f) => join(dir, f)),
    );
    await expect(resolveFiles([])).rejects.toThrow('files: give at least one file or pattern (got an empty list)');
  });
});

describe('loading several files', () => {
  const jan = (day: number, hour: number, minute = 0) => Date.UTC(2025, 0, day, hour, minute) / 1000;

  it('reads a pattern as one log: file order, one request across files, creation and history over all files', async () => {
    const frame = await loadCsvFrame(join(dir, 'day-*.csv'), mapping, handSpec);
    expect(frame.size).toBe(6);
    expect(frame.keys?.request).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(Array.from(frame.requestId)).toEqual([0, 1, 1, 2, 3, 3]); // r2's rows in day-01 and day-02: one request
    expect(frame.keys?.item).toEqual(['i1', 'i2', 'i3']);
    expect(Array.from(frame.timestamp)).toEqual([jan(1, 10), jan(1, 23, 59), jan(2, 0), jan(2, 12), jan(3, 9), jan(3, 9)]);
    expect(Array.from(frame.features.vec as Float32Array)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]);
    expect(Array.from(frame.features.cat as Int32Array)).toEqual([0, 1, 2, 0, 1, 3]); // day-03's columns reordered; z → OOV
    expect(Array.from(frame.labels.click as Float32Array)).toEqual([1, 0, 1, 1, 0, 1]);
    // i1 first appears on day 1 (file 1); i2 on day 1; i3 on day 3
    expect(Array.from(frame.itemCreatedAt)).toEqual([
      jan(1, 10),
      jan(1, 23, 59),
      jan(1, 10),
      jan(1, 23, 59),
      jan(1, 10),
      jan(3, 9),
    ]);
    // i1 shown at day 1 (click), day 2 (click) before its day-3 row: 2 events, 2 positives
    expect(Array.from(frame.itemHistory?.events ?? [])).toEqual([0, 0, 1, 1, 2, 0]);
    expect(Array.from(frame.itemHistory?.positives ?? [])).toEqual([0, 0, 1, 0, 2, 0]);

    const listed = await loadCsvFrame(
      ['day-01.csv', 'day-02.csv', 'day-03.csv'].map((f) => join(dir, f)),
      mapping,
      handSpec,
    );
    expect(Array.from(listed.features.vec as Float32Array)).toEqual(Array.from(frame.features.vec as Float32Array));
  });

  it('streams across files with the same rows, keeping a request that spans a file boundary in one chunk', async () => {
    const chunks: FeatureFrame[] = [];
    for await (const chunk of streamCsvFrames(join(dir, 'day-*.csv'), mapping, handSpec, { chunkRows: 1 })) chunks.push(chunk);
    expect(chunks.map((c) => c.size)).toEqual([1, 2, 1, 2]); // r1 | r2 (day-01 + day-02) | r3 | r4
    const streamed = concatFrames(chunks);
    expect(Array.from(streamed.itemHistory?.events ?? [])).toEqual([0, 0, 1, 1, 2, 0]);
    expect(Array.from(streamed.itemCreatedAt)).toEqual(
      Array.from((await loadCsvFrame(join(dir, 'day-*.csv'), mapping, handSpec)).itemCreatedAt),
    );
  });

  it('names the file a bad cell is in', async () => {
    const bad = mkdtempSync(join(dir, 'bad-'));
    writeFileSync(join(bad, 'a.csv'), `${header}\nr1,i1,u1,2025-01-01,0 0,a,0,0\n`);
    writeFileSync(join(bad, 'b.csv'), `${header}\nr2,i1,u1,2025-01-02,0 0,a,0,0\nr3,i1,u1,2025-01-0x,0 0,a,0,0\n`);
    writeFileSync(join(bad, 'c.csv'), 'req,item\nr4,i1\n');
    const error = await loadCsvFrame(join(bad, '*.csv'), mapping, handSpec).catch((e: unknown) => e);
    expect(DataError.isInstance(error) && error.message).toBe(
      `${join(bad, 'b.csv')}:3: column "ts": cannot parse timestamp "2025-01-0x" (format iso8601)`,
    );
    const missing = await loadCsvFrame([join(bad, 'a.csv'), join(bad, 'c.csv')], mapping, handSpec).catch((e: unknown) => e);
    expect((missing as DataError).message).toMatch(new RegExp(`^${join(bad, 'c.csv')}:1: column "user": missing from the file`));
    await expect(loadCsvFrame(join(bad, '*.parquet'), mapping, handSpec)).rejects.toThrow(
      `no file matches ${join(bad, '*.parquet')}`,
    );
    const unsorted = streamCsvFrames([join(dir, 'day-02.csv'), join(dir, 'day-01.csv')], mapping, handSpec);
    await expect(async () => {
      for await (const _ of unsorted) {
        /* drain */
      }
    }).rejects.toThrow(`${join(dir, 'day-01.csv')}:2: column "ts": timestamps must be non-decreasing`);
  });

  it('reads three Parquet files as one frame', async () => {
    const parts = ['part-0.parquet', 'part-1.parquet', 'part-2.parquet'].map((f) => join(dir, f));
    parts.forEach((filename, p) => {
      parquetWriteFile({
        filename,
        columnData: [
          { name: 'req', data: [`q${p}`, `q${p}`], type: 'STRING' },
          { name: 'item', data: [`i${p}`, `i${p + 1}`], type: 'STRING' },
          { name: 'user', data: ['u', 'u'], type: 'STRING' },
          { name: 'ts', data: [1_700_000_000 + p, 1_700_000_000 + p], type: 'DOUBLE' },
          { name: 'v0', data: [p, p + 0.5], type: 'FLOAT' },
          { name: 'v1', data: [10 * p, 0], type: 'FLOAT' },
          { name: 'cat', data: ['c', p === 2 ? 'q' : 'a'], type: 'STRING' },
          { name: 'click', data: [1, 1], type: 'FLOAT' },
          { name: 'save', data: [0, 0], type: 'FLOAT' },
        ],
      });
    });
    const parquetMapping: ColumnMapping = {
      ...mapping,
      timestamp: { column: 'ts', format: 'unixSeconds' },
      features: { item: 'item', vec: { prefix: 'v' }, cat: 'cat' },
    };
    const frame = await loadParquetFrame(join(dir, 'part-?.parquet'), parquetMapping, handSpec);
    expect(frame.size).toBe(6);
    expect(Array.from(frame.requestId)).toEqual([0, 0, 1, 1, 2, 2]);
    expect(frame.keys?.item).toEqual(['i0', 'i1', 'i2', 'i3']);
    expect(Array.from(frame.features.vec as Float32Array)).toEqual([0, 0, 0.5, 0, 1, 10, 1.5, 0, 2, 20, 2.5, 0]);
    expect(Array.from(frame.features.cat as Int32Array)).toEqual([2, 0, 2, 0, 2, 3]);
    // i1 (file 0) seen again in file 1, i2 (file 1) again in file 2, each clicked the first time
    expect(Array.from(frame.itemHistory?.events ?? [])).toEqual([0, 0, 1, 0, 1, 0]);
    expect(Array.from(frame.itemHistory?.positives ?? [])).toEqual([0, 0, 1, 0, 1, 0]);
  });
});
