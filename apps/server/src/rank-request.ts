import { encodeCategorical, type FeatureSpec, hashToBucket, itemSourceFeatures, type ModelSpec } from '@thaw/spec';
import { BadRequestError } from './bad-request-error.js';
import { capEcho } from './echo-cap.js';

/** A feature value as the model reads it: dense values, or a categorical/id row. */
export type EncodedValue = Float32Array | number;

/** A validated `POST /v1/rank` request, with features encoded for the model. */
export interface RankRequest {
  /** Every user/context feature of the spec. */
  readonly context: Readonly<Record<string, EncodedValue>>;
  /** In request order; an item id may repeat (each entry is scored on its own). */
  readonly candidates: readonly { readonly itemId: string; readonly features: Readonly<Record<string, EncodedValue>> }[];
  /** How many items to return (≤ number of candidates). */
  readonly topK: number;
  /** Utility weights per task (spec order) when the request overrides eq 12's `u`. */
  readonly utility?: readonly number[];
}

/** Limits of {@link parseRankRequest}. */
export interface RankLimits {
  /** Most candidates one request may carry. */
  readonly maxCandidates: number;
}

/** What {@link parseRankRequest} needs from a spec, computed once per model by {@link rankRequestSchema}. */
export interface RankRequestSchema {
  readonly specName: string;
  /** The user/context features, in spec order. */
  readonly context: readonly FeatureSpec[];
  readonly contextNames: ReadonlySet<string>;
  /** The features a candidate may give inline (item-source, non-historical), by name. */
  readonly inline: ReadonlyMap<string, FeatureSpec>;
  /** Task names in spec order and the spec's utility weights in that order. */
  readonly tasks: ReadonlyMap<string, number>;
  readonly utility: readonly number[];
}

const REQUEST_FIELDS: ReadonlySet<string> = new Set(['context', 'candidates', 'topK', 'utility']);
const CANDIDATE_FIELDS: ReadonlySet<string> = new Set(['itemId', 'features']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const describe = (v: unknown) =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'an array'
      : typeof v === 'string'
        ? JSON.stringify(v.slice(0, 40))
        : typeof v === 'object'
          ? 'an object'
          : String(v);

/** The features a request's `context` carries: every feature whose source is 'user' or 'context'. */
export function contextFeatures(spec: ModelSpec): FeatureSpec[] {
  const items = new Set(itemSourceFeatures(spec));
  return spec.features.filter((f) => !items.has(f));
}

/** The item features a candidate may give inline: item-source, non-historical. */
export function inlineFeatures(spec: ModelSpec): FeatureSpec[] {
  return itemSourceFeatures(spec).filter((f) => f.group === 'nonHistorical');
}

/** The lists and lookups {@link parseRankRequest} checks a body against, from the spec (once per model). */
export function rankRequestSchema(spec: ModelSpec): RankRequestSchema {
  const context = contextFeatures(spec);
  return {
    specName: spec.name,
    context,
    contextNames: new Set(context.map((f) => f.name)),
    inline: new Map(inlineFeatures(spec).map((f) => [f.name, f])),
    tasks: new Map(spec.tasks.map((t, k) => [t.name, k])),
    utility: spec.tasks.map((t) => spec.utility[t.name] as number),
  };
}

/** Encodes one feature value, or throws naming `field`. */
export function encodeValue(feature: FeatureSpec, value: unknown, field: string): EncodedValue {
  if (feature.kind === 'dense') {
    if (!Array.isArray(value))
      throw new BadRequestError(field, `must be an array of ${feature.dim} numbers (got ${describe(value)})`);
    if (value.length !== feature.dim) {
      throw new BadRequestError(field, `must be an array of ${feature.dim} numbers (got ${value.length})`);
    }
    const out = new Float32Array(feature.dim);
    for (let j = 0; j < feature.dim; j++) {
      const v = value[j];
      if (typeof v !== 'number' || !Number.isFinite(v) || !Number.isFinite(Math.fround(v))) {
        throw new BadRequestError(`${field}[${j}]`, `must be a finite float32 number (got ${describe(v)})`);
      }
      out[j] = v;
    }
    return out;
  }
  const ok = (typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isSafeInteger(value));
  if (!ok) {
    const what = feature.kind === 'categorical' ? 'a category (string or integer)' : 'an id (non-empty string or integer)';
    throw new BadRequestError(field, `must be ${what} (got ${describe(value)})`);
  }
  return feature.kind === 'categorical'
    ? encodeCategorical(feature, value as string | number)
    : hashToBucket(value as string | number, feature.buckets);
}

function rejectUnknownKeys(
  object: Record<string, unknown>,
  allowed: ReadonlySet<string> | ReadonlyMap<string, unknown>,
  field: string,
  what: string,
): void {
  for (const k in object) {
    if (!allowed.has(k)) {
      const list = allowed.size > 0 ? [...allowed.keys()].join(', ') : 'none';
      // The key is client text of any length: echoed capped (~64 characters) in field, message and log.
      const key = capEcho(k);
      throw new BadRequestError(field === '' ? key : `${field}.${key}`, `is not ${what} (expected: ${list})`);
    }
  }
}

function parseContext(schema: RankRequestSchema, value: unknown): Record<string, EncodedValue> {
  // A missing context is an empty one: each required feature is then reported by name.
  const body = value === undefined ? {} : value;
  if (!isObject(body)) {
    throw new BadRequestError(
      'context',
      `must be an object (got ${describe(body)}) holding the user/context features of spec '${schema.specName}'`,
    );
  }
  rejectUnknownKeys(body, schema.contextNames, 'context', `a user/context feature of spec '${schema.specName}'`);
  const context: Record<string, EncodedValue> = {};
  for (const f of schema.context) {
    const field = `context.${f.name}`;
    if (!Object.hasOwn(body, f.name)) {
      const what = f.kind === 'dense' ? `an array of ${f.dim} numbers` : f.kind === 'categorical' ? 'a category' : 'an id';
      throw new BadRequestError(field, `is required (${what})`);
    }
    context[f.name] = encodeValue(f, body[f.name], field);
  }
  return context;
}

function parseCandidates(schema: RankRequestSchema, list: unknown, limits: RankLimits): RankRequest['candidates'] {
  if (!Array.isArray(list))
    throw new BadRequestError('candidates', `must be an array of { itemId, features? } (got ${describe(list)})`);
  if (list.length === 0) throw new BadRequestError('candidates', 'must hold at least 1 candidate (got 0)');
  if (list.length > limits.maxCandidates) {
    throw new BadRequestError(
      'candidates',
      `holds ${list.length} candidates; the limit is ${limits.maxCandidates} (send fewer per request)`,
    );
  }
  const candidates: RankRequest['candidates'][number][] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const c: unknown = list[i];
    if (!isObject(c))
      throw new BadRequestError(`candidates[${i}]`, `must be an object { itemId, features? } (got ${describe(c)})`);
    for (const k in c)
      if (k !== 'itemId' && k !== 'features')
        rejectUnknownKeys(c, CANDIDATE_FIELDS, `candidates[${i}]`, 'a field of a candidate');
    const id = c.itemId;
    if (!((typeof id === 'string' && id !== '') || (typeof id === 'number' && Number.isSafeInteger(id)))) {
      throw new BadRequestError(`candidates[${i}].itemId`, `must be a non-empty string or an integer (got ${describe(id)})`);
    }
    candidates[i] = { itemId: typeof id === 'string' ? id : String(id), features: parseInline(schema, c.features, i) };
  }
  return candidates;
}

