import type { ModelSpec } from '@thaw/spec';
import type { FeatureFrame } from '../frame/feature-frame.js';
import type { ColumnMapping, ResolvedMapping } from './column-mapping.js';
import { type FileSource, resolveFiles } from './file-pattern.js';
import { FrameRowSink, sinkChunks } from './frame-row-sink.js';
import { loadWhole, resolveMapping } from './load-whole.js';
import { parquetRows } from './source-rows.js';

/** Options of the Parquet loaders. */
export interface ParquetOptions {
  /** Rows per streamed chunk (default 65,536); chunks close at request boundaries. */
  readonly chunkRows?: number;
}

async function* parquetChunks(
  source: FileSource,
  mapping: ResolvedMapping,
  spec: ModelSpec,
  options: ParquetOptions,
  running: boolean,
): AsyncGenerator<FeatureFrame> {
  const files = await resolveFiles(source);
  const sink = new FrameRowSink(spec, mapping, files[0] as string, { chunkRows: options.chunkRows ?? 65_536, running });
  yield* sinkChunks(sink, files, (file) => parquetRows(file, mapping.requiredColumns));
}

/**
 * Streams Parquet files as frame chunks, one row group at a time (only the mapped columns are
 * read), with bounded memory. `source` is one file, a pattern (`parts/part-*.parquet`, sorted
 * by name) or a list, read in order as one log with shared keys — rows with the same request id
 * form one request whichever file they are in. Like {@link streamCsvFrames}, item creation
 * times and history are derived on the fly when not mapped, which needs rows sorted by time
 * (across files too). Problems throw a one-line `DataError` naming the file, the (0-based) row
 * and the column.
 *
 * @example
 * ```ts
 * for await (const chunk of streamParquetFrames('parts/part-*.parquet', mapping, spec)) use(chunk);
 * ```
 */
export async function* streamParquetFrames(
  source: FileSource,
  mapping: ColumnMapping | ResolvedMapping,
  spec: ModelSpec,
  options: ParquetOptions = {},
): AsyncGenerator<FeatureFrame> {
  yield* parquetChunks(source, resolveMapping(mapping, spec), spec, options, true);
}

/**
 * Loads whole Parquet files — one, a pattern or a list, as for {@link streamParquetFrames} —
 * into one frame (rows in any order). Throws before returning on the first bad cell.
 *
 * @example `const frame = await loadParquetFrame('impressions.parquet', frameParquetMapping(spec), spec);`
 */
export async function loadParquetFrame(
  source: FileSource,
  mapping: ColumnMapping | ResolvedMapping,
  spec: ModelSpec,
  options: ParquetOptions = {},
): Promise<FeatureFrame> {
  const resolved = resolveMapping(mapping, spec);
  return loadWhole(parquetChunks(source, resolved, spec, options, false), resolved);
}
