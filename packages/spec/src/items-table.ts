import { encodeCategorical } from './encode-categorical.js';
import { hashToBucket } from './hash-id.js';
import { specHash } from './spec-hash.js';
import type { FeatureSpec, ModelSpec } from './types.js';

/**
 * The items table: the serving artifact that maps an item id to the raw values of its item-source
 * features (`source: 'item'`, historical and non-historical) as of the end of training. The
 * trainer writes it beside `spec.json` and `model.onnx`; `thaw-serve` looks candidates up in it.
 *
 * ## On-disk format (`items-table.bin`, version 1, little-endian)
 * | bytes | content |
 * |---|---|
 * | 0–7 | magic `THAWITEM` (ASCII) |
 * | 8–11 | uint32: byte length `H` of the JSON header |
 * | 12 … 12+H | UTF-8 JSON header (below) |
 * | … | zero padding to a multiple of 8 |
 * | body | the columns, each at its `offset` from the body start (8-byte aligned) |
 *
 * Header: `{ format: 'thaw-items', formatVersion: 1, specHash, specName, asOf, count, itemIds,
 * columns: [{ name, kind, dtype, width, offset, byteLength }], cold: { offset, byteLength } }`.
 * A column is row-major `[count, width]`: dense features float32 `width = dim` raw values (the
 * model applies `stats`); categorical features int32 rows from `encodeCategorical` (`vocabSize` =
 * OOV); id features int32 rows from `hashToBucket`. `cold` is one uint8 per item, 1 when the item
 * was cold (age < `coldDays`) as of `asOf`.
 *
 * A feature without `source` counts as an item feature.
 */
export interface ItemsTable {
  /** `specHash` of the spec the table was written for. */
  readonly specHash: string;
  readonly specName: string;
  /** When the values were taken (free text: ISO time, simulator day …), or null. */
  readonly asOf: string | null;
  /** Number of items. */
  readonly count: number;
  readonly itemIds: readonly string[];
  /** One column per item-source feature, in spec order. */
  readonly columns: Readonly<Record<string, ItemsTableColumn>>;
  /** 1 when the item was cold as of `asOf`. */
  readonly cold: Uint8Array;
  /** Row of `itemId`, or `undefined` for an item unknown to the table (new since training). */
  rowOf(itemId: string): number | undefined;
}

/** One feature's values for every item: `data` is row-major `[count, width]`. */
export interface ItemsTableColumn {
  readonly kind: FeatureSpec['kind'];
  readonly width: number;
  readonly data: Float32Array | Int32Array;
}

/** What {@link writeItemsTable} serialises. */
export interface ItemsTableInput {
  /** Unique, non-empty item ids. */
  readonly itemIds: readonly string[];
  /** Per item-source feature: dense `count × dim` raw floats, categorical/id `count` rows. */
  readonly features: Readonly<Record<string, ArrayLike<number>>>;
  /** 1/true = cold as of `asOf` (default: all warm). */
  readonly cold?: ArrayLike<number | boolean>;
  readonly asOf?: string;
}

const MAGIC = 'THAWITEM';
const FORMAT = 'thaw-items';
const VERSION = 1;

/** The features an items table holds: `source: 'item'` (or no source), in spec order. */
export function itemSourceFeatures(spec: ModelSpec): FeatureSpec[] {
  return spec.features.filter((f) => (f.source ?? 'item') === 'item');
}

const widthOf = (f: FeatureSpec) => (f.kind === 'dense' ? f.dim : 1);
const align8 = (n: number) => Math.ceil(n / 8) * 8;

function checkedColumn(f: FeatureSpec, values: ArrayLike<number> | undefined, count: number): Float32Array | Int32Array {
  const where = `writeItemsTable: features['${f.name}']`;
  if (values === undefined) throw new TypeError(`${where} is missing; give every item-source feature of the spec`);
  const expected = count * widthOf(f);
  if (values.length !== expected) {
    throw new RangeError(`${where} must hold ${expected} values (${count} items × ${widthOf(f)}; got ${values.length})`);
  }
  if (f.kind === 'dense') {
    const data = Float32Array.from(values);
    const bad = data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new RangeError(`${where}[${bad}] must be a finite number (got ${data[bad]}); fill missing values first`);
    return data;
  }
  const rows = f.kind === 'categorical' ? f.vocabSize + 1 : f.buckets;
  const data = Int32Array.from(values);
  const bad = Array.prototype.findIndex.call(values, (v: number) => !Number.isInteger(v) || v < 0 || v >= rows);
  if (bad >= 0) {
    const how = f.kind === 'categorical' ? 'encodeCategorical' : 'hashToBucket';
    throw new RangeError(`${where}[${bad}] must be a row in [0, ${rows}) from ${how} (got ${values[bad]})`);
  }
  return data;
}

