import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import type { ModelSpec } from '@thaw/spec';
import { type ColumnSource, fileWriter, ParquetWriter, schemaFromColumnData } from 'hyparquet-writer';
import type { FeatureFrame } from '../frame/feature-frame.js';
import type { ColumnMapping } from './column-mapping.js';

/** Options of {@link writeFrameParquet}. */
export interface WriteParquetOptions {
  /** Rows per Parquet row group (default 65,536): the unit the streaming reader loads at once. */
  readonly rowGroupSize?: number;
}

const keyColumn = (ids: Int32Array, keys: readonly string[] | undefined): ColumnSource =>
  keys
    ? { name: '', data: Array.from(ids, (i) => keys[i] ?? String(i)), type: 'STRING' }
    : { name: '', data: ids, type: 'INT32' };

function columnsOf(frame: FeatureFrame, spec: ModelSpec): ColumnSource[] {
  const col = (name: string, source: Omit<ColumnSource, 'name'>): ColumnSource => ({ ...source, name, nullable: false });
  const out: ColumnSource[] = [
    col('request_id', keyColumn(frame.requestId, frame.keys?.request)),
    col('item_id', keyColumn(frame.itemId, frame.keys?.item)),
    col('user_id', keyColumn(frame.userId, frame.keys?.user)),
    col('timestamp', { data: frame.timestamp, type: 'DOUBLE' }),
    col('item_created_at', { data: frame.itemCreatedAt, type: 'DOUBLE' }),
  ];
  for (const t of spec.tasks) {
    out.push(col(`label_${t.name}`, { data: frame.labels[t.name] as Float32Array, type: 'FLOAT' }));
    if (frame.truth) out.push(col(`truth_${t.name}`, { data: frame.truth[t.name] as Float32Array, type: 'FLOAT' }));
  }
  for (const f of spec.features) {
    const data = frame.features[f.name];
    if (!data) throw new TypeError(`writeFrameParquet: the frame has no column for spec feature ${JSON.stringify(f.name)}`);
    if (f.kind !== 'dense') {
      out.push(col(`feature_${f.name}`, { data, type: 'INT32' }));
      continue;
    }
    for (let k = 0; k < f.dim; k++) {
      const values = new Float32Array(frame.size);
      for (let r = 0; r < frame.size; r++) values[r] = data[r * f.dim + k] as number;
      out.push(col(`feature_${f.name}_${k}`, { data: values, type: 'FLOAT' }));
    }
  }
  if (frame.itemHistory) {
    out.push(col('item_history_events', { data: frame.itemHistory.events, type: 'INT32' }));
    out.push(col('item_history_positives', { data: frame.itemHistory.positives, type: 'INT32' }));
  }
  return out;
}

/**
 * The column mapping that reads a file written by {@link writeFrameParquet} back into the same
 * frame (features already encoded, history and truth included when present).
 *
 * @example `await loadParquetFrame(path, frameParquetMapping(spec, { truth: true }), spec)`
 */
export function frameParquetMapping(spec: ModelSpec, present: { truth?: boolean; itemHistory?: boolean } = {}): ColumnMapping {
  return {
    mappingVersion: 1,
    requestId: 'request_id',
    itemId: 'item_id',
    userId: 'user_id',
    timestamp: { column: 'timestamp', format: 'unixSeconds' },
    itemCreatedAt: { column: 'item_created_at', format: 'unixSeconds' },
    labels: Object.fromEntries(spec.tasks.map((t) => [t.name, `label_${t.name}`])),
    ...(present.truth ? { truth: Object.fromEntries(spec.tasks.map((t) => [t.name, `truth_${t.name}`])) } : {}),
    features: Object.fromEntries(
      spec.features.map((f) => [
        f.name,
        f.kind === 'dense' ? { prefix: `feature_${f.name}_` } : { column: `feature_${f.name}`, encoded: true as const },
      ]),
    ),
    ...(present.itemHistory ? { itemHistory: { events: 'item_history_events', positives: 'item_history_positives' } } : {}),
  };
}

/**
 * Writes a frame, or a stream of frame chunks, to a Parquet file — one or more row groups per
 * chunk, so a larger-than-memory source converts with bounded memory. The write is atomic: rows go
 * to a temporary file beside `path`, renamed at the end; if anything fails (a malformed source
 * row, a full disk) the temporary file is removed and **nothing is written** at `path`.
 * Read it back with `loadParquetFrame`/`streamParquetFrames` and {@link frameParquetMapping}.
 *
 * @returns the number of rows written.
 * @example `await writeFrameParquet(streamCsvFrames('big.csv', mapping, spec), spec, 'big.parquet')`
 */
export async function writeFrameParquet(
  frames: FeatureFrame | Iterable<FeatureFrame> | AsyncIterable<FeatureFrame>,
  spec: ModelSpec,
  path: string,
  options: WriteParquetOptions = {},
): Promise<number> {
  const rowGroupSize = options.rowGroupSize ?? 65_536;
  if (!Number.isInteger(rowGroupSize) || rowGroupSize < 1) {
    throw new RangeError(`writeFrameParquet: rowGroupSize must be an integer ≥ 1 (got ${rowGroupSize})`);
  }
  const source: Iterable<FeatureFrame> | AsyncIterable<FeatureFrame> = 'size' in frames ? [frames] : frames;
  const temporary = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  let writer: ParquetWriter | undefined;
  let rows = 0;
  try {
    for await (const frame of source) {
      if (frame.size === 0) continue;
      const columnData = columnsOf(frame, spec);
      if (!writer) {
        writer = new ParquetWriter({ writer: fileWriter(temporary), schema: schemaFromColumnData({ columnData }) });
      }
      await writer.write({ columnData: columnData.map(({ type: _type, ...c }) => c), rowGroupSize });
      rows += frame.size;
    }
    if (!writer) throw new RangeError('writeFrameParquet: no rows to write (the source was empty)');
    await writer.finish();
    await rename(temporary, path);
    return rows;
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
