import { createReadStream } from 'node:fs';
import type { ModelSpec } from '@thaw/spec';
import { parse } from 'csv-parse';
import type { FeatureFrame } from '../frame/feature-frame.js';
import type { ColumnMapping, ResolvedMapping } from './column-mapping.js';
import { DataError } from './data-error.js';
import { FrameRowSink } from './frame-row-sink.js';
import { loadWhole, resolveMapping } from './load-whole.js';

/** Options of the CSV loaders. */
export interface CsvOptions {
  /** Rows per streamed chunk (default 65,536); chunks close at request boundaries. */
  readonly chunkRows?: number;
  /** Field delimiter (default `,`). */
  readonly delimiter?: string;
}

async function* csvChunks(
  file: string,
  mapping: ResolvedMapping,
  spec: ModelSpec,
  options: CsvOptions,
  running: boolean,
): AsyncGenerator<FeatureFrame> {
  const sink = new FrameRowSink(spec, mapping, file, { chunkRows: options.chunkRows ?? 65_536, running });
  let headerError: unknown;
  const parser = createReadStream(file).pipe(
    parse({
      bom: true,
      info: true,
      skip_empty_lines: true,
      delimiter: options.delimiter ?? ',',
      columns: (header: string[]) => {
        try {
          sink.checkColumns(header, { line: 1 });
        } catch (error) {
          headerError = error;
          throw error;
        }
        return header;
      },
    }),
  );
  let rows = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      const chunk = sink.push((column) => record[column], { line: info.lines });
      rows++;
      if (chunk) yield chunk;
    }
  } catch (error) {
    if (headerError) throw headerError;
    if (DataError.isInstance(error)) throw error;
    const e = error as { code?: string; lines?: number; message?: string };
    if (e.code?.startsWith('CSV_'))
      throw new DataError({ file, ...(e.lines ? { line: e.lines } : {}) }, `malformed CSV: ${e.message}`);
    throw error;
  } finally {
    parser.destroy();
  }
  const last = sink.finish();
  if (last) yield last;
  else if (rows === 0) yield sink.empty();
}

/**
 * Streams a CSV log as frame chunks with bounded memory: about `chunkRows` rows each (a request
 * is never cut; a file without rows gives one empty chunk). Item creation times (first
 * appearance) and the as-of item history are derived on the fly when the mapping does not give
 * them, which needs the file sorted by time.
 *
 * Every problem throws a one-line {@link DataError} naming the file, line and column — a missing
 * column, a bad number, an unparseable timestamp, a categorical id beyond the vocabulary.
 *
 * @example
 * ```ts
 * for await (const chunk of streamCsvFrames('impressions.csv', mapping, spec, { chunkRows: 100_000 })) {
 *   for (const batch of batches(chunk, spec, { seed: 1 })) train(batch);
 * }
 * ```
 */
export async function* streamCsvFrames(
  file: string,
  mapping: ColumnMapping | ResolvedMapping,
  spec: ModelSpec,
  options: CsvOptions = {},
): AsyncGenerator<FeatureFrame> {
  yield* csvChunks(file, resolveMapping(mapping, spec), spec, options, true);
}

/**
 * Loads a whole CSV log into one frame (unsorted files are fine: creation times and the as-of
 * item history are derived after loading). Throws before returning anything on the first bad
 * cell, with a one-line {@link DataError} naming file, line and column.
 *
 * @example `const frame = await loadCsvFrame('impressions.csv', mapping, spec);`
 */
export async function loadCsvFrame(
  file: string,
  mapping: ColumnMapping | ResolvedMapping,
  spec: ModelSpec,
  options: CsvOptions = {},
): Promise<FeatureFrame> {
  const resolved = resolveMapping(mapping, spec);
  return loadWhole(csvChunks(file, resolved, spec, options, false), resolved);
}
