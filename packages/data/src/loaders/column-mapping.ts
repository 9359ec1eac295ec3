import type { FeatureSpec, ModelSpec } from '@thaw/spec';

/** How a time column is written: Unix seconds, Unix milliseconds, ISO 8601, or guessed per value. */
export type TimeFormat = 'unixSeconds' | 'unixMillis' | 'iso8601' | 'auto';

/** A time column: a column name (format `auto`) or `{ column, format }`. */
export type TimeColumn = string | { readonly column: string; readonly format?: TimeFormat };

/**
 * Where a spec feature's values are:
 * - `"col"` — one column (a 1-wide dense feature, a categorical or an id);
 * - `{ "column": "col", "unknown": "oov" | "error" }` — a categorical with an explicit policy for
 *   values outside the vocabulary (default: unknown *strings* go to the OOV row, integer codes
 *   outside `[0, vocabSize)` are an error);
 * - `{ "column": "col", "encoded": true }` — a categorical or id feature whose cells already hold
 *   the embedding row (e.g. files written by `writeFrameParquet`); rows outside the table are an
 *   error;
 * - `{ "columns": ["c0", "c1", …] }` — a dense feature, one column per dimension;
 * - `{ "prefix": "emb_" }` — a dense feature in columns `emb_0 … emb_{dim−1}`;
 * - `{ "column": "vec", "separator": " " }` — a dense feature packed in one cell.
 */
export type FeatureColumnMapping =
  | string
  | { readonly column: string; readonly unknown?: 'oov' | 'error' }
  | { readonly column: string; readonly encoded: true }
  | { readonly columns: readonly string[] }
  | { readonly prefix: string }
  | { readonly column: string; readonly separator: string };

/**
 * The column mapping (JSON) that tells the CSV and Parquet loaders where every spec feature,
 * key, time and label is in a file.
 *
 * @example
 * ```json
 * {
 *   "mappingVersion": 1,
 *   "requestId": "request_id", "itemId": "pin_id", "userId": "user_id",
 *   "timestamp": { "column": "ts", "format": "unixSeconds" },
 *   "itemCreatedAt": { "column": "pin_created", "format": "iso8601" },
 *   "labels": { "grid_click": "y_grid_click", "save": "y_save" },
 *   "features": {
 *     "item_id": "pin_id",
 *     "item_content": { "prefix": "content_" },
 *     "item_category": { "column": "category", "unknown": "oov" }
 *   }
 * }
 * ```
 * `itemCreatedAt` is optional (default: the item's first appearance in the file);
 * `itemHistory: { events, positives }` maps precomputed as-of history columns (default: computed
 * from the file's own rows, strictly earlier ones only); `truth` maps ground-truth probabilities.
 */
export interface ColumnMapping {
  readonly mappingVersion: 1;
  readonly requestId: string;
  readonly itemId: string;
  readonly userId: string;
  readonly timestamp: TimeColumn;
  readonly itemCreatedAt?: TimeColumn;
  readonly labels: Readonly<Record<string, string>>;
  readonly truth?: Readonly<Record<string, string>>;
  readonly features: Readonly<Record<string, FeatureColumnMapping>>;
  readonly itemHistory?: { readonly events: string; readonly positives: string };
}

/** One feature's resolved source. */
export interface ResolvedFeature {
  readonly feature: FeatureSpec;
  /** The columns holding the feature (one per dimension, or the packed cell). */
  readonly columns: readonly string[];
  /** Separator of a packed dense cell. */
  readonly separator?: string;
  /** Categorical: what an unknown value does. */
  readonly unknown?: 'oov' | 'error';
  /** Categorical or id: cells hold embedding rows already. */
  readonly encoded?: boolean;
}

