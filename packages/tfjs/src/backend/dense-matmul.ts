import * as tf from '@tensorflow/tfjs-core';
import './gradients.js';

const fastGradientMatMul = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const a = args[0] as tf.Tensor2D;
  const b = args[1] as tf.Tensor2D;
  const save = args[2] as tf.GradSaveFunc;
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedA, savedB] = saved as [tf.Tensor2D, tf.Tensor2D];
      // dA = dy · Bᵀ and dB = Aᵀ · dy, with explicit transposes: on wasm a plain matMul is ~10×
      // faster than one with transposeA/transposeB (DEVELOPERS.md, "the wasm transposed-matMul trap").
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(savedB)), tf.matMul(tf.transpose(savedA), dy as tf.Tensor2D)];
    },
  };
});

/**
 * Matrix product `[m, k] × [k, n] → [m, n]` whose gradient transposes explicitly and then calls a
 * plain `matMul`, instead of tfjs's built-in gradient (`matMul` with `transposeA`/`transposeB`).
 *
 * Numerically the same product and gradient; on the wasm backend the backward pass is several times
 * faster (see `npm run bench` in this package: `bench/dense-matmul.ts`). Every dense layer of the
 * model (cross layers, MLP, experts, gates, towers — eq 1, 3) goes through it via `tfjsOps.matMul`.
 *
 * @throws RangeError when the operands are not rank 2 or their inner extents differ.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * const x = tf.ones([512, 240]);
 * const w = tf.variable(tf.randomNormal([240, 512]));
 * const grads = tf.variableGrads(() => tf.sum(denseMatMul(x, w)));
 * ```
 */
export function denseMatMul(a: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  if (a.rank !== 2 || b.rank !== 2 || a.shape[1] !== b.shape[0]) {
    throw new RangeError(
      `denseMatMul: needs a [m, k] × b [k, n] (got a [${a.shape.join(', ')}] × b [${b.shape.join(', ')}]); reshape the operands to rank 2 with matching inner extents`,
    );
  }
  return fastGradientMatMul(a, b) as tf.Tensor2D;
}
