import * as tf from '@tensorflow/tfjs-core';
import { createTensor, type DataType, formatShape, type Tensor } from '@thaw/tensor';

/** The thaw element types a tfjs tensor can hold (tfjs has no float64 or int64). */
export const TFJS_DTYPES: readonly DataType[] = ['float32', 'int32', 'bool'];

/**
 * A thaw tensor as a tfjs tensor (copies the data into the active tfjs backend).
 *
 * float32, int32 and bool map 1:1. float64 data is converted to float32 (tfjs computes in float32);
 * int64 is refused because values beyond ±2³¹ would be corrupted.
 *
 * @throws TypeError for an int64 tensor.
 * @example
 * ```ts
 * import { createTensor } from '@thaw/tensor';
 * const t = toTfjs(createTensor('int32', [3, 1, 4], [3])); // tf.Tensor1D int32
 * ```
 */
export function toTfjs(tensor: Tensor): tf.Tensor {
  const shape = [...tensor.shape];
  switch (tensor.dtype) {
    case 'float32':
      return tf.tensor(tensor.data as Float32Array, shape, 'float32');
    case 'float64':
      return tf.tensor(Float32Array.from(tensor.data as Float64Array), shape, 'float32');
    case 'int32':
      return tf.tensor(tensor.data as Int32Array, shape, 'int32');
    case 'bool':
      return tf.tensor(tensor.data as Uint8Array, shape, 'bool');
    default:
      throw new TypeError(
        `toTfjs: tfjs cannot hold dtype '${tensor.dtype}' (shape ${formatShape(tensor.shape)}); convert it to int32 or float32 first`,
      );
  }
}

function fromData(value: tf.Tensor, data: tf.DataTypeMap[keyof tf.DataTypeMap]): Tensor {
  const shape = [...value.shape];
  switch (value.dtype) {
    case 'float32':
      return createTensor('float32', (data as Float32Array).slice(), shape);
    case 'int32':
      return createTensor('int32', (data as Int32Array).slice(), shape);
    case 'bool':
      return createTensor('bool', (data as Uint8Array).slice(), shape);
    default:
      throw new TypeError(`fromTfjs: dtype '${value.dtype}' has no thaw equivalent; cast the tensor to float32 or int32 first`);
  }
}

/**
 * Downloads a tfjs tensor as a thaw {@link Tensor} (awaits the backend; does not dispose `value`).
 * The data is a copy: changing it does not change the tfjs tensor.
 *
 * @throws TypeError for a complex64 or string tensor.
 * @example
 * ```ts
 * const host = await fromTfjs(tf.tensor([1, 2, 3]));
 * host.data; // Float32Array [1, 2, 3]
 * ```
 */
export async function fromTfjs(value: tf.Tensor): Promise<Tensor> {
  return fromData(value, await value.data());
}

/**
 * Synchronous {@link fromTfjs}: blocks until the backend has computed `value`. Use it outside hot
 * loops only (tests, one-off reads); prefer {@link fromTfjs}.
 */
export function fromTfjsSync(value: tf.Tensor): Tensor {
  return fromData(value, value.dataSync());
}

/**
 * The tfjs adapter in the shape `checkTensorAdapter` (`@thaw/tensor/testing`) expects: float32,
 * int32 and bool round-trip exactly.
 */
export const tfjsTensorAdapter = {
  name: 'tfjs',
  dtypes: TFJS_DTYPES,
  toRuntime: toTfjs,
  fromRuntime: fromTfjs,
} as const;
