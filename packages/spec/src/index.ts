/**
 * `@thaw/spec` — the model spec v1 that drives training and serving: schema, types, validation
 * with path-precise errors, dimensions and parameter counting, id hashing and categorical encoding.
 *
 * @packageDocumentation
 */
export { ARTIFACT_FILES, type ArtifactFile } from './artifact-files.js';
export type { FeatureBatch } from './batch.js';
export { countParameters, mlpParameters, type ParameterCount } from './count-parameters.js';
export { featureWidth, type ModelDimensions, modelDimensions } from './dimensions.js';
export { encodeCategorical } from './encode-categorical.js';
export { demoSpec, demoSpecInput, exampleSpecs, refMSpec, refMSpecInput } from './examples/index.js';
export { hashToBucket } from './hash-id.js';
export {
  coldItemValues,
  type ItemsTable,
  type ItemsTableColumn,
  type ItemsTableInput,
  itemSourceFeatures,
  readItemsTable,
  writeItemsTable,
} from './items-table.js';
export { specJsonSchema } from './json-schema.js';
export { type ComponentOverhead, type ParameterOverhead, parameterOverhead } from './parameter-overhead.js';
export {
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
export { canonicalJson, specHash } from './spec-hash.js';
export { type SpecIssue, SpecValidationError } from './spec-validation-error.js';
export type {
  ArchitectureSpec,
  CategoricalFeatureSpec,
  ColdStartSpec,
  DenseFeatureSpec,
  FeatureGroup,
  FeatureSpec,
  IdFeatureSpec,
  ModelSpec,
  ModelSpecInput,
  TaskSpec,
  TrainingSpec,
} from './types.js';
export { SPEC_VERSION, type SpecValidationResult, safeValidateSpec, validateSpec } from './validate.js';
