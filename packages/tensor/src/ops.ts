/**
 * The small set of tensor operations thaw's model, loss and mixup math is written against.
 *
 * This is the "one math, three backends" seam of the design: each equation is a function over
 * `Ops<T>`, and three backends implement it — tfjs (`@thaw/tfjs`, training with autodiff), the
 * float64 typed-array reference (`referenceOps`, the independent check in tests) and the ONNX graph
 * builder (`@thaw/onnx`, where running the forward emits the graph). Keep it as small as the math
 * needs; grow it when an equation needs an op, and add the op to the conformance suite in
 * `@thaw/tensor/testing` in the same change.
 *
 * Conventions every backend follows:
 * - Binary element-wise ops broadcast with NumPy rules.
 * - Axes may be negative (counted from the end).
 * - A shape extent of `-1` means "unknown" in {@link Ops.shape} (symbolic batch in ONNX) and
 *   "infer" in {@link Ops.reshape}; the batch axis is the only one that may be unknown.
 * - Float tensors are float32 on tfjs and ONNX and float64 in the reference; integer tensors
 *   (indices) are int32 (the ONNX builder may use int64 internally).
 *
 * @example
 * ```ts
 * import { type Ops, referenceOps } from '@thaw/tensor';
 * // eq 6 for one task: (mean of warm scores − mean of cold scores)²
 * function meanGap<T>(ops: Ops<T>, warm: T, cold: T): T {
 *   return ops.square(ops.sub(ops.mean(warm), ops.mean(cold)));
 * }
 * const r = referenceOps;
 * meanGap(r, r.constant([0.5, 0.7], [2]), r.constant([0.2], [1])); // 0.16
 * ```
 */
export interface Ops<T> {
  /** Name of the backend, for messages (`'reference'`, `'tfjs'`, `'onnx'`). */
  readonly backendName: string;

  /** A constant tensor from row-major values. `dtype` defaults to `'float32'`. */
  constant(values: ArrayLike<number>, shape: readonly number[], dtype?: 'float32' | 'int32'): T;
  /** A float scalar (rank 0). */
  scalar(value: number): T;
  /** The shape of `x`; `-1` marks an extent only known at run time (ONNX batch axis). */
  shape(x: T): readonly number[];

  /** Matrix product of rank-2 tensors: `[m, k] × [k, n] → [m, n]`. */
  matMul(a: T, b: T): T;
  /** `a + b`, broadcasting. */
  add(a: T, b: T): T;
  /** `a − b`, broadcasting. */
  sub(a: T, b: T): T;
  /** `a ⊙ b` (element-wise), broadcasting. */
  mul(a: T, b: T): T;
  /** `a / b` (element-wise), broadcasting. */
  div(a: T, b: T): T;
  /** Element-wise maximum, broadcasting. */
  maximum(a: T, b: T): T;
  /**
   * `1` where `a > b`, else `0`, as floats (broadcasting): the masks of the ReLU, `max` and `|x|`
   * gradients. Not differentiable itself (its gradient is zero almost everywhere).
   */
  greater(a: T, b: T): T;

  /** `−x`. */
  neg(x: T): T;
  /** `max(x, 0)`. */
  relu(x: T): T;
  /** `1 / (1 + e^(−x))`. */
  sigmoid(x: T): T;
  /** Hyperbolic tangent. */
  tanh(x: T): T;
  /** `e^x`. */
  exp(x: T): T;
  /** Natural logarithm. */
  log(x: T): T;
  /** `|x|`. */
  abs(x: T): T;
  /** `x²`. */
  square(x: T): T;
  /** `√x`. */
  sqrt(x: T): T;

  /** Softmax along `axis` (default: the last). */
  softmax(x: T, axis?: number): T;
  /** Concatenation along `axis`; all other extents must agree. */
  concat(xs: readonly T[], axis: number): T;
  /**
   * Rows of `table` (axis 0) picked by integer `indices` of any shape:
   * `[V, ...rest]` gathered by `[...idx]` → `[...idx, ...rest]`. An index outside `[0, V)` is an
   * error on the reference backend; callers map out-of-vocabulary values to an OOV row first.
   */
  gather(table: T, indices: T): T;
  /** Sum over `axis` (one axis, several, or all when omitted). */
  sum(x: T, axis?: number | readonly number[], keepDims?: boolean): T;
  /** Mean over `axis` (one axis, several, or all when omitted). */
  mean(x: T, axis?: number | readonly number[], keepDims?: boolean): T;
  /**
   * `table` with each row of `updates` added to the row `indices` picks — duplicates accumulate:
   * `[V, ...rest]`, int32 `[...idx]`, `[...idx, ...rest]` → `[V, ...rest]`. The adjoint of
   * {@link Ops.gather}: `scatterAdd(zerosLike(table), indices, dy)` is the gradient of a lookup.
   */
  scatterAdd(table: T, indices: T, updates: T): T;
  /** Float zeros of the shape of `x` (a symbolic batch axis stays symbolic). */
  zerosLike(x: T): T;
  /** Same elements, new shape; one extent may be `-1` (inferred). */
  reshape(x: T, shape: readonly number[]): T;
  /** Permutes axes; default reverses them (a matrix transpose for rank 2). */
  transpose(x: T, perm?: readonly number[]): T;
  /** The block starting at `begin` with extent `size` per axis; `-1` in `size` means "to the end". */
  slice(x: T, begin: readonly number[], size: readonly number[]): T;
}

/** The name of an {@link Ops} method, e.g. `'matMul'`. */
export type OpName = Exclude<keyof Ops<unknown>, 'backendName'>;