/**
 * Serialises an items table for `spec` (format: see {@link ItemsTable}). Write the bytes to
 * `items-table.bin` in the artifacts directory.
 *
 * @throws TypeError/RangeError naming the feature or item that is missing, duplicated or out of range.
 * @example
 * ```ts
 * const bytes = writeItemsTable(spec, { itemIds: ['a', 'b'], features: { item_id: [hashToBucket('a', 8192), hashToBucket('b', 8192)], … }, asOf: 'day 27' });
 * await writeFile('runs/demo/items-table.bin', bytes);
 * ```
 */
export function writeItemsTable(spec: ModelSpec, input: ItemsTableInput): Uint8Array {
  const count = input.itemIds.length;
  const seen = new Set<string>();
  input.itemIds.forEach((id, i) => {
    if (typeof id !== 'string' || id === '')
      throw new TypeError(`writeItemsTable: itemIds[${i}] must be a non-empty string (got ${JSON.stringify(id)})`);
    if (seen.has(id)) throw new RangeError(`writeItemsTable: itemIds[${i}] '${id}' appears twice; item ids must be unique`);
    seen.add(id);
  });
  const features = itemSourceFeatures(spec);
  const known = new Set(features.map((f) => f.name));
  const extra = Object.keys(input.features).find((name) => !known.has(name));
  if (extra !== undefined) {
    throw new TypeError(
      `writeItemsTable: features['${extra}'] is not an item-source feature of spec '${spec.name}' (${[...known].join(', ')})`,
    );
  }
  const cold = new Uint8Array(count);
  if (input.cold !== undefined) {
    if (input.cold.length !== count)
      throw new RangeError(`writeItemsTable: cold must hold one flag per item (${count}; got ${input.cold.length})`);
    for (let i = 0; i < count; i++) cold[i] = input.cold[i] ? 1 : 0;
  }
  const blocks: Uint8Array[] = [];
  let offset = 0;
  const place = (bytes: Uint8Array) => {
    const at = offset;
    blocks.push(bytes);
    offset = align8(offset + bytes.byteLength);
    return { offset: at, byteLength: bytes.byteLength };
  };
  const columns = features.map((f) => {
    const data = checkedColumn(f, input.features[f.name], count);
    const placed = place(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return { name: f.name, kind: f.kind, dtype: f.kind === 'dense' ? 'float32' : 'int32', width: widthOf(f), ...placed };
  });
  const coldBlock = place(cold);
  const header = new TextEncoder().encode(
    JSON.stringify({
      format: FORMAT,
      formatVersion: VERSION,
      specHash: specHash(spec),
      specName: spec.name,
      asOf: input.asOf ?? null,
      count,
      itemIds: input.itemIds,
      columns,
      cold: coldBlock,
    }),
  );
  const bodyStart = align8(12 + header.byteLength);
  const out = new Uint8Array(bodyStart + offset);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, header.byteLength, true);
  out.set(header, 12);
  let at = bodyStart;
  for (const block of blocks) {
    out.set(block, at);
    at += align8(block.byteLength);
  }
  return out;
}

interface Header {
  format: string;
  formatVersion: number;
  specHash: string;
  specName: string;
  asOf: string | null;
  count: number;
  itemIds: string[];
  columns: {
    name: string;
    kind: FeatureSpec['kind'];
    dtype: 'float32' | 'int32';
    width: number;
    offset: number;
    byteLength: number;
  }[];
  cold: { offset: number; byteLength: number };
}

function fail(message: string): never {
  throw new Error(`readItemsTable: ${message}`);
}

