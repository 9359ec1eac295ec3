import type { DataType, Tensor } from '@thaw/tensor';
import { isDataType } from '@thaw/tensor';
import { Tensor as OrtTensor } from 'onnxruntime-node';

/**
 * Wraps a thaw tensor as an onnxruntime tensor, sharing its typed array (no copy).
 *
 * Every thaw dtype maps 1:1: `float32`, `float64`, `int32`, `int64` (`BigInt64Array`) and `bool`
 * (`Uint8Array`, one byte per element, as onnxruntime stores it).
 *
 * @example
 * ```ts
 * import { createTensor } from '@thaw/tensor';
 * import { toOrtTensor } from '@thaw/onnx/ort';
 * const ids = toOrtTensor(createTensor('int64', [3n, 7n], [2])); // ort.Tensor { type: 'int64', dims: [2] }
 * ```
 */
export function toOrtTensor(tensor: Tensor): OrtTensor {
  if (!isDataType(tensor.dtype)) {
    throw new TypeError(`toOrtTensor: tensor.dtype must be a thaw dtype (got ${JSON.stringify(tensor.dtype)})`);
  }
  return new OrtTensor(tensor.dtype, tensor.data as never, [...tensor.shape]);
}

/**
 * Views an onnxruntime tensor (a session output) as a thaw tensor, sharing its typed array.
 *
 * @throws TypeError for element types thaw has no dtype for (`string`, `float16`, `uint8` …).
 */
export function fromOrtTensor(value: OrtTensor): Tensor {
  const dtype: string = value.type;
  if (!isDataType(dtype)) {
    throw new TypeError(
      `fromOrtTensor: onnxruntime type '${dtype}' has no thaw dtype; cast it to float32, float64, int32, int64 or bool in the graph`,
    );
  }
  return { dtype: dtype as DataType, shape: Object.freeze([...value.dims]), data: value.data as Tensor['data'] } as Tensor;
}

/**
 * The onnxruntime-node adapter of `@thaw/tensor` (`TensorAdapter` shape: `name`, `toRuntime`,
 * `fromRuntime`), passing `checkTensorAdapter` for every dtype.
 *
 * @example
 * ```ts
 * import { ortTensorAdapter } from '@thaw/onnx/ort';
 * import { checkTensorAdapter } from '@thaw/tensor/testing';
 * await checkTensorAdapter(ortTensorAdapter); // []
 * ```
 */
export const ortTensorAdapter = {
  name: 'onnxruntime-node',
  toRuntime: toOrtTensor,
  fromRuntime: fromOrtTensor,
} as const;
