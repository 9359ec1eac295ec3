import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashToBucket, validateSpec } from '@thaw/spec';
import { afterAll, describe, expect, it } from 'vitest';
import { concatFrames } from '../frame/concat-frames.js';
import type { FeatureFrame } from '../frame/feature-frame.js';
import { handSpec } from '../test-utils/hand-frame.js';
import type { ColumnMapping } from './column-mapping.js';
import { loadCsvFrame, streamCsvFrames } from './csv-frames.js';
import { DataError } from './data-error.js';
import { writeFrameParquet } from './write-frame-parquet.js';

const dir = mkdtempSync(join(tmpdir(), 'thaw-data-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
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

async function failure(promise: Promise<unknown>): Promise<DataError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!DataError.isInstance(error)) throw new Error(`expected a DataError, got ${String(error)}`);
  expect(error.message).not.toContain('\n');
  return error;
}

describe('loadCsvFrame', () => {
  it('maps keys, times, features and labels; derives creation times and as-of history', async () => {
    const path = file(
      'ok.csv',
      [
        header,
        'r1,i1,u1,2025-01-01T00:00:00Z,0.5 1.5,a,1,0',
        'r1,i2,u1,2025-01-01T00:00:00Z,1 2,b,0,0',
        'r2,i1,u2,2025-01-02,3 4,z,1,1',
        '',
      ].join('\n'),
    );
    const frame = await loadCsvFrame(path, mapping, handSpec);
    const jan1 = Date.UTC(2025, 0, 1) / 1000;
    expect(frame.size).toBe(3);
    expect(Array.from(frame.requestId)).toEqual([0, 0, 1]);
    expect(frame.keys?.item).toEqual(['i1', 'i2']);
    expect(Array.from(frame.timestamp)).toEqual([jan1, jan1, jan1 + 86_400]);
    expect(Array.from(frame.itemCreatedAt)).toEqual([jan1, jan1, jan1]);
    expect(Array.from(frame.features.item as Int32Array)).toEqual([
      hashToBucket('i1', 100),
      hashToBucket('i2', 100),
      hashToBucket('i1', 100),
    ]);
    expect(Array.from(frame.features.vec as Float32Array)).toEqual([0.5, 1.5, 1, 2, 3, 4]);
    expect(Array.from(frame.features.cat as Int32Array)).toEqual([0, 1, 3]); // "z" → OOV row
    expect(Array.from(frame.labels.save as Float32Array)).toEqual([0, 0, 1]);
    expect(Array.from(frame.itemHistory?.events ?? [])).toEqual([0, 0, 1]);
    expect(Array.from(frame.itemHistory?.positives ?? [])).toEqual([0, 0, 1]);
  });

  it('derives first appearance and history correctly from an unsorted file', async () => {
    const path = file(
      'unsorted.csv',
      [header, 'r2,i1,u2,2025-01-03,3 4,a,0,0', 'r1,i1,u1,2025-01-01,0 0,a,1,0', 'r3,i1,u1,2025-01-02,0 0,a,0,0'].join('\n'),
    );
    const frame = await loadCsvFrame(path, mapping, handSpec);
    expect(Array.from(frame.itemCreatedAt)).toEqual(Array(3).fill(Date.UTC(2025, 0, 1) / 1000));
    expect(Array.from(frame.itemHistory?.events ?? [])).toEqual([2, 0, 1]);
    expect(Array.from(frame.itemHistory?.positives ?? [])).toEqual([1, 0, 1]);
    await expect(async () => {
      for await (const _ of streamCsvFrames(path, mapping, handSpec)) {
        /* drain */
      }
    }).rejects.toThrow('unsorted.csv:3: column "ts": timestamps must be non-decreasing');
  });

  it('streams an unsorted file when creation times and history are mapped (nothing to derive)', async () => {
    const path = file(
      'mapped.csv',
      [
        `${header},created,n,p`,
        'r2,i1,u2,2025-01-03,3 4,a,0,0,2024-12-01,2,1',
        'r1,i1,u1,2025-01-01,0 0,a,1,0,2024-12-01,0,0',
      ].join('\n'),
    );
    const mapped = {
      ...mapping,
      itemCreatedAt: { column: 'created', format: 'iso8601' as const },
      itemHistory: { events: 'n', positives: 'p' },
    };
    const chunks: FeatureFrame[] = [];
    for await (const chunk of streamCsvFrames(path, mapped, handSpec)) chunks.push(chunk);
    expect(chunks.length).toBe(1);
    expect(Array.from(chunks[0]?.itemHistory?.events ?? [])).toEqual([2, 0]);
    expect(Array.from(chunks[0]?.itemCreatedAt ?? [])).toEqual([Date.UTC(2024, 11, 1) / 1000, Date.UTC(2024, 11, 1) / 1000]);
  });

  it('names the file, line and column of a missing column, a bad number, a bad timestamp, an id beyond the vocabulary', async () => {
    const missing = file('missing.csv', 'req,item,user,time,vec,cat,click,save\nr1,i1,u1,2025-01-01,0 0,a,0,0\n');
    expect((await failure(loadCsvFrame(missing, mapping, handSpec))).message).toBe(
      `${missing}:1: column "ts": missing from the file (the column mapping needs it; the file has 8 columns: req, item, user, time, vec, cat, click, save)`,
    );
    const badNumber = file('number.csv', `${header}\nr1,i1,u1,2025-01-01,0 0,a,0,0\nr1,i2,u1,2025-01-01,0 x,a,0,0\n`);
    const e1 = await failure(loadCsvFrame(badNumber, mapping, handSpec));
    expect(e1.message).toBe(`${badNumber}:3: column "vec": expected a number (got "x")`);
    expect([e1.file, e1.line, e1.column]).toEqual([badNumber, 3, 'vec']);
    const badTime = file('time.csv', `${header}\nr1,i1,u1,2025-01-01,0 0,a,0,0\n\nr2,i1,u1,yesterday,0 0,a,0,0\n`);
    expect((await failure(loadCsvFrame(badTime, mapping, handSpec))).message).toBe(
      `${badTime}:4: column "ts": cannot parse timestamp "yesterday" (format iso8601)`,
    );
    const badLabel = file('label.csv', `${header}\nr1,i1,u1,2025-01-01,0 0,a,2,0\n`);
    expect((await failure(loadCsvFrame(badLabel, mapping, handSpec))).message).toBe(
      `${badLabel}:2: column "click": expected a label in [0, 1] (got "2")`,
    );
    const coded = validateSpec({
      ...handSpec,
      features: handSpec.features.map((f) => (f.kind === 'categorical' ? { ...f, vocabulary: undefined } : f)),
    });
    const beyond = file('vocab.csv', `${header}\nr1,i1,u1,2025-01-01,0 0,2,0,0\nr1,i2,u1,2025-01-01,0 0,7,0,0\n`);
    expect((await failure(loadCsvFrame(beyond, mapping, coded))).message).toBe(
      `${beyond}:3: column "cat": id "7" is beyond the vocabulary of cat (integer codes 0…2; set "unknown": "oov" to map it to the OOV row)`,
    );
    const strict = { ...mapping, features: { ...mapping.features, cat: { column: 'cat', unknown: 'error' as const } } };
    const unknown = file('unknown.csv', `${header}\nr1,i1,u1,2025-01-01,0 0,q,0,0\n`);
    expect((await failure(loadCsvFrame(unknown, strict, handSpec))).message).toBe(
      `${unknown}:2: column "cat": value "q" is not in the vocabulary of cat (3 values)`,
    );
    const ragged = file('ragged.csv', `${header}\nr1,i1,u1\n`);
    expect((await failure(loadCsvFrame(ragged, mapping, handSpec))).message).toMatch(/^.*ragged\.csv:2: malformed CSV: /);
  });

  it('writes nothing when a malformed row appears after chunks were already converted', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => `r${i},i${i % 3},u1,2025-01-0${1 + (i >> 2)},0 ${i},a,0,0`);
    rows[9] = 'r9,i0,u1,2025-01-03,0 oops,a,0,0';
    const path = file('late.csv', [header, ...rows].join('\n'));
    const out = join(dir, 'late.parquet');
    const error = await failure(writeFrameParquet(streamCsvFrames(path, mapping, handSpec, { chunkRows: 2 }), handSpec, out));
    expect(error.message).toBe(`${path}:11: column "vec": expected a number (got "oops")`);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('late.parquet'))).toEqual([]);
  });
});

