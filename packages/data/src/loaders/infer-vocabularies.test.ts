import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CategoricalFeatureSpec, type ModelSpec, validateSpec } from '@thaw/spec';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import { parquetWriteFile } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { temporalSplit } from '../split/temporal-split.js';
import type { ColumnMapping } from './column-mapping.js';
import { loadCsvFrame } from './csv-frames.js';
import { DataError } from './data-error.js';
import { inferVocabularies } from './infer-vocabularies.js';
import { loadParquetFrame } from './parquet-frames.js';

const dir = mkdtempSync(join(tmpdir(), 'thaw-data-vocab-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const categorical = (name: string, vocabSize: number, vocabulary?: string[]) => ({
  name,
  group: 'nonHistorical' as const,
  source: 'item' as const,
  kind: 'categorical' as const,
  vocabSize,
  embeddingDim: 2,
  ...(vocabulary ? { vocabulary } : {}),
});
const spec = validateSpec({
  specVersion: 1,
  name: 'vocab',
  features: [
    { name: 'score', group: 'nonHistorical', source: 'item', kind: 'dense', dim: 1 },
    categorical('colour', 4),
    categorical('shape', 2),
    categorical('code', 4), // rows already encoded in the file
    categorical('kind', 2, ['x', 'y']), // given by the user
  ],
  architecture: {
    cross: { count: 1 },
    deep: { units: [4] },
    residual: { enabled: false, projectionUnits: [2] },
    mmoe: { experts: 1, expertUnits: [2] },
    tower: { units: [] },
  },
  tasks: [{ name: 'click' }],
  utility: { click: 1 },
});
const mapping: ColumnMapping = {
  mappingVersion: 1,
  requestId: 'req',
  itemId: 'item',
  userId: 'user',
  timestamp: { column: 'ts', format: 'iso8601' },
  labels: { click: 'y' },
  features: { score: 'score', colour: 'colour', shape: 'shape', code: { column: 'code', encoded: true }, kind: 'kind' },
};

// Ten rows over five days. Rows 6 and 7 are one request (q6) that starts on day 3 and ends on day 4.
//   colour: red blue green green red blue blue yellow purple (empty)
//   shape:  7 " 7 " 3 3 3 9 9 1 1 1
const day = (d: number) => `2025-01-0${d}`;
const rows: [req: string, d: number, colour: string, shape: string][] = [
  ['q1', 1, 'red', '7'],
  ['q2', 1, 'blue', ' 7 '],
  ['q3', 2, 'green', '3'],
  ['q4', 2, 'green', '3'],
  ['q5', 3, 'red', '3'],
  ['q6', 3, 'blue', '9'],
  ['q6', 4, 'blue', '9'],
  ['q8', 4, 'yellow', '1'],
  ['q9', 5, 'purple', '1'],
  ['q10', 5, '', '1'],
];
const header = 'req,item,user,ts,score,colour,shape,code,kind,y';
const csvLine = ([req, d, colour, shape]: (typeof rows)[number], i: number) =>
  `${req},i${i % 3},u${i % 2},${day(d)},${i / 10},${colour},${shape},${i % 5},${i % 2 ? 'x' : 'y'},${i % 2}`;
const csv = join(dir, 'log.csv');
writeFileSync(csv, [header, ...rows.map(csvLine)].join('\n'));
const vocabulary = (s: ModelSpec, name: string) => (s.features.find((f) => f.name === name) as CategoricalFeatureSpec).vocabulary;
const seconds = (d: number) => Date.UTC(2025, 0, d) / 1000;

