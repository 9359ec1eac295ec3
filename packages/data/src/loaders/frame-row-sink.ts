import { encodeCategorical, hashToBucket, type ModelSpec } from '@thaw/spec';
import type { FeatureFrame } from '../frame/feature-frame.js';
import { FrameBuilder } from '../frame/frame-builder.js';
import type { ResolvedFeature, ResolvedMapping } from './column-mapping.js';
import { DataError } from './data-error.js';
import {
  type Cell,
  CellError,
  categoryKey,
  isEmptyCell,
  parseKey,
  parseNumber,
  parseProbability,
  parseTimestamp,
} from './parse-values.js';
import { type RowLocation, readCell, type SourceRow } from './source-rows.js';

class KeyDictionary {
  readonly keys: string[] = [];
  private readonly codes = new Map<string, number>();
  code(key: string): number {
    let code = this.codes.get(key);
    if (code === undefined) {
      code = this.keys.length;
      this.codes.set(key, code);
      this.keys.push(key);
    }
    return code;
  }
}

/** Options of {@link FrameRowSink}. */
export interface FrameRowSinkOptions {
  /** Rows per chunk; a chunk closes at the first request boundary after this many rows. */
  readonly chunkRows: number;
  /**
   * Derive `itemCreatedAt` (first appearance) and the item history (strictly earlier rows) while
   * streaming; needs non-decreasing timestamps. When false, the loader derives them after loading
   * the whole file (`deriveFromRows`).
   */
  readonly running: boolean;
}

/**
 * Encodes source rows (a cell getter per row) into frame chunks following a resolved column
 * mapping. Every problem becomes a one-line {@link DataError} naming the file, the line or row
 * and the column. Shared by the CSV and Parquet loaders.
 */
export class FrameRowSink {
  private readonly builder: FrameBuilder;
  private readonly requests = new KeyDictionary();
  private readonly items = new KeyDictionary();
  private readonly users = new KeyDictionary();
  private lastRequest: string | undefined;
  private lastTime = Number.NEGATIVE_INFINITY;
  private readonly firstSeen = new Map<number, number>();
  private readonly tallies = new Map<number, [number, number]>();
  private pending: [item: number, positive: number][] = [];

  /**
   * The file the next rows come from (named in errors). Rows of several files go through one
   * sink, so keys are shared: a request id seen in two files is one request.
   */
  file: string;

  constructor(
    readonly spec: ModelSpec,
    readonly mapping: ResolvedMapping,
    file: string,
    readonly options: FrameRowSinkOptions,
  ) {
    this.file = file;
    if (!Number.isInteger(options.chunkRows) || options.chunkRows < 1) {
      throw new RangeError(`chunkRows must be an integer ≥ 1 (got ${options.chunkRows})`);
    }
    this.builder = new FrameBuilder(spec, {
      truth: mapping.truth !== undefined,
      itemHistory: mapping.itemHistory !== undefined || options.running,
      capacity: Math.min(options.chunkRows + 64, 1 << 16),
    });
  }

  private read<T>(get: (column: string) => Cell, column: string, location: RowLocation, parse: (cell: Cell) => T): T {
    return readCell(this.file, { get, location }, column, parse);
  }

  private feature(f: ResolvedFeature, get: (column: string) => Cell, location: RowLocation, r: number): void {
    const spec = f.feature;
    const column = f.columns[0] as string;
    if (f.encoded && spec.kind !== 'dense') {
      const max = spec.kind === 'id' ? spec.buckets - 1 : spec.vocabSize;
      const row = this.read(get, column, location, (cell) => {
        const v = parseNumber(cell);
        if (!Number.isInteger(v) || v < 0 || v > max) {
          throw new CellError(
            `embedding row ${JSON.stringify(String(cell))} is beyond the vocabulary of ${spec.name} (rows 0…${max})`,
          );
        }
        return v;
      });
      this.builder.setIndex(spec.name, r, row);
      return;
    }
    if (spec.kind === 'id') {
      this.builder.setIndex(spec.name, r, hashToBucket(this.read(get, column, location, parseKey), spec.buckets));
      return;
    }
    if (spec.kind === 'categorical') {
      const row = this.read(get, column, location, (cell) => {
        if (isEmptyCell(cell)) return spec.vocabSize;
        if (spec.vocabulary) {
          const encoded = encodeCategorical(spec, categoryKey(cell));
          if (encoded === spec.vocabSize && f.unknown === 'error') {
            throw new CellError(
              `value ${JSON.stringify(String(cell))} is not in the vocabulary of ${spec.name} (${spec.vocabSize} values)`,
            );
          }
          return encoded;
        }
        const code = cell instanceof Date ? Number.NaN : Number(cell);
        if (Number.isInteger(code) && code >= 0 && code < spec.vocabSize) return code;
        if (f.unknown === 'oov') return spec.vocabSize;
        if (Number.isNaN(code))
          throw new CellError(
            `value ${JSON.stringify(String(cell))} is not an integer code and ${spec.name} has no vocabulary (give the spec feature a "vocabulary", or fill it from the data with inferVocabularies)`,
          );
        throw new CellError(
          `id ${JSON.stringify(String(cell))} is beyond the vocabulary of ${spec.name} (integer codes 0…${spec.vocabSize - 1}; set "unknown": "oov" to map it to the OOV row)`,
        );
      });
      this.builder.setIndex(spec.name, r, row);
      return;
    }
    const dense = (cell: Cell, k: number): number => {
      if (isEmptyCell(cell)) {
        const fill = spec.fill?.[k];
        if (fill === undefined)
          throw new CellError(
            `empty value for dense feature ${spec.name} (give the spec feature a "fill" to allow missing values)`,
          );
        return fill;
      }
      return parseNumber(cell);
    };
    if (f.separator !== undefined) {
      const values = this.read(get, column, location, (cell) => {
        const parts = isEmptyCell(cell)
          ? []
          : String(cell)
              .trim()
              .split(f.separator as string);
        if (isEmptyCell(cell) && spec.fill) return spec.fill;
        if (parts.length !== spec.dim)
          throw new CellError(`expected ${spec.dim} values separated by ${JSON.stringify(f.separator)} (got ${parts.length})`);
        return parts.map((p, k) => dense(p, k));
      });
      this.builder.setDense(spec.name, r, values);
      return;
    }
    f.columns.forEach((c, k) => {
      this.builder.setDenseAt(
        spec.name,
        r,
        k,
        this.read(get, c, location, (cell) => dense(cell, k)),
      );
    });
  }

