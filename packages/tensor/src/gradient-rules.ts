import { normalizeAxis } from './broadcast.js';
import type { OpName, Ops } from './ops.js';

/** One recorded op: what ran, on which values, with which non-tensor arguments, and its output. */
export interface RecordedOp<T> {
  readonly op: OpName;
  readonly inputs: readonly T[];
  readonly output: T;
  /** Non-tensor arguments (axes, shapes, permutations) in call order. */
  readonly args: readonly unknown[];
}

/**
 * The vector-Jacobian product of one recorded op: the cotangent of each input given the output's
 * cotangent `g`, or `undefined` for an input that needs none (`wanted[i]` false, or an integer
 * input such as gather's indices). Written against `Ops<T>` so the backward pass runs on the same
 * backend — on the ONNX builder it emits the gradient graph.
 */
export type GradientRule = <T>(ops: Ops<T>, g: T, r: RecordedOp<T>, wanted: readonly boolean[]) => (T | undefined)[];

const at = <T>(xs: readonly T[], i: number): T => xs[i] as T;

/**
 * Sums `g` (the broadcast result's cotangent) back to `shape` (an operand's): over the leading axes
 * the operand lacks and over the axes where it has extent 1, NumPy's broadcasting reversed.
 */
export function unbroadcast<T>(ops: Ops<T>, g: T, shape: readonly number[]): T {
  const gShape = ops.shape(g);
  const lead = gShape.length - shape.length;
  const axes: number[] = [];
  gShape.forEach((e, i) => {
    if (i < lead || (shape[i - lead] === 1 && e !== 1)) axes.push(i);
  });
  if (axes.length === 0) return g;
  const summed = ops.sum(g, axes, true);
  return lead > 0 ? ops.reshape(summed, shape) : summed;
}

/** `shape` with the `axes` set to 1 (a `keepDims` reduction's shape). */
function keptShape(shape: readonly number[], axes: ReadonlySet<number>): number[] {
  return shape.map((e, i) => (axes.has(i) ? 1 : e));
}

function reducedAxes(rank: number, axis: unknown, op: string): Set<number> {
  if (axis === undefined) return new Set(Array.from({ length: rank }, (_, i) => i));
  const list = typeof axis === 'number' ? [axis] : (axis as readonly number[]);
  return new Set(list.map((a) => normalizeAxis(a, rank, op)));
}

/** `g` of a reduction (`keepDims` or not) broadcast back over `x`'s shape. */
function spreadOver<T>(ops: Ops<T>, g: T, x: T, axes: ReadonlySet<number>): T {
  const kept = keptShape(ops.shape(x), axes);
  const gKept = ops.shape(g).length === kept.length ? g : ops.reshape(g, kept);
  return ops.add(ops.zerosLike(x), gKept);
}

/** The sign of `x` as floats: 1, 0 or −1. */
function sign<T>(ops: Ops<T>, x: T): T {
  const zero = ops.scalar(0);
  return ops.sub(ops.greater(x, zero), ops.greater(zero, x));
}

/**
 * `g` padded with zeros back to the shape of `x`, the adjoint of `slice(x, begin, size)`: one
 * concatenation per sliced axis, the zero blocks cut from `x` so a symbolic batch extent stays
 * symbolic.
 */
function unslice<T>(ops: Ops<T>, g: T, x: T, begin: readonly number[], size: readonly number[]): T {
  const xShape = ops.shape(x);
  let out = g;
  for (let a = 0; a < xShape.length; a++) {
    const b = begin[a] as number;
    const s = size[a] as number;
    const whole = b === 0 && (s === -1 || s === xShape[a]);
    if (whole) continue;
    // Axes before `a` are already full; axes after `a` still have the slice's range.
    const blockBegin = (from: number) => xShape.map((_, i) => (i < a ? 0 : i === a ? from : (begin[i] as number)));
    const blockSize = (extent: number) => xShape.map((_, i) => (i < a ? -1 : i === a ? extent : (size[i] as number)));
    const parts: T[] = [];
    if (b > 0) parts.push(ops.zerosLike(ops.slice(x, blockBegin(0), blockSize(b))));
    parts.push(out);
    const end = s === -1 ? undefined : b + s;
    if (end !== undefined && (xShape[a] === -1 || end < (xShape[a] as number))) {
      parts.push(ops.zerosLike(ops.slice(x, blockBegin(end), blockSize(-1))));
    }
    if (parts.length > 1) out = ops.concat(parts, a);
  }
  return out;
}

