/**
 * `@thaw/tensor` — the interface-typed tensor every thaw package speaks, the `Ops<T>` interface
 * the model math is written against, and its float64 reference backend. No runtime dependencies.
 *
 * @packageDocumentation
 */
export { broadcastShapes, normalizeAxis } from './broadcast.js';
export { DATA_TYPES, type DataType, type DataTypeMap, dataTypeOf, isDataType, type TypedArray, typedArrayFor } from './dtype.js';
export { type GradientRule, type RecordedOp, unbroadcast } from './gradient-rules.js';
export { createGradientTape, type GradientTape } from './gradient-tape.js';
export type { OpName, Ops } from './ops.js';
export { type ReferenceTensor, referenceOps } from './reference-ops.js';
export { createRng, type Rng, type RngState } from './rng.js';
export { concatColumns, gatherRows, row } from './rows.js';
export { assertShape, formatShape, type Shape, shapesEqual, sizeOf, stridesOf } from './shape.js';
export { ShapeError } from './shape-error.js';
export { createTensor, isTensor, type Tensor, type TensorValues } from './tensor.js';