describe('inferVocabularies (CSV)', () => {
  it('keeps the vocabSize most frequent values, ties by first appearance; leaves other features alone', async () => {
    const filled = await inferVocabularies(csv, mapping, spec);
    // colour counts: blue 3, red 2, green 2, yellow 1, purple 1 (red appears before green, yellow before purple)
    expect(vocabulary(filled, 'colour')).toEqual(['blue', 'red', 'green', 'yellow']);
    // shape counts (trimmed): "3" 3, "1" 3, "7" 2, "9" 2 — "3" appears before "1"
    expect(vocabulary(filled, 'shape')).toEqual(['3', '1']);
    expect(vocabulary(filled, 'code')).toBeUndefined();
    expect(vocabulary(filled, 'kind')).toEqual(['x', 'y']);
    expect(filled.features.map((f) => (f.kind === 'categorical' ? f.vocabSize : f.kind))).toEqual(['dense', 4, 2, 4, 2]);
    expect(vocabulary(spec, 'colour')).toBeUndefined(); // the input is not modified
    expect(() => validateSpec(filled)).not.toThrow();
  });

  it('loads a frame with the inferred spec: values to their rows, rare and empty values to the OOV row', async () => {
    const filled = await inferVocabularies(csv, mapping, spec);
    const frame = await loadCsvFrame(csv, mapping, filled);
    // blue 0, red 1, green 2, yellow 3; purple and the empty cell → OOV row 4
    expect(Array.from(frame.features.colour as Int32Array)).toEqual([1, 0, 2, 2, 1, 0, 0, 3, 4, 4]);
    // "3" 0, "1" 1; "7" and "9" → OOV row 2
    expect(Array.from(frame.features.shape as Int32Array)).toEqual([2, 2, 0, 0, 0, 2, 2, 1, 1, 1]);
    expect(Array.from(frame.features.code as Int32Array)).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
    // without a vocabulary, "unknown": "oov" sends every string to the OOV row
    const oov = { ...mapping, features: { ...mapping.features, colour: { column: 'colour', unknown: 'oov' as const } } };
    const shapesOnly = { ...filled, features: filled.features.map((f) => (f.name === 'colour' ? spec.features[1] : f)) };
    expect(Array.from((await loadCsvFrame(csv, oov, shapesOnly as ModelSpec)).features.colour as Int32Array)).toEqual(
      Array(10).fill(4),
    );
    // without a vocabulary, "red" is not an integer code: the loader refuses it and says what to do
    await expect(loadCsvFrame(csv, mapping, spec)).rejects.toThrow(
      `${csv}:2: column "colour": value "red" is not an integer code and colour has no vocabulary (give the spec feature a "vocabulary", or fill it from the data with inferVocabularies)`,
    );
  });

  it('counts only rows before until, or only the training requests of a split', async () => {
    // rows on days 1–2: red 1, blue 1, green 2
    expect(vocabulary(await inferVocabularies(csv, mapping, spec, { until: seconds(3) }), 'colour')).toEqual([
      'green',
      'red',
      'blue',
    ]);
    // rows on days 1–3: red 2, blue 2, green 2 — all tied, first appearance decides
    expect(vocabulary(await inferVocabularies(csv, mapping, spec, { until: seconds(4) }), 'colour')).toEqual([
      'red',
      'blue',
      'green',
    ]);
    // 9 requests starting d1 d1 d2 d2 d3 d3(q6) d4 d5 d5; train = the first round(2/3·9) = 6 → window [d1, d4).
    // q6 starts on day 3, so its day-4 row (blue) counts too: blue 3, red 2, green 2.
    const trainingSplit = { fractions: { train: 2 / 3, calibration: 1 / 6, eval: 1 / 6 } };
    const filled = await inferVocabularies(csv, mapping, spec, { trainingSplit });
    expect(vocabulary(filled, 'colour')).toEqual(['blue', 'red', 'green']);
    expect(vocabulary(filled, 'shape')).toEqual(['3', '7']); // "3" 3, "7" 2, "9" 2 — "7" first
    const frame = await loadCsvFrame(csv, mapping, filled);
    expect(Array.from(temporalSplit(frame, trainingSplit).rows.train)).toEqual([0, 1, 2, 3, 4, 5, 6]); // the rows counted
    expect(vocabulary(await inferVocabularies(csv, mapping, spec, { until: seconds(99) }), 'colour')).toEqual([
      'blue',
      'red',
      'green',
      'yellow',
    ]);
    expect(vocabulary(await inferVocabularies(csv, mapping, spec, { until: seconds(1) }), 'colour')).toEqual([]);
  });

  it('drops values seen fewer than minCount times', async () => {
    const filled = await inferVocabularies(csv, mapping, spec, { minCount: 2 });
    expect(vocabulary(filled, 'colour')).toEqual(['blue', 'red', 'green']);
    expect(vocabulary(filled, 'shape')).toEqual(['3', '1']);
    expect(vocabulary(await inferVocabularies(csv, mapping, spec, { minCount: 4 }), 'colour')).toEqual([]);
  });

  it('names the file, line and column of a problem; checks its options', async () => {
    const fail = (promise: Promise<unknown>) =>
      promise.then(
        () => 'no error',
        (e: unknown) => (DataError.isInstance(e) ? e.message : `not a DataError: ${String(e)}`),
      );
    const missing = join(dir, 'missing.csv');
    writeFileSync(missing, 'req,item,user,ts,score,colour,code,kind,y\n');
    expect(await fail(inferVocabularies(missing, mapping, spec))).toMatch(
      new RegExp(`^${missing}:1: column "shape": missing from the file`),
    );
    const badTime = join(dir, 'bad-time.csv');
    writeFileSync(badTime, [header, csvLine(rows[0] as (typeof rows)[number], 0), 'q2,i1,u1,soon,0,red,1,0,x,0'].join('\n'));
    expect(await fail(inferVocabularies(badTime, mapping, spec, { until: 0 }))).toBe(
      `${badTime}:3: column "ts": cannot parse timestamp "soon" (format iso8601)`,
    );
    expect(await fail(inferVocabularies(badTime, mapping, spec))).toBe('no error'); // no timestamps read without until
    expect(await fail(inferVocabularies(csv, mapping, spec, { maxDistinct: 2 }))).toBe(
      `${csv}:4: column "colour": more than 2 distinct values for the categorical feature colour (at "green"); a column of that many values is an identifier: make it an id feature (hashed buckets), or raise maxDistinct`,
    );
    await expect(inferVocabularies(csv, mapping, spec, { minCount: 0 })).rejects.toThrow(
      'inferVocabularies: minCount must be an integer ≥ 1 (got 0)',
    );
    await expect(inferVocabularies(csv, mapping, spec, { until: 1, trainingSplit: {} })).rejects.toThrow('not both');
    await expect(inferVocabularies(join(dir, 'none-*.csv'), mapping, spec)).rejects.toThrow(
      `no file matches ${join(dir, 'none-*.csv')}`,
    );
  });
});

