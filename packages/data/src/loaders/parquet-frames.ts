import type { ModelSpec } from '@thaw/spec';
import { asyncBufferFromFile, parquetMetadataAsync, parquetScan, parquetSchema } from 'hyparquet';
import type { FeatureFrame } from '../frame/feature-frame.js';
import type { ColumnMapping, ResolvedMapping } from './column-mapping.js';
import { FrameRowSink } from './frame-row-sink.js';
import { loadWhole, resolveMapping } from './load-whole.js';
import type { Cell } from './parse-values.js';

/** Options of the Parquet loaders. */
export interface ParquetOptions {
  /** Rows per streamed chunk (default 65,536); chunks close at request boundaries. */
  readonly chunkRows?: number;
}

async function* parquetChunks(
  file: string,
  mapping: ResolvedMapping,
  spec: ModelSpec,
  options: ParquetOptions,
  running: boolean,
): AsyncGenerator<FeatureFrame> {
  const sink = new FrameRowSink(spec, mapping, file, { chunkRows: options.chunkRows ?? 65_536, running });
  const buffer = await asyncBufferFromFile(file);
  const metadata = await parquetMetadataAsync(buffer);
  sink.checkColumns(
    parquetSchema(metadata).children.map((c) => c.element.name),
    {},
  );
  const columns = [...mapping.requiredColumns];
  const scan = await parquetScan({ file: buffer, metadata, columns });
  let groupStart = 0;
  for (const group of metadata.row_groups) {
    const rowStart = groupStart;
    const rowEnd = rowStart + Number(group.num_rows);
    groupStart = rowEnd;
    if (rowEnd === rowStart) continue;
    const data = new Map<string, ArrayLike<unknown>>();
    for (const column of columns) data.set(column, await scan.readColumn({ column, rowStart, rowEnd }));
    for (let i = 0; i < rowEnd - rowStart; i++) {
      const chunk = sink.push((column) => data.get(column)?.[i] as Cell, { row: rowStart + i });
      if (chunk) yield chunk;
    }
  }
  const last = sink.finish();
  if (last) yield last;
  else if (groupStart === 0) yield sink.empty();
}

/**
 * Streams a Parquet file as frame chunks, one row group at a time (only the mapped columns are
 * read), with bounded memory. Like {@link streamCsvFrames}, item creation times and history are
 * derived on the fly when not mapped, which needs rows sorted by time. Problems throw a
 * one-line `DataError` naming the file, the (0-based) row and the column.
 *
 * @example
 * ```ts
 * for await (const chunk of streamParquetFrames('impressions.parquet', mapping, spec)) use(chunk);
 * ```
 */
export async function* streamParquetFrames(
  file: string,
  mapping: ColumnMapping | ResolvedMapping,
  spec: ModelSpec,
  options: ParquetOptions = {},
): AsyncGenerator<FeatureFrame> {
  yield* parquetChunks(file, resolveMapping(mapping, spec), spec, options, true);
}

/**
 * Loads a whole Parquet file into one frame (rows in any order). Throws before returning on the
 * first bad cell.
 *
 * @example `const frame = await loadParquetFrame('impressions.parquet', frameParquetMapping(spec), spec);`
 */
export async function loadParquetFrame(
  file: string,
  mapping: ColumnMapping | ResolvedMapping,
  spec: ModelSpec,
  options: ParquetOptions = {},
): Promise<FeatureFrame> {
  const resolved = resolveMapping(mapping, spec);
  return loadWhole(parquetChunks(file, resolved, spec, options, false), resolved);
}
