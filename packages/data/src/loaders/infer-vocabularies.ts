import type { CategoricalFeatureSpec, ModelSpec } from '@thaw/spec';
import { type TemporalSplitOptions, temporalWindows } from '../split/temporal-windows.js';
import type { ColumnMapping, ResolvedMapping } from './column-mapping.js';
import { DataError } from './data-error.js';
import { type FileSource, resolveFiles } from './file-pattern.js';
import { resolveMapping } from './load-whole.js';
import { categoryKey, isEmptyCell, parseKey, parseTimestamp } from './parse-values.js';
import { csvRows, fileFormat, parquetRows, readCell, type SourceRow } from './source-rows.js';

/** Options of {@link inferVocabularies}. */
export interface InferVocabulariesOptions {
  /** `'csv'` or `'parquet'` for every file (default: per file, Parquet for `.parquet` / `.pq`, else CSV). */
  readonly format?: 'csv' | 'parquet';
  /** CSV field delimiter (default `,`). */
  readonly delimiter?: string;
  /**
   * Count only rows whose timestamp (seconds since the epoch) is `< until` — e.g. the end of the
   * training window, so the vocabulary does not peek at later data. Default: every row.
   */
  readonly until?: number;
  /**
   * Count only the rows of the requests `temporalSplit(frame, trainingSplit)` puts in the
   * training window (a request belongs to the window of its earliest row), for a split not
   * known before loading — e.g. `{ fractions: { train: 0.8, calibration: 0.05, eval: 0.15 } }`.
   * Costs a first pass reading the request id and timestamp columns (and one time per request
   * in memory). Not with `until`.
   */
  readonly trainingSplit?: TemporalSplitOptions;
  /** A value needs at least this many counted rows to get a row of its own (default 1). */
  readonly minCount?: number;
  /**
   * At most this many distinct values are counted per feature (default 1,000,000; memory grows
   * with them). A column with more is an identifier: make it an `id` feature (hashed buckets).
   */
  readonly maxDistinct?: number;
}

type Counted = { readonly feature: CategoricalFeatureSpec; readonly column: string; readonly counts: Map<string, number> };

function checkOptions(options: InferVocabulariesOptions): void {
  const { until, trainingSplit, minCount = 1, maxDistinct = 1_000_000 } = options;
  if (until !== undefined && !Number.isFinite(until))
    throw new RangeError(`inferVocabularies: until must be a finite time in seconds (got ${until})`);
  if (until !== undefined && trainingSplit !== undefined)
    throw new TypeError('inferVocabularies: give until or trainingSplit, not both (trainingSplit places its own window)');
  if (!Number.isInteger(minCount) || minCount < 1)
    throw new RangeError(`inferVocabularies: minCount must be an integer ≥ 1 (got ${minCount})`);
  if (!Number.isInteger(maxDistinct) || maxDistinct < 1)
    throw new RangeError(`inferVocabularies: maxDistinct must be an integer ≥ 1 (got ${maxDistinct})`);
}

/**
 * Fills the `vocabulary` of every categorical feature that has none and whose mapping reads raw
 * values (not `{ "encoded": true }` rows), from the data: one streamed pass over the file(s)
 * (CSV through csv-parse, Parquet one row group at a time reading only the columns it needs)
 * counts each value; the vocabulary is the `vocabSize` most frequent values with at least
 * `minCount` rows, most frequent first, ties in order of first appearance (files in order), so
 * the result is deterministic. Every other value — and an empty cell — goes to the OOV row
 * (`vocabSize`) when the frame is loaded. Values are compared as the loaders look them up:
 * trimmed text (`42`, `42n`, `"42"` agree).
 *
 * Features that have a vocabulary, encoded features, dense and id features are left as they
 * are; `vocabSize` is never changed (a vocabulary shorter than `vocabSize` leaves rows unused).
 * A column of integer codes that are already rows should be mapped with `"encoded": true`.
 * Memory: one counter per distinct value and feature (at most `maxDistinct`).
 *
 * Which rows count: all of them by default; with `until`, rows with timestamp `< until`; with
 * `trainingSplit`, the rows of the training requests of that temporal split. `source` is one
 * file, a pattern (`logs/day-*.csv`) or a list, as for `loadCsvFrame`. Every file must have
 * every column the mapping names (checked as the loaders do).
 *
 * @returns the spec with the inferred vocabularies (a new object; the input is not modified).
 * @throws DataError naming the file, line or row and column (a missing column, an unparseable
 *   timestamp when one is read, more than `maxDistinct` values); `RangeError`/`TypeError` for
 *   bad options.
 * @example
 * ```ts
 * const filled = await inferVocabularies('logs/day-*.csv', mapping, spec, {
 *   trainingSplit: { fractions: { train: 0.8, calibration: 0.05, eval: 0.15 } },
 * });
 * const frame = await loadCsvFrame('logs/day-*.csv', mapping, filled);
 * ```
 */
