import type { OpName, Ops } from '../ops.js';
import { createTensor, type Tensor } from '../tensor.js';

/** One op-level check: inputs, what to compute from them, and the hand-computed answer. */
export interface OpsConformanceCase {
  /** The op under test. */
  readonly op: OpName;
  /** What the case shows, e.g. `'broadcasts a row over a matrix'`. */
  readonly name: string;
  /** Host inputs, handed to the backend through the harness. */
  readonly inputs: readonly Tensor[];
  /** Computes the output from backend values of `inputs`. */
  build<T>(ops: Ops<T>, inputs: readonly T[]): T;
  /** The expected output, computed by hand. */
  readonly expected: { readonly shape: readonly number[]; readonly values: readonly number[] };
}

const f = (values: number[], shape: number[]) => createTensor('float64', values, shape);
const i32 = (values: number[], shape: number[]) => createTensor('int32', values, shape);
const at = <T>(xs: readonly T[], k: number): T => {
  const x = xs[k];
  if (x === undefined) throw new RangeError(`conformance case expects input ${k}`);
  return x;
};

/**
 * The op conformance cases every {@link Ops} backend must pass, with answers computed by hand.
 *
 * Values are chosen exactly representable in float32 where possible so a float32 backend meets
 * them to ~1e-6.
 */
