import type { ModelSpec } from '@thaw/spec';
import type { FeatureFrame } from '../frame/feature-frame.js';
import type { ColumnMapping, ResolvedMapping } from './column-mapping.js';
import { type FileSource, resolveFiles } from './file-pattern.js';
import { FrameRowSink, sinkChunks } from './frame-row-sink.js';
import { loadWhole, resolveMapping } from './load-whole.js';
import { csvRows } from './source-rows.js';

/** Options of the CSV loaders. */
export interface CsvOptions {
  /** Rows per streamed chunk (default 65,536); chunks close at request boundaries. */
  readonly chunkRows?: number;
  /** Field delimiter (default `,`). */
  readonly delimiter?: string;
}

async function* csvChunks(
  source: FileSource,
  mapping: ResolvedMapping,
  spec: ModelSpec,
  options: CsvOptions,
  running: boolean,
): AsyncGenerator<FeatureFrame> {
  const files = await resolveFiles(source);
  const sink = new FrameRowSink(spec, mapping, files[0] as string, { chunkRows: options.chunkRows ?? 65_536, running });
  yield* sinkChunks(sink, files, (file) => csvRows(file, mapping.requiredColumns, options));
}

/**
 * Streams a CSV log as frame chunks with bounded memory: about `chunkRows` rows each (a request
 * is never cut; a source without rows gives one empty chunk). Item creation times (first
 * appearance) and the as-of item history are derived on the fly when the mapping does not give
 * them, which needs the rows sorted by time (across files too: name them so that their sorted
 * order is time order, e.g. `day-2025-01-01.csv`).
 *
 * `source` is one file, a pattern with `*` / `?` in its last segment (`logs/day-*.csv`, files
 * sorted by name; see `expandFilePattern`) or a list of files and patterns, read in order as one
 * log: every file has its own header (columns in any order), keys are shared — **rows with the
 * same request id form one request whichever file they are in** (a chunk keeps a request whole
 * when its rows are consecutive, also across a file boundary).
 *
 * Every problem throws a one-line {@link DataError} naming the file, line and column — a missing
 * column, a bad number, an unparseable timestamp, a categorical id beyond the vocabulary.
 *
 * @example
 * ```ts
 * for await (const chunk of streamCsvFrames('logs/day-*.csv', mapping, spec, { chunkRows: 100_000 })) {
 *   for (const batch of batches(chunk, spec, { seed: 1 })) train(batch);
 * }
 * ```
 */
export async function* streamCsvFrames(
  source: FileSource,
  mapping: ColumnMapping | ResolvedMapping,
  spec: ModelSpec,
  options: CsvOptions = {},
): AsyncGenerator<FeatureFrame> {
  yield* csvChunks(source, resolveMapping(mapping, spec), spec, options, true);
}

/**
 * Loads a whole CSV log — one file, a pattern (`logs/day-*.csv`) or a list, as for
 * {@link streamCsvFrames} — into one frame (unsorted rows are fine: creation times and the as-of
 * item history are derived after loading, over all files). Throws before returning anything on
 * the first bad cell, with a one-line {@link DataError} naming file, line and column.
 *
 * @example `const frame = await loadCsvFrame(['jan.csv', 'feb.csv'], mapping, spec);`
 */
export async function loadCsvFrame(
  source: FileSource,
  mapping: ColumnMapping | ResolvedMapping,
  spec: ModelSpec,
  options: CsvOptions = {},
): Promise<FeatureFrame> {
  const resolved = resolveMapping(mapping, spec);
  return loadWhole(csvChunks(source, resolved, spec, options, false), resolved);
}