export async function inferVocabularies(
  source: FileSource,
  mapping: ColumnMapping | ResolvedMapping,
  spec: ModelSpec,
  options: InferVocabulariesOptions = {},
): Promise<ModelSpec> {
  checkOptions(options);
  const resolved = resolveMapping(mapping, spec);
  const counted: Counted[] = resolved.features.flatMap((f) =>
    f.feature.kind === 'categorical' && !f.feature.vocabulary && !f.encoded
      ? [{ feature: f.feature, column: f.columns[0] as string, counts: new Map<string, number>() }]
      : [],
  );
  if (counted.length === 0) return spec;
  const files = await resolveFiles(source);
  const { until, trainingSplit, minCount = 1, maxDistinct = 1_000_000 } = options;
  const time = (file: string, row: SourceRow) =>
    readCell(file, row, resolved.timestamp.column, (cell) => parseTimestamp(cell, resolved.timestamp.format));
  const request = (file: string, row: SourceRow) => readCell(file, row, resolved.requestId, parseKey);
  const rowsOf = (file: string, columns: readonly string[]) =>
    (options.format ?? fileFormat(file)) === 'parquet'
      ? parquetRows(file, resolved.requiredColumns, columns)
      : csvRows(file, resolved.requiredColumns, options);

  // Which rows count: a time bound, or the training requests of a split (first pass).
  let counts: (file: string, row: SourceRow) => boolean = () => true;
  if (until !== undefined) counts = (file, row) => time(file, row) < until;
  if (trainingSplit !== undefined) {
    const startOf = new Map<string, number>();
    for (const file of files) {
      for await (const row of rowsOf(file, [resolved.requestId, resolved.timestamp.column])) {
        const key = request(file, row);
        const t = time(file, row);
        if (!(t >= (startOf.get(key) ?? Number.POSITIVE_INFINITY))) startOf.set(key, t);
      }
    }
    const train = temporalWindows(Float64Array.from(startOf.values()), trainingSplit).train;
    counts = (file, row) => {
      const t = startOf.get(request(file, row)) as number;
      return t >= train.start && t < train.end;
    };
  }

  const columns = [
    ...new Set([
      ...counted.map((c) => c.column),
      ...(until !== undefined ? [resolved.timestamp.column] : []),
      ...(trainingSplit !== undefined ? [resolved.requestId] : []),
    ]),
  ];
  for (const file of files) {
    for await (const row of rowsOf(file, columns)) {
      if (!counts(file, row)) continue;
      for (const { feature, column, counts: tally } of counted) {
        const cell = row.get(column);
        if (isEmptyCell(cell)) continue;
        const key = categoryKey(cell);
        const n = tally.get(key);
        if (n === undefined && tally.size >= maxDistinct) {
          throw new DataError(
            { file, ...row.location, column },
            `more than ${maxDistinct} distinct values for the categorical feature ${feature.name} (at ${JSON.stringify(key)}); a column of that many values is an identifier: make it an id feature (hashed buckets), or raise maxDistinct`,
          );
        }
        tally.set(key, (n ?? 0) + 1);
      }
    }
  }

  const vocabularies = new Map(
    counted.map(({ feature, counts: tally }) => {
      // Array.prototype.sort is stable: equal counts keep the Map's first-appearance order.
      const ranked = [...tally].filter(([, n]) => n >= minCount).sort((a, b) => b[1] - a[1]);
      return [feature.name, ranked.slice(0, feature.vocabSize).map(([value]) => value)] as const;
    }),
  );
  return {
    ...spec,
    features: spec.features.map((f) => {
      const vocabulary = vocabularies.get(f.name);
      return vocabulary && f.kind === 'categorical' ? { ...f, vocabulary } : f;
    }),
  };
}
