import * as tf from '@tensorflow/tfjs-core';
import './gradients.js';
import { normalizeAxis, type Ops } from '@thaw/tensor';
import { denseMatMul } from './dense-matmul.js';
import { embeddingGather } from './embedding-gather.js';

function softmax(x: tf.Tensor, axis = -1): tf.Tensor {
  const a = normalizeAxis(axis, x.rank, 'softmax');
  if (a === x.rank - 1) return tf.softmax(x);
  // tf.softmax only supports the last axis: the same stable formula, written out.
  return tf.tidy(() => {
    const shifted = tf.sub(x, tf.max(x, a, true));
    const e = tf.exp(shifted);
    return tf.div(e, tf.sum(e, a, true));
  });
}

function toValues(values: ArrayLike<number>, dtype: 'float32' | 'int32'): Float32Array | Int32Array {
  if (dtype === 'float32') return values instanceof Float32Array ? values : Float32Array.from(values);
  return Int32Array.from(values, (v, i) => {
    if (!Number.isInteger(v)) throw new TypeError(`constant: values[${i}] must be an integer for dtype 'int32' (got ${v})`);
    return v;
  });
}

/**
 * The tfjs backend of {@link Ops}: thaw's model, loss and mixup math runs on TensorFlow.js with it,
 * so training gets tfjs autodiff on wasm, cpu or tfjs-node.
 *
 * Floats are float32, indices int32. Two ops carry a custom gradient: `matMul` (explicit
 * transposes in the backward pass, see {@link denseMatMul}) and `gather` (a `scatterND` gradient
 * that the wasm backend can run, see {@link embeddingGather}). Importing this module also loads
 * `@tensorflow/tfjs-layers`, which registers tfjs's gradients. It passes the op conformance suite of
 * `@thaw/tensor/testing`.
 *
 * Ops create tensors: call them inside `tf.tidy` (or dispose the results) to free memory.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { tfjsOps as o } from '@thaw/tfjs';
 * const y = tf.tidy(() => o.matMul(o.constant([1, 2], [1, 2]), o.constant([3, 4], [2, 1])));
 * console.log(await y.data()); // Float32Array [11]
 * ```
 */
export const tfjsOps: Ops<tf.Tensor> = {
  backendName: 'tfjs',

  constant: (values, shape, dtype = 'float32') => tf.tensor(toValues(values, dtype), [...shape], dtype),
  scalar: (value) => tf.scalar(value, 'float32'),
  shape: (x) => x.shape,

  matMul: (a, b) => denseMatMul(a, b),
  add: (a, b) => tf.add(a, b),
  sub: (a, b) => tf.sub(a, b),
  mul: (a, b) => tf.mul(a, b),
  div: (a, b) => tf.div(a, b),
  maximum: (a, b) => tf.maximum(a, b),
  // where() rather than cast(): the cpu backend's bool→float32 cast keeps the Uint8Array data.
  greater: (a, b) => tf.tidy(() => tf.where(tf.greater(a, b), tf.scalar(1), tf.scalar(0))),

  neg: (x) => tf.neg(x),
  relu: (x) => tf.relu(x),
  sigmoid: (x) => tf.sigmoid(x),
  tanh: (x) => tf.tanh(x),
  exp: (x) => tf.exp(x),
  log: (x) => tf.log(x),
  abs: (x) => tf.abs(x),
  square: (x) => tf.square(x),
  sqrt: (x) => tf.sqrt(x),

  softmax,
  concat(xs, axis) {
    if (xs.length === 0) throw new TypeError('concat: needs at least one tensor (got an empty list)');
    return tf.concat([...xs], axis);
  },
  gather: (table, indices) => embeddingGather(table, indices),
  scatterAdd(table, indices, updates) {
    if (indices.dtype !== 'int32') throw new TypeError(`scatterAdd: indices must have dtype 'int32' (got '${indices.dtype}')`);
    return tf.tidy(() => {
      const rows = table.shape[0] as number;
      const width = table.size / Math.max(rows, 1);
      const added = tf.scatterND(tf.reshape(indices, [-1, 1]), tf.reshape(updates, [-1, width]), [rows, width]);
      return tf.add(table, tf.reshape(added, table.shape));
    });
  },
  zerosLike: (x) => tf.zerosLike(x),
  sum: (x, axis, keepDims = false) =>
    tf.sum(x, axis === undefined ? undefined : typeof axis === 'number' ? axis : [...axis], keepDims),
  mean: (x, axis, keepDims = false) =>
    tf.mean(x, axis === undefined ? undefined : typeof axis === 'number' ? axis : [...axis], keepDims),
  reshape: (x, shape) => tf.reshape(x, [...shape]),
  transpose: (x, perm) => tf.transpose(x, perm === undefined ? undefined : [...perm]),
  slice: (x, begin, size) => tf.slice(x, [...begin], [...size]),
};
