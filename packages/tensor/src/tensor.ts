import { DATA_TYPES, type DataType, type DataTypeMap, dataTypeOf, isDataType } from './dtype.js';
import { formatShape, type Shape, sizeOf } from './shape.js';

/**
 * The tensor every thaw package speaks: an element type, a shape and a row-major typed array.
 *
 * It is an interface, not a class, so a tfjs tensor's downloaded data, an onnxruntime tensor or a
 * plain object literal all fit without copying. `data.length` always equals the product of
 * `shape`.
 *
 * @example
 * ```ts
 * import { createTensor } from '@thaw/tensor';
 * const scores = createTensor('float32', [0.9, 0.1, 0.4, 0.7], [2, 2]);
 * scores.shape; // [2, 2]
 * ```
 */
export interface Tensor<D extends DataType = DataType> {
  readonly dtype: D;
  readonly shape: Shape;
  readonly data: DataTypeMap[D];
}

/** Values accepted by {@link createTensor}: the typed array itself, or numbers (bigints for int64). */
export type TensorValues<D extends DataType> =
  | DataTypeMap[D]
  | (D extends 'int64' ? readonly (bigint | number)[] : readonly number[]);

function toTypedArray<D extends DataType>(dtype: D, values: TensorValues<D>): DataTypeMap[D] {
  const existing = dataTypeOf(values);
  if (existing !== undefined) {
    if (existing !== dtype) {
      throw new TypeError(
        `createTensor: data is a ${values.constructor.name} but dtype is '${dtype}'; pass the matching typed array or a plain array`,
      );
    }
    return values as DataTypeMap[D];
  }
  if (!Array.isArray(values)) {
    throw new TypeError(`createTensor: data must be a typed array or an array of numbers (got ${typeof values})`);
  }
  const list = values as readonly (number | bigint)[];
  if (dtype === 'int64') {
    return BigInt64Array.from(list, (v) => BigInt(v)) as DataTypeMap[D];
  }
  const out = new (
    {
      float32: Float32Array,
      float64: Float64Array,
      int32: Int32Array,
      bool: Uint8Array,
    } as const
  )[dtype as Exclude<DataType, 'int64'>](list.length);
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (typeof v !== 'number') {
      throw new TypeError(`createTensor: data[${i}] must be a number for dtype '${dtype}' (got ${typeof v})`);
    }
    if ((dtype === 'int32' || dtype === 'bool') && !Number.isInteger(v)) {
      throw new TypeError(`createTensor: data[${i}] must be an integer for dtype '${dtype}' (got ${v})`);
    }
    out[i] = dtype === 'bool' ? (v ? 1 : 0) : v;
  }
  return out as DataTypeMap[D];
}

/**
 * Creates a tensor, checking that the data length matches the shape.
 *
 * A typed array is used as is (no copy); a plain array is converted.
 *
 * @throws TypeError for an unknown dtype, a typed array of the wrong class, or non-integer values
 * for an integer dtype; RangeError when `data.length` differs from the size of `shape`.
 */
export function createTensor<D extends DataType>(dtype: D, data: TensorValues<D>, shape: Shape): Tensor<D> {
  if (!isDataType(dtype)) {
    throw new TypeError(`createTensor: dtype must be one of ${DATA_TYPES.join(', ')} (got ${JSON.stringify(dtype)})`);
  }
  const typed = toTypedArray(dtype, data);
  const size = sizeOf(shape);
  if (typed.length !== size) {
    throw new RangeError(
      `createTensor: shape ${formatShape(shape)} holds ${size} elements but data has ${typed.length}; fix the shape or the data`,
    );
  }
  return { dtype, shape: Object.freeze([...shape]), data: typed };
}

/** True when `value` looks like a {@link Tensor}: a known dtype, a shape array and matching data. */
export function isTensor(value: unknown): value is Tensor {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Tensor>;
  return (
    isDataType(candidate.dtype) &&
    Array.isArray(candidate.shape) &&
    candidate.data !== undefined &&
    dataTypeOf(candidate.data) === candidate.dtype &&
    candidate.data.length === sizeOf(candidate.shape)
  );
}
