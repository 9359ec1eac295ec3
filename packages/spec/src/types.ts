import type { z } from 'zod';
import type {
  architectureSchema,
  categoricalFeatureSchema,
  coldStartSchema,
  denseFeatureSchema,
  featureSchema,
  idFeatureSchema,
  modelSpecSchema,
  taskSchema,
  trainingSchema,
} from './schema.js';

/** A validated model spec v1, with every default filled in. Produced by `validateSpec`. */
export type ModelSpec = z.output<typeof modelSpecSchema>;
/** What a spec author writes: defaults may be omitted. */
export type ModelSpecInput = z.input<typeof modelSpecSchema>;
/** One model input feature. */
export type FeatureSpec = z.output<typeof featureSchema>;
/** A dense float vector feature. */
export type DenseFeatureSpec = z.output<typeof denseFeatureSchema>;
/** A categorical feature with a vocabulary and an OOV row. */
export type CategoricalFeatureSpec = z.output<typeof categoricalFeatureSchema>;
/** A hashed identifier feature. */
export type IdFeatureSpec = z.output<typeof idFeatureSchema>;
/** The model architecture section. */
export type ArchitectureSpec = z.output<typeof architectureSchema>;
/** One prediction task. */
export type TaskSpec = z.output<typeof taskSchema>;
/** Cold-start techniques and baselines. */
export type ColdStartSpec = z.output<typeof coldStartSchema>;
/** Training loop defaults. */
export type TrainingSpec = z.output<typeof trainingSchema>;
/** `'historical' | 'nonHistorical'`. */
export type FeatureGroup = FeatureSpec['group'];
