import { z } from 'zod';

/** Messages start with "must" so the issue formatter can prefix the JSON path and append the value. */
const integer = (min: number) => {
  const message = `must be an integer ≥ ${min}`;
  return z.number({ error: message }).int({ error: message }).min(min, { error: message });
};
const fraction = (what: string, min: number, max: number, inclusiveMin = true, inclusiveMax = false) => {
  const message = `must be ${what} in ${inclusiveMin ? '[' : '('}${min}, ${max}${inclusiveMax ? ']' : ')'}`;
  return z.number({ error: message }).check((ctx) => {
    const v = ctx.value;
    const ok = (inclusiveMin ? v >= min : v > min) && (inclusiveMax ? v <= max : v < max);
    if (!ok) ctx.issues.push({ code: 'custom', message, input: v });
  });
};
const nonNegative = (what = 'a number') => {
  const message = `must be ${what} ≥ 0`;
  return z.number({ error: message }).min(0, { error: message });
};
const positive = (what = 'a number') => {
  const message = `must be ${what} > 0`;
  return z.number({ error: message }).gt(0, { error: message });
};
const finite = z.number({ error: 'must be a finite number' }).finite({ error: 'must be a finite number' });
const units = (what: string, min = 0) =>
  z
    .array(integer(1), { error: `must be a list of layer widths (integers ≥ 1) for ${what}` })
    .min(min, { error: `must list at least ${min} layer width${min === 1 ? '' : 's'} for ${what}` });
const name = z
  .string({ error: 'must be a name: letters, digits, _ or -, starting with a letter' })
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, { error: 'must be a name: letters, digits, _ or -, starting with a letter' });

/** Which inputs a feature belongs to: engagement-derived (`historical`) or content/attributes. */
export const featureGroupSchema = z.enum(['historical', 'nonHistorical'], {
  error: "must be 'historical' (engagement-derived) or 'nonHistorical' (content/attributes)",
});
/** Where a feature's value comes from at serving time. */
export const featureSourceSchema = z.enum(['user', 'item', 'context'], { error: "must be 'user', 'item' or 'context'" });

const featureBase = {
  name,
  group: featureGroupSchema,
  source: featureSourceSchema.optional(),
  description: z.string({ error: 'must be a string' }).optional(),
};

/** A dense float vector of `dim` values, normalised with `stats` (filled by training) when present. */
export const denseFeatureSchema = z.strictObject({
  ...featureBase,
  kind: z.literal('dense'),
  dim: integer(1),
  stats: z
    .strictObject({
      mean: z.array(finite, { error: 'must be a list of numbers, one per dimension' }),
      std: z.array(positive('a standard deviation'), { error: 'must be a list of numbers, one per dimension' }),
      /** Normalised values are clipped to [−clip, clip] (the trainer sets 5): a rare indicator or outlier stays bounded. */
      clip: positive('a bound in standard deviations').optional(),
    })
    .optional(),
  fill: z.array(finite, { error: 'must be a list of numbers, one per dimension' }).optional(),
});

/** A categorical value embedded from a table of `vocabSize + 1` rows (the last is out-of-vocabulary). */
export const categoricalFeatureSchema = z.strictObject({
  ...featureBase,
  kind: z.literal('categorical'),
  vocabSize: integer(1),
  embeddingDim: integer(1),
  vocabulary: z.array(z.string({ error: 'must be a string' }), { error: 'must be a list of strings' }).optional(),
});

/** An identifier hashed into `buckets` rows of an embedding table. */
export const idFeatureSchema = z.strictObject({
  ...featureBase,
  kind: z.literal('id'),
  buckets: integer(1),
  embeddingDim: integer(1),
});

/** One model input. */
export const featureSchema = z.discriminatedUnion('kind', [denseFeatureSchema, categoricalFeatureSchema, idFeatureSchema], {
  error: "must be 'dense', 'categorical' or 'id'",
});

/** The interaction module `I` (DCNv2 + MLP), the Residual path and the MMoE prediction module `F`. */
export const architectureSchema = z.strictObject({
  cross: z.strictObject({
    count: integer(0),
    lowRank: integer(1).optional(),
  }),
  deep: z.strictObject({ units: units('the deep MLP') }),
  structure: z
    .enum(['stacked', 'parallel'], { error: "must be 'stacked' (cross then deep) or 'parallel' (cross beside deep)" })
    .default('stacked'),
  residual: z.strictObject({
    enabled: z.boolean({ error: 'must be true or false' }),
    projectionUnits: units('the residual projection P', 1),
    /**
     * Non-historical features kept off the residual path: they still enter the interaction module
     * with every other feature, but `P` projects only the others (e.g. `["item_age"]`, so Residual
     * cannot hand the head a freshness flag). Absent or empty: `P` sees all of `x_nh` (eq 3).
     */
    exclude: z.array(name, { error: 'must be a list of feature names' }).optional(),
  }),
  mmoe: z.strictObject({
    experts: integer(1),
    expertUnits: units('each expert', 1),
    gateUnits: units('each gate').default([]),
  }),
  tower: z.strictObject({ units: units('each task tower') }),
  activation: z.enum(['relu', 'tanh'], { error: "must be 'relu' or 'tanh'" }).default('relu'),
});

