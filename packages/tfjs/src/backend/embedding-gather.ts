import * as tf from '@tensorflow/tfjs-core';
import './gradients.js';

/**
 * Rows of `table` picked by int32 `indices` (an embedding lookup), differentiable on every backend.
 *
 * tfjs's own gradient of `gather` needs the `UnsortedSegmentSum` kernel, which the wasm backend
 * lacks; this one scatters the incoming gradient back into a dense `[V, ...]` table gradient with
 * `scatterND` (duplicate rows are summed), so training runs on wasm. `[V, ...rest]` gathered by
 * `[...idx]` gives `[...idx, ...rest]`.
 *
 * @throws TypeError when `indices` is not int32.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * const table = tf.variable(tf.randomNormal([1001, 16]));
 * const rows = embeddingGather(table, tf.tensor1d([3, 1000, 3], 'int32')); // [3, 16]
 * ```
 */
export function embeddingGather(table: tf.Tensor, indices: tf.Tensor): tf.Tensor {
  if (indices.dtype !== 'int32') {
    throw new TypeError(
      `embeddingGather: indices must have dtype 'int32' (got '${indices.dtype}'); build them with dtype 'int32'`,
    );
  }
  if (table.rank < 1) throw new TypeError('embeddingGather: table must have rank ≥ 1 (got a scalar)');
  const lookup = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const source = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    // Saved through the engine, so the indices outlive the scope that created them until backprop.
    save([indices]);
    return {
      value: tf.gather(source, indices),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const savedIndices = saved[0] as tf.Tensor;
        const rest = source.shape.slice(1);
        const width = rest.reduce((n, e) => n * e, 1);
        const rows = source.shape[0] as number;
        return tf.reshape(
          tf.scatterND(tf.reshape(savedIndices, [-1, 1]), tf.reshape(dy, [-1, width]), [rows, width]),
          source.shape,
        );
      },
    };
  });
  return lookup(table);
}