/**
 * Parses an items table written by {@link writeItemsTable}. With `spec`, also checks that the table
 * was written for it (same `specHash`) — pass the `spec.json` beside it.
 *
 * @throws Error saying what is wrong: not an items table, a newer format version, a truncated file,
 *   or a table written for another spec.
 * @example
 * ```ts
 * const table = readItemsTable(await readFile('runs/demo/items-table.bin'), spec);
 * const row = table.rowOf('item-42'); // undefined → unknown item: use coldItemValues(spec, 'item-42')
 * ```
 */
export function readItemsTable(bytes: Uint8Array, spec?: ModelSpec): ItemsTable {
  if (bytes.byteLength < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    fail(`not a thaw items table (expected the magic '${MAGIC}' at the start; was it written by writeItemsTable?)`);
  }
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (12 + headerLength > bytes.byteLength)
    fail(`the file is truncated (header of ${headerLength} bytes, file of ${bytes.byteLength})`);
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength))) as Header;
  } catch (error) {
    fail(`the JSON header is corrupt (${(error as Error).message})`);
  }
  if (header.format !== FORMAT) fail(`header.format must be '${FORMAT}' (got ${JSON.stringify(header.format)})`);
  if (header.formatVersion !== VERSION) {
    fail(`formatVersion ${header.formatVersion} is not supported (this reader knows ${VERSION}); upgrade @thaw/spec`);
  }
  if (spec && header.specHash !== specHash(spec)) {
    fail(
      `the table was written for spec '${header.specName}' (hash ${header.specHash}), not for '${spec.name}' (hash ${specHash(spec)}); use the spec.json it was written with`,
    );
  }
  const bodyStart = align8(12 + headerLength);
  const slice = (block: { offset: number; byteLength: number }, what: string) => {
    const start = bodyStart + block.offset;
    if (start + block.byteLength > bytes.byteLength) fail(`the file is truncated (${what} ends past byte ${bytes.byteLength})`);
    // A copy into its own 8-aligned buffer (a Node Buffer's slice() would be a view into a shared pool).
    return new Uint8Array(bytes.subarray(start, start + block.byteLength));
  };
  const columns: Record<string, ItemsTableColumn> = {};
  for (const c of header.columns) {
    const raw = slice(c, `column '${c.name}'`);
    const data = c.dtype === 'float32' ? new Float32Array(raw.buffer) : new Int32Array(raw.buffer);
    if (data.length !== header.count * c.width)
      fail(`column '${c.name}' holds ${data.length} values, expected ${header.count} × ${c.width}`);
    columns[c.name] = { kind: c.kind, width: c.width, data };
  }
  const cold = slice(header.cold, 'the cold flags');
  if (cold.length !== header.count) fail(`cold holds ${cold.length} flags, expected ${header.count}`);
  const index = new Map(header.itemIds.map((id, i) => [id, i]));
  return {
    specHash: header.specHash,
    specName: header.specName,
    asOf: header.asOf,
    count: header.count,
    itemIds: header.itemIds,
    columns,
    cold,
    rowOf: (itemId) => index.get(itemId),
  };
}

/**
 * The values an item unknown to the items table (new since training) is scored with, per
 * item-source feature, before inline values override the non-historical ones:
 * - dense: the spec's `fill` (training sets it to what cold items had), else zeros;
 * - categorical: the OOV row `vocabSize`;
 * - id: `hashToBucket(itemId, buckets)` (an item-source id feature identifies the item).
 *
 * Returns the model rows: dense `number[]` of `dim` values, categorical/id a row number.
 *
 * @example `coldItemValues(demoSpec, 'pin-9')` → `{ item_id: 5012, item_stats: [0, …], item_category: 24, … }`
 */
export function coldItemValues(spec: ModelSpec, itemId: string): Record<string, number | number[]> {
  const out: Record<string, number | number[]> = {};
  for (const f of itemSourceFeatures(spec)) {
    if (f.kind === 'dense') out[f.name] = f.fill ? [...f.fill] : new Array<number>(f.dim).fill(0);
    else if (f.kind === 'categorical') out[f.name] = encodeCategorical(f, null);
    else out[f.name] = hashToBucket(itemId, f.buckets);
  }
  return out;
}
