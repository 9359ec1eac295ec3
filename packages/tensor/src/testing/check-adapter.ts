import type { DataType } from '../dtype.js';
import { formatShape, shapesEqual } from '../shape.js';
import { createTensor, type Tensor } from '../tensor.js';
import type { ConformanceFailure } from './check-ops.js';

/**
 * Converts between thaw tensors and a runtime's own tensors (tfjs, onnxruntime …).
 *
 * @typeParam R the runtime's tensor type.
 */
export interface TensorAdapter<R> {
  /** For messages: `'tfjs'`, `'onnxruntime-node'`. */
  readonly name: string;
  /** Element types the runtime can hold; the suite checks only these. Default: all. */
  readonly dtypes?: readonly DataType[];
  toRuntime(tensor: Tensor): R | Promise<R>;
  fromRuntime(value: R): Tensor | Promise<Tensor>;
}

const samples: Record<DataType, readonly (number | bigint)[]> = {
  float32: [0, -0, 1.5, -2.25, 3.4028234663852886e38, 1.1754943508222875e-38, Number.NaN, Number.POSITIVE_INFINITY],
  float64: [0, 1e-300, -1e300, Math.PI, Number.NaN, Number.NEGATIVE_INFINITY, 2 ** 53, -1],
  int32: [0, 1, -1, 2147483647, -2147483648, 42, 7, -7],
  int64: [0n, 1n, -1n, 9007199254740993n, -9223372036854775808n, 9223372036854775807n, 5n, -5n],
  bool: [0, 1, 1, 0, 1, 0, 0, 1],
};

const shapes: readonly (readonly number[])[] = [[], [0], [8], [2, 4], [2, 2, 2], [1, 8], [2, 0, 3]];

function sameValue(a: number | bigint, b: number | bigint): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) || (a === b && a !== 0);
  return a === b;
}

/**
 * Checks that a tensor adapter round-trips every supported dtype and shape exactly (scalars, empty
 * tensors, extreme values, NaN and −0 included). Returns the failures (empty = conformant).
 *
 * @example
 * ```ts
 * import { checkTensorAdapter } from '@thaw/tensor/testing';
 * const identity = { name: 'identity', toRuntime: (t) => t, fromRuntime: (t) => t };
 * const failures = await checkTensorAdapter(identity); // []
 * ```
 */
export async function checkTensorAdapter<R>(adapter: TensorAdapter<R>): Promise<ConformanceFailure[]> {
  const failures: ConformanceFailure[] = [];
  for (const dtype of adapter.dtypes ?? (Object.keys(samples) as DataType[])) {
    const pool = samples[dtype];
    for (const shape of shapes) {
      const size = shape.reduce((n, e) => n * e, 1);
      const values = Array.from({ length: size }, (_, i) => pool[i % pool.length] as number | bigint);
      const name = `${adapter.name} ${dtype} ${formatShape(shape)}`;
      try {
        const original = createTensor(dtype, values as never, shape);
        const back = await adapter.fromRuntime(await adapter.toRuntime(original));
        if (back.dtype !== dtype) failures.push({ case: name, message: `dtype came back as '${back.dtype}'` });
        else if (!shapesEqual(back.shape, shape))
          failures.push({ case: name, message: `shape came back as ${formatShape(back.shape)}` });
        else {
          for (let i = 0; i < size; i++) {
            const want = original.data[i] as number | bigint;
            const got = back.data[i] as number | bigint;
            if (!sameValue(got, want)) {
              failures.push({ case: name, message: `element ${i} came back as ${String(got)}, expected ${String(want)}` });
              break;
            }
          }
        }
      } catch (error) {
        failures.push({ case: name, message: `threw ${(error as Error).message}` });
      }
    }
  }
  return failures;
}