/** One prediction task (e.g. grid-click, save). */
export const taskSchema = z.strictObject({
  name,
  loss: z.enum(['bce', 'mse'], { error: "must be 'bce' or 'mse'" }).default('bce'),
});

/** Cold-start techniques (paper §3) and the Table 1 baselines, as training options. */
export const coldStartSchema = z.strictObject({
  coldDays: positive('a number of days').default(28),
  scoreReg: z
    .strictObject({
      enabled: z.boolean({ error: 'must be true or false' }),
      weight: nonNegative('a weight').default(0.1),
      kernel: z.enum(['mean', 'rbf'], { error: "must be 'mean' (eq 6) or 'rbf' (eq 5 with a Gaussian kernel)" }).default('mean'),
      bandwidth: positive('a kernel bandwidth').default(0.1),
      condition: z
        .enum(['none', 'label'], {
          error: "must be 'none' (eq 6: warm vs cold) or 'label' (warm vs cold within each label class)",
        })
        .default('none'),
    })
    .default({ enabled: false, weight: 0.1, kernel: 'mean', bandwidth: 0.1, condition: 'none' }),
  mixup: z
    .strictObject({
      enabled: z.boolean({ error: 'must be true or false' }),
      weight: nonNegative('a weight').default(0.2),
      alpha: positive('a Beta concentration').default(0.4),
      layer: z
        .enum(['interaction', 'input'], {
          error: "must be 'interaction' (the output z̄ of the interaction module, eq 8) or 'input' (input mixup)",
        })
        .default('interaction'),
      perSample: z.boolean({ error: 'must be true or false' }).default(false),
    })
    .default({ enabled: false, weight: 0.2, alpha: 0.4, layer: 'interaction', perSample: false }),
  dropout: z
    .strictObject({
      enabled: z.boolean({ error: 'must be true or false' }),
      rate: fraction('a probability', 0, 1, true, true).default(0.5),
    })
    .default({ enabled: false, rate: 0.5 }),
  aldi: z
    .strictObject({
      enabled: z.boolean({ error: 'must be true or false' }),
      studentUnits: units('the ALDI student tower', 1).default([64]),
      weights: z
        .strictObject({
          rating: nonNegative('a weight').default(1),
          ranking: nonNegative('a weight').default(1),
          identification: nonNegative('a weight').default(1),
        })
        .default({ rating: 1, ranking: 1, identification: 1 }),
    })
    .default({ enabled: false, studentUnits: [64], weights: { rating: 1, ranking: 1, identification: 1 } }),
});

/** Defaults for the training loop (paper: Adam, one epoch). */
export const trainingSchema = z.strictObject({
  batchSize: integer(1).default(512),
  epochs: integer(1).default(1),
  learningRate: positive('a learning rate').default(1e-3),
  optimizer: z.enum(['adam', 'sgd'], { error: "must be 'adam' or 'sgd'" }).default('adam'),
});

/** The model spec v1: one JSON document that drives training and serving. */
export const modelSpecSchema = z.strictObject({
  specVersion: z.literal(1, { error: 'must be 1' }),
  name: name,
  description: z.string({ error: 'must be a string' }).optional(),
  features: z.array(featureSchema, { error: 'must be a list of features' }).min(1, { error: 'must list at least one feature' }),
  architecture: architectureSchema,
  tasks: z.array(taskSchema, { error: 'must be a list of tasks' }).min(1, { error: 'must list at least one task' }),
  utility: z.record(z.string(), finite, { error: 'must map each task name to its utility weight (eq 12)' }),
  coldStart: coldStartSchema.default({
    coldDays: 28,
    scoreReg: { enabled: false, weight: 0.1, kernel: 'mean', bandwidth: 0.1, condition: 'none' },
    mixup: { enabled: false, weight: 0.2, alpha: 0.4, layer: 'interaction', perSample: false },
    dropout: { enabled: false, rate: 0.5 },
    aldi: { enabled: false, studentUnits: [64], weights: { rating: 1, ranking: 1, identification: 1 } },
  }),
  training: trainingSchema.default({ batchSize: 512, epochs: 1, learningRate: 1e-3, optimizer: 'adam' }),
});