describe('inferVocabularies (Parquet)', () => {
  // The same ten rows in two files (rows 0–4, 5–9) of row groups of 2; shape as INT32, the empty colour as null.
  const parts = [rows.slice(0, 5), rows.slice(5)].map((part, p) => {
    const filename = join(dir, `part-${p}.parquet`);
    parquetWriteFile({
      filename,
      rowGroupSize: 2,
      columnData: [
        { name: 'req', data: part.map((r) => r[0]), type: 'STRING' },
        { name: 'item', data: part.map((_, i) => `i${i}`), type: 'STRING' },
        { name: 'user', data: part.map(() => 'u'), type: 'STRING' },
        { name: 'ts', data: part.map((r) => seconds(r[1])), type: 'DOUBLE' },
        { name: 'score', data: part.map(() => 0.5), type: 'DOUBLE' },
        { name: 'colour', data: part.map((r) => r[2] || null), type: 'STRING' },
        { name: 'shape', data: part.map((r) => Number(r[3])), type: 'INT32' },
        { name: 'code', data: part.map(() => 1), type: 'INT32' },
        { name: 'kind', data: part.map(() => 'x'), type: 'STRING' },
        { name: 'y', data: part.map(() => 0), type: 'FLOAT' },
      ],
    });
    return filename;
  });
  const parquetMapping: ColumnMapping = { ...mapping, timestamp: { column: 'ts', format: 'unixSeconds' } };

  it('counts across files and row groups like the CSV, and the loaded frame maps numbers through it', async () => {
    expect((await parquetMetadataAsync(await asyncBufferFromFile(parts[0] as string))).row_groups.length).toBe(3);
    const filled = await inferVocabularies(join(dir, 'part-*.parquet'), parquetMapping, spec);
    expect(vocabulary(filled, 'colour')).toEqual(['blue', 'red', 'green', 'yellow']);
    expect(vocabulary(filled, 'shape')).toEqual(['3', '1']); // INT32 cells counted as "3", "1"
    const frame = await loadParquetFrame(parts, parquetMapping, filled);
    expect(Array.from(frame.features.colour as Int32Array)).toEqual([1, 0, 2, 2, 1, 0, 0, 3, 4, 4]);
    expect(Array.from(frame.features.shape as Int32Array)).toEqual([2, 2, 0, 0, 0, 2, 2, 1, 1, 1]);
    // The training split spans both files: q6 (file 2) starts on day 3.
    const trained = await inferVocabularies(parts, parquetMapping, spec, {
      trainingSplit: { fractions: { train: 2 / 3, calibration: 1 / 6, eval: 1 / 6 } },
    });
    expect(vocabulary(trained, 'colour')).toEqual(['blue', 'red', 'green']);
    expect(vocabulary(await inferVocabularies(parts, parquetMapping, spec, { until: seconds(3) }), 'colour')).toEqual([
      'green',
      'red',
      'blue',
    ]);
  });

  it('names the file and row of a bad timestamp', async () => {
    const bad = join(dir, 'bad.parquet');
    parquetWriteFile({
      filename: bad,
      columnData: ['req', 'item', 'user', 'ts', 'score', 'colour', 'shape', 'code', 'kind', 'y'].map((name) => ({
        name,
        data: name === 'ts' ? ['2025-01-01', 'soon'] : ['1', '1'],
        type: 'STRING' as const,
      })),
    });
    const error = await inferVocabularies(bad, mapping, spec, { until: 0 }).catch((e: unknown) => e);
    expect((error as DataError).message).toBe(`${bad}: row 1: column "ts": cannot parse timestamp "soon" (format iso8601)`);
  });
});
