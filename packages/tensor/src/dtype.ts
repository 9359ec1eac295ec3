/**
 * Element types a thaw tensor can hold, and the typed array that stores each one.
 *
 * Modelled on onnxruntime-common's `Tensor.DataTypeMap`: a tensor's `dtype` names its element
 * type and fixes the class of its `data` array, so adapters for tfjs and onnxruntime map 1:1.
 *
 * @example
 * ```ts
 * import { typedArrayFor } from '@thaw/tensor';
 * const data = typedArrayFor('int64', 3); // BigInt64Array(3)
 * ```
 */
export interface DataTypeMap {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  int64: BigInt64Array;
  /** Booleans are stored one per byte, 0 or 1, as onnxruntime does. */
  bool: Uint8Array;
}

/** The name of an element type: `'float32' | 'float64' | 'int32' | 'int64' | 'bool'`. */
export type DataType = keyof DataTypeMap;

/** Any typed array a tensor may hold. */
export type TypedArray = DataTypeMap[DataType];

/** All supported element types, in a stable order. */
export const DATA_TYPES: readonly DataType[] = ['float32', 'float64', 'int32', 'int64', 'bool'];

const constructors = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  int64: BigInt64Array,
  bool: Uint8Array,
} as const;

/** True when `value` is one of the supported element type names. */
export function isDataType(value: unknown): value is DataType {
  return typeof value === 'string' && Object.hasOwn(constructors, value);
}

/**
 * A zero-filled typed array of the class that stores `dtype`.
 *
 * @throws TypeError when `dtype` is not a supported element type or `length` is not a
 * non-negative integer.
 */
export function typedArrayFor<D extends DataType>(dtype: D, length: number): DataTypeMap[D] {
  if (!isDataType(dtype)) {
    throw new TypeError(`typedArrayFor: dtype must be one of ${DATA_TYPES.join(', ')} (got ${JSON.stringify(dtype)})`);
  }
  if (!Number.isInteger(length) || length < 0) {
    throw new TypeError(`typedArrayFor: length must be an integer ≥ 0 (got ${length})`);
  }
  return new constructors[dtype](length) as DataTypeMap[D];
}

/** The element type stored by a typed array, or `undefined` for an array of another class. */
export function dataTypeOf(data: unknown): DataType | undefined {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Uint8Array) return 'bool';
  return undefined;
}