  /**
   * Encodes one row. Returns the finished chunk when this row starts a new request after the
   * chunk reached `chunkRows` rows (the row then opens the next chunk).
   */
  push(get: (column: string) => Cell, location: RowLocation): FeatureFrame | undefined {
    const m = this.mapping;
    const requestKey = this.read(get, m.requestId, location, parseKey);
    let done: FeatureFrame | undefined;
    if (this.builder.size >= this.options.chunkRows && requestKey !== this.lastRequest) done = this.flush();
    this.lastRequest = requestKey;
    const timestamp = this.read(get, m.timestamp.column, location, (c) => parseTimestamp(c, m.timestamp.format));
    const derives = this.options.running && (!m.itemCreatedAt || !m.itemHistory);
    if (derives && timestamp < this.lastTime) {
      throw new DataError(
        { file: this.file, ...location, column: m.timestamp.column },
        `timestamps must be non-decreasing to derive item history and creation times while streaming (got ${timestamp} after ${this.lastTime}); sort the file by time, or load it whole`,
      );
    }
    const itemId = this.items.code(this.read(get, m.itemId, location, parseKey));
    const userId = this.users.code(this.read(get, m.userId, location, parseKey));
    const created = m.itemCreatedAt
      ? this.read(get, m.itemCreatedAt.column, location, (c) => parseTimestamp(c, m.itemCreatedAt?.format ?? 'auto'))
      : this.options.running
        ? (this.firstSeen.get(itemId) ?? timestamp)
        : timestamp;
    if (!m.itemCreatedAt && this.options.running && !this.firstSeen.has(itemId)) this.firstSeen.set(itemId, timestamp);
    const r = this.builder.addRow();
    this.builder.setMeta(r, { requestId: this.requests.code(requestKey), itemId, userId, timestamp, itemCreatedAt: created });
    for (const f of m.features) this.feature(f, get, location, r);
    for (const [task, column] of m.labels) this.builder.setLabel(task, r, this.read(get, column, location, parseProbability));
    for (const [task, column] of m.truth ?? [])
      this.builder.setTruth(task, r, this.read(get, column, location, parseProbability));
    if (m.itemHistory) {
      const count = (cell: Cell) => {
        const v = parseNumber(cell);
        if (!Number.isInteger(v) || v < 0)
          throw new CellError(`expected a count, an integer ≥ 0 (got ${JSON.stringify(String(cell))})`);
        return v;
      };
      this.builder.setHistory(
        r,
        this.read(get, m.itemHistory.events, location, count),
        this.read(get, m.itemHistory.positives, location, count),
      );
    } else if (this.options.running) {
      if (timestamp > this.lastTime) {
        for (const [item, positive] of this.pending) {
          const tally = this.tallies.get(item) ?? [0, 0];
          tally[0] += 1;
          tally[1] += positive;
          this.tallies.set(item, tally);
        }
        this.pending = [];
      }
      const tally = this.tallies.get(itemId);
      this.builder.setHistory(r, tally?.[0] ?? 0, tally?.[1] ?? 0);
      const first = m.labels[0];
      this.pending.push([itemId, first ? this.labelOf(first[0], r) : 0]);
    }
    this.lastTime = Math.max(this.lastTime, timestamp);
    return done;
  }

  private labelOf(task: string, r: number): number {
    return (this.builder.labelAt(task, r) ?? 0) >= 0.5 ? 1 : 0;
  }

  private flush(): FeatureFrame {
    const frame = this.builder.build({ item: this.items.keys, user: this.users.keys, request: this.requests.keys });
    this.builder.clear();
    return frame;
  }

  /** The last, partial chunk (undefined when no row is pending). */
  finish(): FeatureFrame | undefined {
    return this.builder.size > 0 ? this.flush() : undefined;
  }

  /** An empty frame with this sink's columns (a file with a header and no rows). */
  empty(): FeatureFrame {
    return this.builder.build({ item: this.items.keys, user: this.users.keys, request: this.requests.keys });
  }
}

/**
 * Pushes the rows of `files`, in order, through one sink and yields its chunks (a source
 * without rows gives one empty chunk). The sink names each file in its errors.
 */
export async function* sinkChunks(
  sink: FrameRowSink,
  files: readonly string[],
  rowsOf: (file: string) => AsyncIterable<SourceRow>,
): AsyncGenerator<FeatureFrame> {
  let rows = 0;
  for (const file of files) {
    sink.file = file;
    for await (const { get, location } of rowsOf(file)) {
      const chunk = sink.push(get, location);
      rows++;
      if (chunk) yield chunk;
    }
  }
  const last = sink.finish();
  if (last) yield last;
  else if (rows === 0) yield sink.empty();
}
