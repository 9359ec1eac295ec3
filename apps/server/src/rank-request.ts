import { encodeCategorical, type FeatureSpec, hashToBucket, itemSourceFeatures, type ModelSpec } from '@thaw/spec';

const marker = Symbol.for('@thaw/server.BadRequestError');

/** A request the server refuses with 400: `field` is the JSON path of the offending value. */
export class BadRequestError extends Error {
  readonly [marker] = true;
  readonly statusCode = 400;
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`${field} ${problem}`);
    this.name = 'BadRequestError';
    this.field = field;
  }

  /** True for any `BadRequestError`, whichever copy of the module threw it. */
  static isInstance(error: unknown): error is BadRequestError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

/** A feature value as the model reads it: dense values, or a categorical/id row. */
export type EncodedValue = Float32Array | number;

/** A validated `POST /v1/rank` request, with features encoded for the model. */
export interface RankRequest {
  /** Every user/context feature of the spec. */
  readonly context: Readonly<Record<string, EncodedValue>>;
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

function rejectUnknownKeys(object: Record<string, unknown>, allowed: ReadonlySet<string>, field: string, what: string): void {
  for (const k of Object.keys(object)) {
    if (!allowed.has(k)) {
      const list = allowed.size > 0 ? [...allowed].join(', ') : 'none';
      throw new BadRequestError(field === '' ? k : `${field}.${k}`, `is not ${what} (expected: ${list})`);
    }
  }
}

/**
 * Validates a `POST /v1/rank` body against the spec and encodes its features.
 *
 * Body: `{ context: { <user/context feature>: value }, candidates: [{ itemId, features?: {
 * <non-historical item feature>: value } }], topK?: integer ≥ 1, utility?: { <task>: number } }`.
 * Dense values are arrays of `dim` finite numbers; categorical values strings or integers (unknown
 * → OOV); id values strings or integers (hashed).
 *
 * @throws BadRequestError naming the field and the problem.
 */
export function parseRankRequest(spec: ModelSpec, body: unknown, limits: RankLimits): RankRequest {
  if (!isObject(body)) throw new BadRequestError('body', `must be a JSON object (got ${describe(body)})`);
  rejectUnknownKeys(body, new Set(['context', 'candidates', 'topK', 'utility']), '', 'a field of a rank request');

  const contextSpec = contextFeatures(spec);
  const contextBody = body.context ?? {};
  if (!isObject(contextBody))
    throw new BadRequestError('context', `must be an object of user/context features (got ${describe(contextBody)})`);
  rejectUnknownKeys(
    contextBody,
    new Set(contextSpec.map((f) => f.name)),
    'context',
    `a user/context feature of spec '${spec.name}'`,
  );
  const context: Record<string, EncodedValue> = {};
  for (const f of contextSpec) {
    const field = `context.${f.name}`;
    if (!Object.hasOwn(contextBody, f.name)) {
      const what = f.kind === 'dense' ? `an array of ${f.dim} numbers` : f.kind === 'categorical' ? 'a category' : 'an id';
      throw new BadRequestError(field, `is required (${what})`);
    }
    context[f.name] = encodeValue(f, contextBody[f.name], field);
  }

  const list = body.candidates;
  if (!Array.isArray(list))
    throw new BadRequestError('candidates', `must be an array of { itemId, features? } (got ${describe(list)})`);
  if (list.length === 0) throw new BadRequestError('candidates', 'must hold at least 1 candidate (got 0)');
  if (list.length > limits.maxCandidates) {
    throw new BadRequestError(
      'candidates',
      `holds ${list.length} candidates; the limit is ${limits.maxCandidates} (send fewer per request)`,
    );
  }
  const inline = new Map(inlineFeatures(spec).map((f) => [f.name, f]));
  const inlineNames = new Set(inline.keys());
  const candidates = list.map((c: unknown, i) => {
    const field = `candidates[${i}]`;
    if (!isObject(c)) throw new BadRequestError(field, `must be an object { itemId, features? } (got ${describe(c)})`);
    rejectUnknownKeys(c, new Set(['itemId', 'features']), field, 'a field of a candidate');
    const id = c.itemId;
    if (!((typeof id === 'string' && id !== '') || (typeof id === 'number' && Number.isSafeInteger(id)))) {
      throw new BadRequestError(`${field}.itemId`, `must be a non-empty string or an integer (got ${describe(id)})`);
    }
    const features: Record<string, EncodedValue> = {};
    if (c.features !== undefined) {
      if (!isObject(c.features))
        throw new BadRequestError(`${field}.features`, `must be an object (got ${describe(c.features)})`);
      rejectUnknownKeys(c.features, inlineNames, `${field}.features`, 'an inline feature (item-source, non-historical)');
      for (const [name, value] of Object.entries(c.features)) {
        features[name] = encodeValue(inline.get(name) as FeatureSpec, value, `${field}.features.${name}`);
      }
    }
    return { itemId: String(id), features };
  });

  let topK = candidates.length;
  if (body.topK !== undefined) {
    if (typeof body.topK !== 'number' || !Number.isSafeInteger(body.topK) || body.topK < 1) {
      throw new BadRequestError('topK', `must be an integer ≥ 1 (got ${describe(body.topK)})`);
    }
    topK = Math.min(body.topK, candidates.length);
  }

  let utility: number[] | undefined;
  if (body.utility !== undefined) {
    const u = body.utility;
    if (!isObject(u)) throw new BadRequestError('utility', `must map task names to weights (got ${describe(u)})`);
    rejectUnknownKeys(u, new Set(spec.tasks.map((t) => t.name)), 'utility', `a task of spec '${spec.name}'`);
    utility = spec.tasks.map((t) => {
      if (!Object.hasOwn(u, t.name)) return spec.utility[t.name] as number;
      const w = u[t.name];
      if (typeof w !== 'number' || !Number.isFinite(w))
        throw new BadRequestError(`utility.${t.name}`, `must be a finite number (got ${describe(w)})`);
      return w;
    });
  }
  return { context, candidates, topK, ...(utility ? { utility } : {}) };
}