export const opsConformanceCases: readonly OpsConformanceCase[] = [
  {
    op: 'constant',
    name: 'builds a float matrix',
    inputs: [],
    build: (ops) => ops.constant([1, 2, 3, 4, 5, 6], [2, 3]),
    expected: { shape: [2, 3], values: [1, 2, 3, 4, 5, 6] },
  },
  {
    op: 'scalar',
    name: 'builds a rank-0 float',
    inputs: [],
    build: (ops) => ops.scalar(2.5),
    expected: { shape: [], values: [2.5] },
  },
  {
    op: 'shape',
    name: 'reports a static shape',
    inputs: [f([1, 2, 3, 4, 5, 6], [3, 2])],
    build: (ops, [x]) => {
      const s = ops.shape(x as never);
      return ops.constant([...s], [s.length]);
    },
    expected: { shape: [2], values: [3, 2] },
  },
  {
    op: 'matMul',
    name: '[2,3] × [3,2]',
    inputs: [f([1, 2, 3, 4, 5, 6], [2, 3]), f([7, 8, 9, 10, 11, 12], [3, 2])],
    build: (ops, xs) => ops.matMul(at(xs, 0), at(xs, 1)),
    // [1·7+2·9+3·11, 1·8+2·10+3·12; 4·7+5·9+6·11, 4·8+5·10+6·12]
    expected: { shape: [2, 2], values: [58, 64, 139, 154] },
  },
  {
    op: 'add',
    name: 'broadcasts a row over a matrix',
    inputs: [f([1, 2, 3, 4], [2, 2]), f([10, 20], [2])],
    build: (ops, xs) => ops.add(at(xs, 0), at(xs, 1)),
    expected: { shape: [2, 2], values: [11, 22, 13, 24] },
  },
  {
    op: 'add',
    name: 'broadcasts a column against a row',
    inputs: [f([1, 2], [2, 1]), f([10, 20, 30], [1, 3])],
    build: (ops, xs) => ops.add(at(xs, 0), at(xs, 1)),
    expected: { shape: [2, 3], values: [11, 21, 31, 12, 22, 32] },
  },
  {
    op: 'sub',
    name: 'subtracts a scalar',
    inputs: [f([1, 2, 3], [3])],
    build: (ops, xs) => ops.sub(at(xs, 0), ops.scalar(1)),
    expected: { shape: [3], values: [0, 1, 2] },
  },
  {
    op: 'mul',
    name: 'multiplies rank-3 by a broadcast rank-3',
    inputs: [f([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]), f([2, 3], [2, 1, 1])],
    build: (ops, xs) => ops.mul(at(xs, 0), at(xs, 1)),
    expected: { shape: [2, 2, 2], values: [2, 4, 6, 8, 15, 18, 21, 24] },
  },
  {
    op: 'div',
    name: 'divides element-wise',
    inputs: [f([1, 4, 9], [3]), f([2, 8, 4], [3])],
    build: (ops, xs) => ops.div(at(xs, 0), at(xs, 1)),
    expected: { shape: [3], values: [0.5, 0.5, 2.25] },
  },
  {
    op: 'maximum',
    name: 'takes the element-wise maximum',
    inputs: [f([1, -4, 9], [3]), f([2, -8, 4], [3])],
    build: (ops, xs) => ops.maximum(at(xs, 0), at(xs, 1)),
    expected: { shape: [3], values: [2, -4, 9] },
  },
  {
    op: 'greater',
    name: 'a float mask of a > b, ties give 0, broadcasting',
    inputs: [f([1, -4, 9, 0], [2, 2]), f([0], [1])],
    build: (ops, xs) => ops.greater(at(xs, 0), at(xs, 1)),
    expected: { shape: [2, 2], values: [1, 0, 1, 0] },
  },
  {
    op: 'neg',
    name: 'negates',
    inputs: [f([1, -2, 0], [3])],
    build: (ops, xs) => ops.neg(at(xs, 0)),
    expected: { shape: [3], values: [-1, 2, 0] },
  },
  {
    op: 'relu',
    name: 'clips negatives',
    inputs: [f([-1.5, 0, 2.5], [3])],
    build: (ops, xs) => ops.relu(at(xs, 0)),
    expected: { shape: [3], values: [0, 0, 2.5] },
  },
  {
    op: 'sigmoid',
    name: 'logistic at 0, ±ln 3 and ±30',
    inputs: [f([0, Math.log(3), -Math.log(3), 30, -30], [5])],
    build: (ops, xs) => ops.sigmoid(at(xs, 0)),
    expected: { shape: [5], values: [0.5, 0.75, 0.25, 1 / (1 + Math.exp(-30)), 1 / (1 + Math.exp(30))] },
  },
  {
    op: 'tanh',
    name: 'tanh at 0 and ±ln 2',
    inputs: [f([0, Math.log(2), -Math.log(2)], [3])],
    // tanh(ln 2) = (2 − 1/2) / (2 + 1/2) = 0.6
    build: (ops, xs) => ops.tanh(at(xs, 0)),
    expected: { shape: [3], values: [0, 0.6, -0.6] },
  },
  {
    op: 'exp',
    name: 'exp at 0, 1 and ln 4',
    inputs: [f([0, 1, Math.log(4)], [3])],
    build: (ops, xs) => ops.exp(at(xs, 0)),
    expected: { shape: [3], values: [1, Math.E, 4] },
  },
  {
    op: 'log',
    name: 'log at 1, e and 0.25',
    inputs: [f([1, Math.E, 0.25], [3])],
    build: (ops, xs) => ops.log(at(xs, 0)),
    expected: { shape: [3], values: [0, 1, -2 * Math.LN2] },
  },
  {
    op: 'abs',
    name: 'absolute value',
    inputs: [f([-3, 0, 2], [3])],
    build: (ops, xs) => ops.abs(at(xs, 0)),
    expected: { shape: [3], values: [3, 0, 2] },
  },
  {
    op: 'square',
    name: 'squares',
    inputs: [f([-3, 0.5, 2], [3])],
    build: (ops, xs) => ops.square(at(xs, 0)),
    expected: { shape: [3], values: [9, 0.25, 4] },
  },
  {
    op: 'sqrt',
    name: 'square root',
    inputs: [f([9, 0.25, 0], [3])],
    build: (ops, xs) => ops.sqrt(at(xs, 0)),
    expected: { shape: [3], values: [3, 0.5, 0] },
  },
  {
    op: 'softmax',
    name: 'last axis of a matrix',
    inputs: [f([0, Math.log(3), 5, 5], [2, 2])],
    // row 1: [1, 3] / 4; row 2: equal logits → ½ each
    build: (ops, xs) => ops.softmax(at(xs, 0)),
    expected: { shape: [2, 2], values: [0.25, 0.75, 0.5, 0.5] },
  },
  {
    op: 'softmax',
    name: 'axis 1 of a rank-3 tensor, stable for large logits',
    inputs: [f([100, 0, 100 + Math.log(3), 0], [1, 2, 2])],
    build: (ops, xs) => ops.softmax(at(xs, 0), 1),
    expected: { shape: [1, 2, 2], values: [0.25, 0.5, 0.75, 0.5] },
  },
  {
    op: 'concat',
    name: 'concatenates columns',
    inputs: [f([1, 2, 3, 4], [2, 2]), f([5, 6], [2, 1])],
    build: (ops, xs) => ops.concat([at(xs, 0), at(xs, 1)], 1),
    expected: { shape: [2, 3], values: [1, 2, 5, 3, 4, 6] },
  },
  {
    op: 'concat',
    name: 'concatenates rows (negative axis)',
    inputs: [f([1, 2], [1, 2]), f([3, 4, 5, 6], [2, 2])],
    build: (ops, xs) => ops.concat([at(xs, 0), at(xs, 1)], -2),
    expected: { shape: [3, 2], values: [1, 2, 3, 4, 5, 6] },
  },
  {
    op: 'gather',
    name: 'embedding rows by a vector of ids',
    inputs: [f([0, 1, 10, 11, 20, 21], [3, 2]), i32([2, 0, 2], [3])],
    build: (ops, xs) => ops.gather(at(xs, 0), at(xs, 1)),
    expected: { shape: [3, 2], values: [20, 21, 0, 1, 20, 21] },
  },
  {
    op: 'gather',
    name: 'a matrix of ids gives a rank-3 result',
    inputs: [f([0, 1, 10, 11, 20, 21], [3, 2]), i32([1, 2, 0, 1], [2, 2])],
    build: (ops, xs) => ops.gather(at(xs, 0), at(xs, 1)),
    expected: { shape: [2, 2, 2], values: [10, 11, 20, 21, 0, 1, 10, 11] },
  },
  {
    op: 'scatterAdd',
    name: 'adds rows at ids, duplicates accumulate',
    inputs: [f([1, 1, 2, 2, 3, 3], [3, 2]), i32([2, 0, 2], [3]), f([10, 20, 30, 40, 50, 60], [3, 2])],
    build: (ops, xs) => ops.scatterAdd(at(xs, 0), at(xs, 1), at(xs, 2)),
    expected: { shape: [3, 2], values: [31, 41, 2, 2, 63, 83] },
  },
  {
    op: 'scatterAdd',
    name: 'a matrix of ids into a rank-3 table',
    inputs: [f([0, 0, 0, 0, 0, 0, 0, 0], [2, 2, 2]), i32([1, 1], [1, 2]), f([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2])],
    build: (ops, xs) => ops.scatterAdd(at(xs, 0), at(xs, 1), at(xs, 2)),
    expected: { shape: [2, 2, 2], values: [0, 0, 0, 0, 6, 8, 10, 12] },
  },
  {
    op: 'zerosLike',
    name: 'zeros of the shape of x',
    inputs: [f([1, 2, 3, 4, 5, 6], [3, 2])],
    build: (ops, xs) => ops.zerosLike(at(xs, 0)),
    expected: { shape: [3, 2], values: [0, 0, 0, 0, 0, 0] },
  },
  {
    op: 'sum',
    name: 'over axis 0',
    inputs: [f([1, 2, 3, 4, 5, 6], [2, 3])],
    build: (ops, xs) => ops.sum(at(xs, 0), 0),
    expected: { shape: [3], values: [5, 7, 9] },
  },
  {
    op: 'sum',
    name: 'over the last axis, keeping dims',
    inputs: [f([1, 2, 3, 4, 5, 6], [2, 3])],
    build: (ops, xs) => ops.sum(at(xs, 0), -1, true),
    expected: { shape: [2, 1], values: [6, 15] },
  },
  {
    op: 'sum',
    name: 'over everything',
    inputs: [f([1, 2, 3, 4, 5, 6], [2, 3])],
    build: (ops, xs) => ops.sum(at(xs, 0)),
    expected: { shape: [], values: [21] },
  },
  {
    op: 'sum',
    name: 'over the middle axis of a rank-3 tensor',
    inputs: [f([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2])],
    build: (ops, xs) => ops.sum(at(xs, 0), 1),
    expected: { shape: [2, 2], values: [4, 6, 12, 14] },
  },
  {
    op: 'mean',
    name: 'over axis 0',
    inputs: [f([1, 2, 3, 4, 5, 6], [2, 3])],
    build: (ops, xs) => ops.mean(at(xs, 0), 0),
    expected: { shape: [3], values: [2.5, 3.5, 4.5] },
  },
  {
    op: 'mean',
    name: 'over everything',
    inputs: [f([1, 2, 3, 4, 5, 6], [2, 3])],
    build: (ops, xs) => ops.mean(at(xs, 0)),
    expected: { shape: [], values: [3.5] },
  },
  {
    op: 'reshape',
    name: 'infers one extent',
    inputs: [f([1, 2, 3, 4, 5, 6], [2, 3])],
    build: (ops, xs) => ops.reshape(at(xs, 0), [-1, 2]),
    expected: { shape: [3, 2], values: [1, 2, 3, 4, 5, 6] },
  },
  {
    op: 'transpose',
    name: 'a matrix',
    inputs: [f([1, 2, 3, 4, 5, 6], [2, 3])],
    build: (ops, xs) => ops.transpose(at(xs, 0)),
    expected: { shape: [3, 2], values: [1, 4, 2, 5, 3, 6] },
  },
  {
    op: 'transpose',
    name: 'a rank-3 tensor by perm [1, 0, 2]',
    inputs: [f([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2])],
    build: (ops, xs) => ops.transpose(at(xs, 0), [1, 0, 2]),
    expected: { shape: [2, 2, 2], values: [1, 2, 5, 6, 3, 4, 7, 8] },
  },
  {
    op: 'slice',
    name: 'a column block',
    inputs: [f([1, 2, 3, 4, 5, 6], [2, 3])],
    build: (ops, xs) => ops.slice(at(xs, 0), [0, 1], [2, 2]),
    expected: { shape: [2, 2], values: [2, 3, 5, 6] },
  },
  {
    op: 'slice',
    name: 'to the end with size -1',
    inputs: [f([1, 2, 3, 4, 5, 6], [3, 2])],
    build: (ops, xs) => ops.slice(at(xs, 0), [1, 0], [-1, 1]),
    expected: { shape: [2, 1], values: [3, 5] },
  },
];
