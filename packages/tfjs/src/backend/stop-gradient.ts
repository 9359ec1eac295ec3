import * as tf from '@tensorflow/tfjs-core';
import './gradients.js';

const blocked = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  return { value: tf.clone(x), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
});

/**
 * `x` as a value with no gradient: the identity forward, a zero gradient backward (TensorFlow's
 * `stop_gradient`, which tfjs lacks). The ALDI baseline uses it so the distillation losses train
 * the student without pulling the teacher toward it.
 *
 * @example
 * ```ts
 * const teacher = stopGradient(teacherLogits); // a constant for the student's loss
 * ```
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return blocked(x) as T;
}