/** No inline features: one shared frozen object for every candidate without any. */
const NO_FEATURES: Readonly<Record<string, EncodedValue>> = Object.freeze({});

/** A candidate's inline features (`candidates[i].features`), encoded. */
function parseInline(schema: RankRequestSchema, value: unknown, i: number): Readonly<Record<string, EncodedValue>> {
  if (value === undefined) return NO_FEATURES;
  const field = `candidates[${i}].features`;
  if (!isObject(value)) throw new BadRequestError(field, `must be an object (got ${describe(value)})`);
  rejectUnknownKeys(value, schema.inline, field, 'an inline feature (item-source, non-historical)');
  const features: Record<string, EncodedValue> = {};
  for (const name in value) features[name] = encodeValue(schema.inline.get(name) as FeatureSpec, value[name], `${field}.${name}`);
  return features;
}

function parseUtility(schema: RankRequestSchema, u: unknown): number[] {
  if (!isObject(u)) throw new BadRequestError('utility', `must map task names to weights (got ${describe(u)})`);
  rejectUnknownKeys(u, schema.tasks, 'utility', `a task of spec '${schema.specName}'`);
  const utility = [...schema.utility];
  for (const name in u) {
    const w = u[name];
    if (typeof w !== 'number' || !Number.isFinite(w))
      throw new BadRequestError(`utility.${name}`, `must be a finite number (got ${describe(w)})`);
    utility[schema.tasks.get(name) as number] = w;
  }
  return utility;
}

/**
 * Validates a `POST /v1/rank` body against the spec (through its {@link rankRequestSchema}) and
 * encodes its features.
 *
 * Body: `{ context: { <user/context feature>: value }, candidates: [{ itemId, features?: {
 * <non-historical item feature>: value } }], topK?: integer ≥ 1, utility?: { <task>: number } }`.
 * Dense values are arrays of `dim` finite numbers; categorical values strings or integers (unknown
 * → OOV); id values strings or integers (hashed). An item id may repeat: each entry is a
 * candidate of its own (with its own inline features), scored and returned on its own.
 *
 * @throws BadRequestError naming the field and the problem.
 */
export function parseRankRequest(schema: RankRequestSchema, body: unknown, limits: RankLimits): RankRequest {
  if (!isObject(body)) throw new BadRequestError('body', `must be a JSON object (got ${describe(body)})`);
  rejectUnknownKeys(body, REQUEST_FIELDS, '', 'a field of a rank request');
  const context = parseContext(schema, body.context);
  const candidates = parseCandidates(schema, body.candidates, limits);

  let topK = candidates.length;
  if (body.topK !== undefined) {
    if (typeof body.topK !== 'number' || !Number.isSafeInteger(body.topK) || body.topK < 1) {
      throw new BadRequestError('topK', `must be an integer ≥ 1 (got ${describe(body.topK)})`);
    }
    topK = Math.min(body.topK, candidates.length);
  }
  const utility = body.utility === undefined ? undefined : parseUtility(schema, body.utility);
  return { context, candidates, topK, ...(utility ? { utility } : {}) };
}