describe('streamCsvFrames', () => {
  it('streams a file larger than the chunk size in bounded chunks that add up to the whole', async () => {
    const lines = [header];
    for (let q = 0; q < 250; q++) {
      for (let k = 0; k < 4; k++) {
        const t = new Date(Date.UTC(2025, 0, 1) + q * 60_000).toISOString();
        lines.push(
          `q${q},i${(q * 7 + k) % 31},u${q % 9},${t},${q} ${k},${'abc'[k % 3]},${(q + k) % 3 === 0 ? 1 : 0},${k === 1 ? 1 : 0}`,
        );
      }
    }
    const path = file('big.csv', lines.join('\n'));
    const chunks: FeatureFrame[] = [];
    for await (const chunk of streamCsvFrames(path, mapping, handSpec, { chunkRows: 64 })) chunks.push(chunk);
    expect(chunks.length).toBe(16); // 1000 rows: 15 chunks of 64 (16 requests each) and a last one of 40
    for (const chunk of chunks) expect(chunk.size).toBeLessThanOrEqual(64);
    for (let c = 1; c < chunks.length; c++) {
      const previous = chunks[c - 1] as FeatureFrame;
      expect(chunks[c]?.requestId[0]).not.toBe(previous.requestId[previous.size - 1]); // requests never cut
    }
    const streamed = concatFrames(chunks);
    const whole = await loadCsvFrame(path, mapping, handSpec);
    expect(streamed.size).toBe(1000);
    expect(Array.from(streamed.features.vec as Float32Array)).toEqual(Array.from(whole.features.vec as Float32Array));
    expect(Array.from(streamed.itemCreatedAt)).toEqual(Array.from(whole.itemCreatedAt));
    expect(Array.from(streamed.itemHistory?.events ?? [])).toEqual(Array.from(whole.itemHistory?.events ?? []));
    expect(Array.from(streamed.itemHistory?.positives ?? [])).toEqual(Array.from(whole.itemHistory?.positives ?? []));
  });
});
