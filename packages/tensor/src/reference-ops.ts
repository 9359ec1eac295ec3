import { broadcastShapes, normalizeAxis } from './broadcast.js';
import type { Ops } from './ops.js';
import { formatShape, shapesEqual, sizeOf, stridesOf } from './shape.js';
import { ShapeError } from './shape-error.js';
import { createTensor, type Tensor } from './tensor.js';

/** A tensor of the reference backend: floats are float64, indices int32. */
export type ReferenceTensor = Tensor<'float64'> | Tensor<'int32'>;

type Numeric = Float64Array | Int32Array;

function floatTensor(data: Float64Array, shape: readonly number[]): Tensor<'float64'> {
  return createTensor('float64', data, shape);
}

function mapUnary(x: ReferenceTensor, f: (v: number) => number): Tensor<'float64'> {
  const out = new Float64Array(x.data.length);
  for (let i = 0; i < out.length; i++) out[i] = f(x.data[i] as number);
  return floatTensor(out, x.shape);
}

function mapBinary(op: string, a: ReferenceTensor, b: ReferenceTensor, f: (x: number, y: number) => number): Tensor<'float64'> {
  const shape = broadcastShapes(a.shape, b.shape, op);
  const rank = shape.length;
  const outStrides = stridesOf(shape);
  const stridesFor = (t: ReferenceTensor) => {
    const own = stridesOf(t.shape);
    return shape.map((_, i) => {
      const axis = t.shape.length - rank + i;
      return axis < 0 || t.shape[axis] === 1 ? 0 : (own[axis] as number);
    });
  };
  const sa = stridesFor(a);
  const sb = stridesFor(b);
  const out = new Float64Array(sizeOf(shape));
  for (let flat = 0; flat < out.length; flat++) {
    let rest = flat;
    let ia = 0;
    let ib = 0;
    for (let axis = 0; axis < rank; axis++) {
      const step = outStrides[axis] as number;
      const coordinate = Math.floor(rest / step);
      rest -= coordinate * step;
      ia += coordinate * (sa[axis] as number);
      ib += coordinate * (sb[axis] as number);
    }
    out[flat] = f(a.data[ia] as number, b.data[ib] as number);
  }
  return floatTensor(out, shape);
}

function axesOf(x: ReferenceTensor, axis: number | readonly number[] | undefined, op: string): Set<number> {
  if (axis === undefined) return new Set(x.shape.map((_, i) => i));
  const list = typeof axis === 'number' ? [axis] : axis;
  return new Set(list.map((a) => normalizeAxis(a, x.shape.length, op)));
}

function reduceSum(x: ReferenceTensor, axis: number | readonly number[] | undefined, keepDims: boolean, op: string) {
  const reduced = axesOf(x, axis, op);
  const outShapeKept = x.shape.map((e, i) => (reduced.has(i) ? 1 : e));
  const outStrides = stridesOf(outShapeKept);
  const inStrides = stridesOf(x.shape);
  const out = new Float64Array(sizeOf(outShapeKept));
  for (let flat = 0; flat < x.data.length; flat++) {
    let rest = flat;
    let target = 0;
    for (let a = 0; a < x.shape.length; a++) {
      const step = inStrides[a] as number;
      const coordinate = Math.floor(rest / step);
      rest -= coordinate * step;
      if (!reduced.has(a)) target += coordinate * (outStrides[a] as number);
    }
    out[target] = (out[target] as number) + (x.data[flat] as number);
  }
  const count = x.shape.reduce((n, e, i) => (reduced.has(i) ? n * e : n), 1);
  const shape = keepDims ? outShapeKept : x.shape.filter((_, i) => !reduced.has(i));
  return { tensor: floatTensor(out, shape), count };
}

function resolveReshape(x: ReferenceTensor, shape: readonly number[]): number[] {
  const size = x.data.length;
  const inferred = shape.filter((e) => e === -1).length;
  if (inferred > 1) throw new RangeError(`reshape: at most one extent may be -1 (got ${formatShape(shape)})`);
  const known = shape.reduce((n, e) => (e === -1 ? n : n * e), 1);
  const resolved = shape.map((e) => (e === -1 ? (known === 0 ? 0 : size / known) : e));
  if (!resolved.every((e) => Number.isInteger(e) && e >= 0) || sizeOf(resolved) !== size) {
    throw new RangeError(`reshape: cannot reshape ${formatShape(x.shape)} (${size} elements) to ${formatShape(shape)}`);
  }
  return resolved;
}

/**
 * The typed-array reference backend of {@link Ops}: float64, plain loops, clear over fast.
 *
 * It is the independent check the tfjs and ONNX backends are compared with, and a way to run
 * thaw's math on small inputs without any runtime.
 *
 * @example
 * ```ts
 * import { referenceOps as r } from '@thaw/tensor';
 * const y = r.matMul(r.constant([1, 2], [1, 2]), r.constant([3, 4], [2, 1]));
 * y.data; // Float64Array [11]
 * ```
 */