/** A validated mapping against a spec: everything the row encoder needs, in spec order. */
export interface ResolvedMapping {
  readonly requestId: string;
  readonly itemId: string;
  readonly userId: string;
  readonly timestamp: { readonly column: string; readonly format: TimeFormat };
  readonly itemCreatedAt?: { readonly column: string; readonly format: TimeFormat };
  readonly labels: readonly (readonly [task: string, column: string])[];
  readonly truth?: readonly (readonly [task: string, column: string])[];
  readonly features: readonly ResolvedFeature[];
  readonly itemHistory?: { readonly events: string; readonly positives: string };
  /** Every column the file must have. */
  readonly requiredColumns: readonly string[];
}

const FORMATS: readonly TimeFormat[] = ['unixSeconds', 'unixMillis', 'iso8601', 'auto'];
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isName = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const show = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v));

/**
 * Validates a column mapping (parsed JSON) against a spec and resolves it. Collects every
 * problem, each with its path: `features.item_content.columns must list 16 column names (the
 * spec's dim; got 3)`.
 *
 * @param source names the mapping in messages (e.g. its file name).
 * @throws TypeError listing every problem, one per line.
 * @example `const mapping = resolveColumnMapping(JSON.parse(text), spec, 'mapping.json');`
 */
export function resolveColumnMapping(json: unknown, spec: ModelSpec, source = 'mapping'): ResolvedMapping {
  const issues: string[] = [];
  const issue = (path: string, message: string, value: unknown) => issues.push(`${path} ${message} (got ${show(value)})`);
  if (!isRecord(json)) throw new TypeError(`${source}: must be a JSON object with mappingVersion 1 (got ${show(json)})`);
  const known = [
    'mappingVersion',
    'requestId',
    'itemId',
    'userId',
    'timestamp',
    'itemCreatedAt',
    'labels',
    'truth',
    'features',
    'itemHistory',
  ];
  for (const key of Object.keys(json))
    if (!known.includes(key)) issue(key, `is not a mapping key; use one of ${known.join(', ')}`, json[key]);
  if (json.mappingVersion !== 1) issue('mappingVersion', 'must be 1', json.mappingVersion);
  for (const key of ['requestId', 'itemId', 'userId'] as const) {
    if (!isName(json[key])) issue(key, 'must be a column name', json[key]);
  }
  const time = (key: string, value: unknown) => {
    if (isName(value)) return { column: value, format: 'auto' as TimeFormat };
    if (isRecord(value) && isName(value.column)) {
      const format = (value.format ?? 'auto') as TimeFormat;
      if (!FORMATS.includes(format)) issue(`${key}.format`, `must be one of ${FORMATS.join(', ')}`, value.format);
      return { column: value.column, format };
    }
    issue(key, 'must be a column name or { column, format }', value);
    return undefined;
  };
  const timestamp = time('timestamp', json.timestamp);
  const itemCreatedAt = json.itemCreatedAt === undefined ? undefined : time('itemCreatedAt', json.itemCreatedAt);

  const taskColumns = (key: 'labels' | 'truth', required: boolean) => {
    const value = json[key];
    if (value === undefined && !required) return undefined;
    if (!isRecord(value)) {
      issue(key, 'must map every task name to a column', value);
      return [];
    }
    const tasks = spec.tasks.map((t) => t.name);
    for (const name of Object.keys(value))
      if (!tasks.includes(name)) issue(`${key}.${name}`, `is not a spec task; tasks are ${tasks.join(', ')}`, value[name]);
    return tasks.flatMap((task) => {
      const column = value[task];
      if (!isName(column)) {
        issue(`${key}.${task}`, 'must be a column name (every spec task needs one)', column);
        return [];
      }
      return [[task, column] as const];
    });
  };
  const labels = taskColumns('labels', true) ?? [];
  const truth = taskColumns('truth', false);

  const features: ResolvedFeature[] = [];
  const featureMap = isRecord(json.features) ? json.features : undefined;
  if (!featureMap) issue('features', 'must map every spec feature to its column(s)', json.features);
  for (const name of Object.keys(featureMap ?? {})) {
    if (!spec.features.some((f) => f.name === name)) {
      issue(
        `features.${name}`,
        `is not a spec feature; features are ${spec.features.map((f) => f.name).join(', ')}`,
        featureMap?.[name],
      );
    }
  }
  for (const feature of featureMap ? spec.features : []) {
    const path = `features.${feature.name}`;
    const value = featureMap?.[feature.name];
    const width = feature.kind === 'dense' ? feature.dim : 1;
    if (isName(value)) {
      if (width !== 1)
        issue(
          path,
          `must list ${width} columns ({ "columns": […] } or { "prefix": "…" }) for a dense feature of dim ${width}`,
          value,
        );
      else features.push({ feature, columns: [value] });
    } else if (isRecord(value) && Array.isArray(value.columns)) {
      if (feature.kind !== 'dense')
        issue(`${path}.columns`, `is for dense features; ${feature.kind} features take one column`, value.columns);
      else if (value.columns.length !== width || !value.columns.every(isName)) {
        issue(`${path}.columns`, `must list ${width} column names (the spec's dim)`, value.columns);
      } else features.push({ feature, columns: value.columns as string[] });
    } else if (isRecord(value) && isName(value.prefix)) {
      if (feature.kind !== 'dense')
        issue(`${path}.prefix`, `is for dense features; ${feature.kind} features take one column`, value.prefix);
      else features.push({ feature, columns: Array.from({ length: width }, (_, k) => `${value.prefix}${k}`) });
    } else if (isRecord(value) && isName(value.column)) {
      if (value.separator !== undefined) {
        if (feature.kind !== 'dense' || typeof value.separator !== 'string' || value.separator === '') {
          issue(`${path}.separator`, 'must be a non-empty string, for dense features only', value.separator);
        } else features.push({ feature, columns: [value.column], separator: value.separator });
      } else if (value.encoded !== undefined) {
        if (value.encoded !== true || feature.kind === 'dense') {
          issue(`${path}.encoded`, 'must be true, for categorical and id features only', value.encoded);
        } else features.push({ feature, columns: [value.column], encoded: true });
      } else if (
        value.unknown !== undefined &&
        !(feature.kind === 'categorical' && ['oov', 'error'].includes(value.unknown as string))
      ) {
        issue(`${path}.unknown`, "must be 'oov' or 'error', for categorical features only", value.unknown);
      } else if (width !== 1) {
        issue(path, `must give ${width} values: add "separator" for a packed cell, or use "columns"/"prefix"`, value);
      } else {
        features.push({
          feature,
          columns: [value.column],
          ...(value.unknown ? { unknown: value.unknown as 'oov' | 'error' } : {}),
        });
      }
    } else {
      issue(
        path,
        'must be a column name, { column }, { columns }, { prefix } or { column, separator } (every spec feature needs one)',
        value,
      );
    }
  }
  let itemHistory: ResolvedMapping['itemHistory'];
  if (json.itemHistory !== undefined) {
    const h = json.itemHistory;
    if (isRecord(h) && isName(h.events) && isName(h.positives)) itemHistory = { events: h.events, positives: h.positives };
    else issue('itemHistory', 'must be { "events": column, "positives": column }', h);
  }
  if (issues.length > 0 || !timestamp) {
    throw new TypeError(`${source}: invalid column mapping:\n  ${issues.join('\n  ')}`);
  }
  const keys = { requestId: json.requestId as string, itemId: json.itemId as string, userId: json.userId as string };
  const requiredColumns = [
    ...new Set([
      keys.requestId,
      keys.itemId,
      keys.userId,
      timestamp.column,
      ...(itemCreatedAt ? [itemCreatedAt.column] : []),
      ...labels.map(([, c]) => c),
      ...(truth ?? []).map(([, c]) => c),
      ...features.flatMap((f) => f.columns),
      ...(itemHistory ? [itemHistory.events, itemHistory.positives] : []),
    ]),
  ];
  return {
    ...keys,
    timestamp,
    ...(itemCreatedAt ? { itemCreatedAt } : {}),
    labels,
    ...(truth ? { truth } : {}),
    features,
    ...(itemHistory ? { itemHistory } : {}),
    requiredColumns,
  };
}