const rules: Partial<Record<OpName, GradientRule>> = {
  matMul: (ops, g, { inputs }, wanted) => [
    wanted[0] ? ops.matMul(g, ops.transpose(at(inputs, 1))) : undefined,
    wanted[1] ? ops.matMul(ops.transpose(at(inputs, 0)), g) : undefined,
  ],
  add: (ops, g, { inputs }, wanted) => inputs.map((x, i) => (wanted[i] ? unbroadcast(ops, g, ops.shape(x)) : undefined)),
  sub: (ops, g, { inputs }, wanted) => [
    wanted[0] ? unbroadcast(ops, g, ops.shape(at(inputs, 0))) : undefined,
    wanted[1] ? unbroadcast(ops, ops.neg(g), ops.shape(at(inputs, 1))) : undefined,
  ],
  mul: (ops, g, { inputs }, wanted) => [
    wanted[0] ? unbroadcast(ops, ops.mul(g, at(inputs, 1)), ops.shape(at(inputs, 0))) : undefined,
    wanted[1] ? unbroadcast(ops, ops.mul(g, at(inputs, 0)), ops.shape(at(inputs, 1))) : undefined,
  ],
  div: (ops, g, { inputs, output }, wanted) => [
    wanted[0] ? unbroadcast(ops, ops.div(g, at(inputs, 1)), ops.shape(at(inputs, 0))) : undefined,
    // ∂(a/b)/∂b = −a/b² = −y/b
    wanted[1] ? unbroadcast(ops, ops.neg(ops.mul(g, ops.div(output, at(inputs, 1)))), ops.shape(at(inputs, 1))) : undefined,
  ],
  maximum: (ops, g, { inputs }, wanted) => {
    // Ties go to `a`, as in tfjs (a ≥ b).
    const toB = ops.greater(at(inputs, 1), at(inputs, 0));
    return [
      wanted[0] ? unbroadcast(ops, ops.mul(g, ops.sub(ops.scalar(1), toB)), ops.shape(at(inputs, 0))) : undefined,
      wanted[1] ? unbroadcast(ops, ops.mul(g, toB), ops.shape(at(inputs, 1))) : undefined,
    ];
  },
  neg: (ops, g) => [ops.neg(g)],
  relu: (ops, g, { output }) => [ops.mul(g, ops.greater(output, ops.scalar(0)))],
  sigmoid: (ops, g, { output }) => [ops.mul(g, ops.mul(output, ops.sub(ops.scalar(1), output)))],
  tanh: (ops, g, { output }) => [ops.mul(g, ops.sub(ops.scalar(1), ops.square(output)))],
  exp: (ops, g, { output }) => [ops.mul(g, output)],
  log: (ops, g, { inputs }) => [ops.div(g, at(inputs, 0))],
  abs: (ops, g, { inputs }) => [ops.mul(g, sign(ops, at(inputs, 0)))],
  square: (ops, g, { inputs }) => [ops.mul(g, ops.mul(at(inputs, 0), ops.scalar(2)))],
  sqrt: (ops, g, { output }) => [ops.div(g, ops.mul(output, ops.scalar(2)))],
  softmax: (ops, g, { output, args }) => {
    const axis = (args[0] as number | undefined) ?? -1;
    const dot = ops.sum(ops.mul(g, output), axis, true);
    return [ops.mul(output, ops.sub(g, dot))];
  },
  concat: (ops, g, { inputs, args }, wanted) => {
    const rank = ops.shape(at(inputs, 0)).length;
    const axis = normalizeAxis(args[0] as number, rank, 'concat gradient');
    let offset = 0;
    return inputs.map((x, i) => {
      const extent = ops.shape(x)[axis] as number;
      const last = i === inputs.length - 1;
      if (extent === -1 && !last) {
        throw new RangeError(
          `gradient of concat: input ${i} has a symbolic extent on the concatenation axis ${axis}, so where the next input starts is unknown; concatenate along a static axis`,
        );
      }
      const begin = Array.from({ length: rank }, (_, a) => (a === axis ? offset : 0));
      const size = Array.from({ length: rank }, (_, a) => (a === axis ? extent : -1));
      offset += extent;
      return wanted[i] ? ops.slice(g, begin, size) : undefined;
    });
  },
  gather: (ops, g, { inputs }, wanted) => [
    wanted[0] ? ops.scatterAdd(ops.zerosLike(at(inputs, 0)), at(inputs, 1), g) : undefined,
    undefined,
  ],
  scatterAdd: (ops, g, { inputs }, wanted) => [
    wanted[0] ? g : undefined,
    undefined,
    wanted[2] ? ops.gather(g, at(inputs, 1)) : undefined,
  ],
  sum: (ops, g, { inputs, args }) => {
    const x = at(inputs, 0);
    return [spreadOver(ops, g, x, reducedAxes(ops.shape(x).length, args[0], 'sum gradient'))];
  },
  mean: (ops, g, { inputs, args }) => {
    const x = at(inputs, 0);
    const shape = ops.shape(x);
    const axes = reducedAxes(shape.length, args[0], 'mean gradient');
    const spread = spreadOver(ops, g, x, axes);
    const extents = [...axes].map((a) => shape[a] as number);
    if (extents.every((e) => e >= 0)) return [ops.mul(spread, ops.scalar(1 / extents.reduce((n, e) => n * e, 1)))];
    // A symbolic (batch) extent is reduced: count the elements at run time.
    const count = ops.sum(ops.add(ops.zerosLike(x), ops.scalar(1)), [...axes], true);
    return [ops.div(spread, count)];
  },
  reshape: (ops, g, { inputs }) => [ops.reshape(g, ops.shape(at(inputs, 0)))],
  transpose: (ops, g, { inputs, args }) => {
    const rank = ops.shape(at(inputs, 0)).length;
    const perm = (args[0] as readonly number[] | undefined)?.map((p) => normalizeAxis(p, rank, 'transpose gradient'));
    if (perm === undefined) return [ops.transpose(g)];
    const inverse = new Array<number>(rank);
    perm.forEach((p, i) => {
      inverse[p] = i;
    });
    return [ops.transpose(g, inverse)];
  },
  slice: (ops, g, { inputs, args }) => [unslice(ops, g, at(inputs, 0), args[0] as number[], args[1] as number[])],
};

/** The rule of `op`, or undefined for ops without a gradient (constants, `shape`, `greater`, `zerosLike`). */
export function gradientRule(op: OpName): GradientRule | undefined {
  return rules[op];
}