export const referenceOps: Ops<ReferenceTensor> = {
  backendName: 'reference',

  constant(values, shape, dtype = 'float32') {
    if (dtype === 'int32') {
      const data = Int32Array.from(values as ArrayLike<number>, (v, i) => {
        if (!Number.isInteger(v)) throw new TypeError(`constant: values[${i}] must be an integer for dtype 'int32' (got ${v})`);
        return v;
      });
      return createTensor('int32', data, shape);
    }
    return createTensor('float64', Float64Array.from(values as ArrayLike<number>), shape);
  },
  scalar: (value) => createTensor('float64', new Float64Array([value]), []),
  shape: (x) => x.shape,

  matMul(a, b) {
    if (a.shape.length !== 2 || b.shape.length !== 2 || a.shape[1] !== b.shape[0]) {
      throw new ShapeError(`matMul: needs [m, k] × [k, n] (got ${formatShape(a.shape)} × ${formatShape(b.shape)})`, {
        name: 'b',
        actual: b.shape,
        expected: [a.shape[1] ?? null, null],
      });
    }
    const [m, k] = a.shape as [number, number];
    const n = b.shape[1] as number;
    const out = new Float64Array(m * n);
    const A: Numeric = a.data;
    const B: Numeric = b.data;
    for (let i = 0; i < m; i++) {
      for (let p = 0; p < k; p++) {
        const av = A[i * k + p] as number;
        for (let j = 0; j < n; j++) out[i * n + j] = (out[i * n + j] as number) + av * (B[p * n + j] as number);
      }
    }
    return floatTensor(out, [m, n]);
  },
  add: (a, b) => mapBinary('add', a, b, (x, y) => x + y),
  sub: (a, b) => mapBinary('sub', a, b, (x, y) => x - y),
  mul: (a, b) => mapBinary('mul', a, b, (x, y) => x * y),
  div: (a, b) => mapBinary('div', a, b, (x, y) => x / y),
  maximum: (a, b) => mapBinary('maximum', a, b, (x, y) => Math.max(x, y)),
  greater: (a, b) => mapBinary('greater', a, b, (x, y) => (x > y ? 1 : 0)),

  neg: (x) => mapUnary(x, (v) => -v),
  relu: (x) => mapUnary(x, (v) => Math.max(v, 0)),
  sigmoid: (x) => mapUnary(x, (v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)))),
  tanh: (x) => mapUnary(x, Math.tanh),
  exp: (x) => mapUnary(x, Math.exp),
  log: (x) => mapUnary(x, Math.log),
  abs: (x) => mapUnary(x, Math.abs),
  square: (x) => mapUnary(x, (v) => v * v),
  sqrt: (x) => mapUnary(x, Math.sqrt),

  softmax(x, axis = -1) {
    const a = normalizeAxis(axis, x.shape.length, 'softmax');
    const extent = x.shape[a] as number;
    const stride = stridesOf(x.shape)[a] as number;
    const out = new Float64Array(x.data.length);
    const outer = x.data.length / Math.max(extent * stride, 1);
    for (let o = 0; o < outer; o++) {
      for (let inner = 0; inner < stride; inner++) {
        const base = o * extent * stride + inner;
        let max = Number.NEGATIVE_INFINITY;
        for (let e = 0; e < extent; e++) max = Math.max(max, x.data[base + e * stride] as number);
        let total = 0;
        for (let e = 0; e < extent; e++) {
          const v = Math.exp((x.data[base + e * stride] as number) - max);
          out[base + e * stride] = v;
          total += v;
        }
        for (let e = 0; e < extent; e++) out[base + e * stride] = (out[base + e * stride] as number) / total;
      }
    }
    return floatTensor(out, x.shape);
  },

  concat(xs, axis) {
    const first = xs[0];
    if (first === undefined) throw new TypeError('concat: needs at least one tensor (got an empty list)');
    const a = normalizeAxis(axis, first.shape.length, 'concat');
    xs.forEach((t, i) => {
      const same = t.shape.length === first.shape.length && t.shape.every((e, k) => k === a || e === first.shape[k]);
      if (!same) {
        throw new ShapeError(
          `concat: xs[${i}] has shape ${formatShape(t.shape)}, which does not match xs[0] ${formatShape(first.shape)} outside axis ${a}`,
          { name: `xs[${i}]`, actual: t.shape, expected: first.shape.map((e, k) => (k === a ? null : e)) },
        );
      }
    });
    const shape = [...first.shape];
    shape[a] = xs.reduce((n, t) => n + (t.shape[a] as number), 0);
    const outer = sizeOf(first.shape.slice(0, a));
    const out = new Float64Array(sizeOf(shape));
    let offset = 0;
    for (let o = 0; o < outer; o++) {
      for (const t of xs) {
        const chunk = sizeOf(t.shape.slice(a));
        for (let c = 0; c < chunk; c++) out[offset++] = t.data[o * chunk + c] as number;
      }
    }
    return floatTensor(out, shape);
  },

  gather(table, indices) {
    if (indices.dtype !== 'int32') {
      throw new TypeError(`gather: indices must have dtype 'int32' (got '${indices.dtype}')`);
    }
    const rows = table.shape[0];
    if (rows === undefined) throw new TypeError('gather: table must have rank ≥ 1 (got a scalar)');
    const width = sizeOf(table.shape.slice(1));
    const out = new Float64Array(indices.data.length * width);
    for (let i = 0; i < indices.data.length; i++) {
      const r = indices.data[i] as number;
      if (r < 0 || r >= rows) {
        throw new RangeError(
          `gather: indices[${i}] is ${r}, outside [0, ${rows}); map out-of-vocabulary values to the OOV row first`,
        );
      }
      for (let c = 0; c < width; c++) out[i * width + c] = table.data[r * width + c] as number;
    }
    return floatTensor(out, [...indices.shape, ...table.shape.slice(1)]);
  },

  scatterAdd(table, indices, updates) {
    if (indices.dtype !== 'int32') {
      throw new TypeError(`scatterAdd: indices must have dtype 'int32' (got '${indices.dtype}')`);
    }
    const rows = table.shape[0];
    if (rows === undefined) throw new TypeError('scatterAdd: table must have rank ≥ 1 (got a scalar)');
    const rest = table.shape.slice(1);
    const expected = [...indices.shape, ...rest];
    if (!shapesEqual(updates.shape, expected)) {
      throw new ShapeError(
        `scatterAdd: updates must have shape ${formatShape(expected)} (indices ${formatShape(indices.shape)} then the table's row shape; got ${formatShape(updates.shape)})`,
        { name: 'updates', actual: updates.shape, expected },
      );
    }
    const width = sizeOf(rest);
    const out = Float64Array.from(table.data);
    for (let i = 0; i < indices.data.length; i++) {
      const r = indices.data[i] as number;
      if (r < 0 || r >= rows) throw new RangeError(`scatterAdd: indices[${i}] is ${r}, outside [0, ${rows})`);
      for (let c = 0; c < width; c++)
        out[r * width + c] = (out[r * width + c] as number) + (updates.data[i * width + c] as number);
    }
    return floatTensor(out, table.shape);
  },
  zerosLike: (x) => floatTensor(new Float64Array(x.data.length), x.shape),
  sum: (x, axis, keepDims = false) => reduceSum(x, axis, keepDims, 'sum').tensor,
  mean(x, axis, keepDims = false) {
    const { tensor, count } = reduceSum(x, axis, keepDims, 'mean');
    const data = tensor.data.map((v) => v / count);
    return floatTensor(data, tensor.shape);
  },
  reshape(x, shape) {
    const resolved = resolveReshape(x, shape);
    return x.dtype === 'int32' ? createTensor('int32', x.data, resolved) : createTensor('float64', x.data, resolved);
  },
  transpose(x, perm) {
    const rank = x.shape.length;
    const order = perm ? perm.map((p) => normalizeAxis(p, rank, 'transpose')) : x.shape.map((_, i) => rank - 1 - i);
    if (order.length !== rank || new Set(order).size !== rank) {
      throw new RangeError(`transpose: perm must be a permutation of 0..${rank - 1} (got ${formatShape(perm ?? [])})`);
    }
    const shape = order.map((p) => x.shape[p] as number);
    const inStrides = stridesOf(x.shape);
    const outStrides = stridesOf(shape);
    const out = new Float64Array(x.data.length);
    for (let flat = 0; flat < out.length; flat++) {
      let rest = flat;
      let source = 0;
      for (let a = 0; a < rank; a++) {
        const step = outStrides[a] as number;
        const coordinate = Math.floor(rest / step);
        rest -= coordinate * step;
        source += coordinate * (inStrides[order[a] as number] as number);
      }
      out[flat] = x.data[source] as number;
    }
    return floatTensor(out, shape);
  },
  slice(x, begin, size) {
    const rank = x.shape.length;
    if (begin.length !== rank || size.length !== rank) {
      throw new RangeError(
        `slice: begin and size need one entry per axis of ${formatShape(x.shape)} (got begin ${formatShape(begin)}, size ${formatShape(size)})`,
      );
    }
    const extents = size.map((s, a) => (s === -1 ? (x.shape[a] as number) - (begin[a] as number) : s));
    extents.forEach((e, a) => {
      const b = begin[a] as number;
      if (b < 0 || e < 0 || b + e > (x.shape[a] as number)) {
        throw new RangeError(`slice: axis ${a} range [${b}, ${b + e}) is outside [0, ${x.shape[a]})`);
      }
    });
    const inStrides = stridesOf(x.shape);
    const outStrides = stridesOf(extents);
    const out = new Float64Array(sizeOf(extents));
    for (let flat = 0; flat < out.length; flat++) {
      let rest = flat;
      let source = 0;
      for (let a = 0; a < rank; a++) {
        const step = outStrides[a] as number;
        const coordinate = Math.floor(rest / step);
        rest -= coordinate * step;
        source += (coordinate + (begin[a] as number)) * (inStrides[a] as number);
      }
      out[flat] = x.data[source] as number;
    }
    return x.dtype === 'int32' ? createTensor('int32', Int32Array.from(out), extents) : floatTensor(out, extents);
  },
};
