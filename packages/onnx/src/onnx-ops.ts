import { normalizeAxis, type Ops } from '@thaw/tensor';
import { type OnnxAttribute, type OnnxGraphBuilder, type OnnxValue, ownedValue } from './graph-builder.js';
import {
  broadcastSymbolic,
  concatShape,
  matMulShape,
  reduceShape,
  reductionAxes,
  reshapeShape,
  sliceShape,
} from './symbolic-shape.js';

const INT64_MAX = 9223372036854775807n;
/** `TensorProto.DataType` codes for `Cast`'s `to`. */
const ONNX_FLOAT = 1;
const ONNX_INT64 = 7;

/**
 * The axis `a < before.length` where `after` has an extra extent 1 compared with `before`
 * (otherwise equal), if any. A unit axis appended after the last one does not count: the sources
 * have no axis there to concatenate on.
 */
function unitAxisInserted(before: readonly number[], after: readonly number[]): number | undefined {
  if (after.length !== before.length + 1) return undefined;
  for (let a = 0; a < before.length; a++) {
    if (after[a] !== 1) continue;
    if (after.every((e, i) => i === a || e === before[i < a ? i : i - 1])) return a;
  }
  return undefined;
}

/**
 * The ONNX graph-builder backend of `Ops<T>` (the design's third backend): every op appends an
 * opset-17 node to `graph` and returns its symbolic output, so running thaw's model math with it
 * records the graph that computes it. Shapes are inferred statically (`-1` = symbolic batch axis,
 * reported as such by `shape`); floats are float32, indices int32 or int64.
 *
 * Op mapping: `matMul`→MatMul, `add/sub/mul/div/maximum`→Add/Sub/Mul/Div/Max, `square`→Mul(x, x),
 * unary ops → Neg/Relu/Sigmoid/Tanh/Exp/Log/Abs/Sqrt, `softmax`→Softmax(axis), `concat`→Concat,
 * `greater`→Cast(Greater), `gather`→Gather(axis 0), `scatterAdd`→ScatterND(reduction add),
 * `zerosLike`→Expand(0, Shape(x)), `sum`→ReduceSum, `mean`→ReduceMean, `reshape`→Reshape,
 * `transpose`→Transpose, `slice`→Slice; `constant`/`scalar` become initializers.
 *
 * @example
 * ```ts
 * import { OnnxGraphBuilder, onnxOps } from '@thaw/onnx';
 * const graph = new OnnxGraphBuilder();
 * const ops = onnxOps(graph);
 * const x = graph.input('x', 'float32', [-1, 4]);
 * const p = ops.softmax(x);
 * ops.shape(p); // [-1, 4]
 * ```
 */
export function onnxOps(graph: OnnxGraphBuilder): Ops<OnnxValue> {
  /** Reshapes that only inserted a unit axis: output → its input and that axis. */
  const unsqueezedFrom = new WeakMap<OnnxValue, { value: OnnxValue; axis: number }>();
  const float = (x: OnnxValue, op: string): OnnxValue => {
    ownedValue(graph, x, op);
    if (x.dtype !== 'float32') throw new TypeError(`onnx ${op}: expected a float32 tensor, got ${x.dtype} '${x.name}'`);
    return x;
  };
  const unary = (opType: string, op: string) => (x: OnnxValue) =>
    graph.node(opType, [float(x, op)], { shape: x.shape, dtype: 'float32' });
  const binary = (opType: string, op: string) => (a: OnnxValue, b: OnnxValue) =>
    graph.node(opType, [float(a, op), float(b, op)], { shape: broadcastSymbolic(a.shape, b.shape, op), dtype: 'float32' });

  return {
    backendName: 'onnx',

    constant(values, shape, dtype = 'float32') {
      if (dtype === 'int32') {
        const data = Int32Array.from(values, (v, i) => {
          if (!Number.isInteger(v))
            throw new TypeError(`onnx constant: values[${i}] must be an integer for dtype 'int32' (got ${v})`);
          return v;
        });
        return graph.initializer({ dtype: 'int32', shape, data });
      }
      return graph.initializer({ dtype: 'float32', shape, data: Float32Array.from(values) });
    },
    scalar: (value) => graph.initializer({ dtype: 'float32', shape: [], data: Float32Array.of(value) }),
    shape: (x) => ownedValue(graph, x, 'shape').shape,

    matMul: (a, b) =>
      graph.node('MatMul', [float(a, 'matMul'), float(b, 'matMul')], { shape: matMulShape(a.shape, b.shape), dtype: 'float32' }),
    add: binary('Add', 'add'),
    sub: binary('Sub', 'sub'),
    mul: binary('Mul', 'mul'),
    div: binary('Div', 'div'),
    maximum: binary('Max', 'maximum'),
    greater(a, b) {
      const shape = broadcastSymbolic(float(a, 'greater').shape, float(b, 'greater').shape, 'greater');
      const mask = graph.node('Greater', [a, b], { shape, dtype: 'bool' });
      return graph.node('Cast', [mask], { shape, dtype: 'float32' }, { to: { int: ONNX_FLOAT } });
    },

    neg: unary('Neg', 'neg'),
    relu: unary('Relu', 'relu'),
    sigmoid: unary('Sigmoid', 'sigmoid'),
    tanh: unary('Tanh', 'tanh'),
    exp: unary('Exp', 'exp'),
    log: unary('Log', 'log'),
    abs: unary('Abs', 'abs'),
    square: (x) => graph.node('Mul', [float(x, 'square'), x], { shape: x.shape, dtype: 'float32' }),
    sqrt: unary('Sqrt', 'sqrt'),

    softmax(x, axis = -1) {
      const resolved = normalizeAxis(axis, float(x, 'softmax').shape.length, 'onnx softmax');
      return graph.node('Softmax', [x], { shape: x.shape, dtype: 'float32' }, { axis: { int: resolved } });
    },
    concat(xs, axis) {
      const first = xs[0];
      if (first === undefined) throw new RangeError('onnx concat: xs must hold at least one tensor (got none)');
      for (const x of xs) {
        ownedValue(graph, x, 'concat');
        if (x.dtype !== first.dtype)
          throw new TypeError(`onnx concat: all tensors must share a dtype (${first.dtype} vs ${x.dtype})`);
      }
      const resolved = normalizeAxis(axis, first.shape.length, 'onnx concat');
      const shape = concatShape(
        xs.map((x) => x.shape),
        resolved,
      );
      // Stacking shortcut (invariant tested in onnx-ops.test.ts): every input is a Reshape of a
      // same-shape source S that only inserted a unit axis at `resolved` < rank(S) (MMoE experts
      // [N, W] → [N, 1, W]). Concatenating the sources on that axis then one Reshape is the same
      // row-major data with k − 1 fewer nodes; the unused Reshapes are pruned by toModel. Kept
      // because the model stacks E experts per task on every request.
      const sources = xs.map((x) => unsqueezedFrom.get(x));
      const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((e, i) => e === b[i]);
      if (
        xs.length > 1 &&
        sources.every((src) => src !== undefined && src.axis === resolved && same(src.value.shape, sources[0]?.value.shape ?? []))
      ) {
        const stacked = sources.map((src) => (src as { value: OnnxValue }).value);
        const joined = graph.node(
          'Concat',
          stacked,
          {
            shape: concatShape(
              stacked.map((v) => v.shape),
              resolved,
            ),
            dtype: first.dtype,
          },
          { axis: { int: resolved } },
        );
        return graph.node('Reshape', [joined, graph.int64s(shape)], { shape, dtype: first.dtype });
      }
      return graph.node('Concat', xs, { shape, dtype: first.dtype }, { axis: { int: resolved } });
    },
    gather(table, indices) {
      ownedValue(graph, table, 'gather');
      ownedValue(graph, indices, 'gather');
      if (indices.dtype !== 'int32' && indices.dtype !== 'int64') {
        throw new TypeError(`onnx gather: indices must be int32 or int64 (got ${indices.dtype} '${indices.name}')`);
      }
      if (table.shape.length === 0) throw new RangeError('onnx gather: table must have rank ≥ 1 (got a scalar)');
      return graph.node(
        'Gather',
        [table, indices],
        { shape: [...indices.shape, ...table.shape.slice(1)], dtype: table.dtype },
        { axis: { int: 0 } },
      );
    },
    scatterAdd(table, indices, updates) {
      ownedValue(graph, table, 'scatterAdd');
      ownedValue(graph, updates, 'scatterAdd');
      ownedValue(graph, indices, 'scatterAdd');
      if (indices.dtype !== 'int32' && indices.dtype !== 'int64') {
        throw new TypeError(`onnx scatterAdd: indices must be int32 or int64 (got ${indices.dtype} '${indices.name}')`);
      }
      if (table.shape.length === 0) throw new RangeError('onnx scatterAdd: table must have rank ≥ 1 (got a scalar)');
      // ScatterND wants int64 indices with a trailing axis of index tuples (here 1-tuples: rows).
      const wide =
        indices.dtype === 'int64'
          ? indices
          : graph.node('Cast', [indices], { shape: indices.shape, dtype: 'int64' }, { to: { int: ONNX_INT64 } });
      const tuples = graph.node('Unsqueeze', [wide, graph.int64s([indices.shape.length])], {
        shape: [...indices.shape, 1],
        dtype: 'int64',
      });
      return graph.node(
        'ScatterND',
        [table, tuples, updates],
        { shape: table.shape, dtype: table.dtype },
        { reduction: { string: 'add' } },
      );
    },
    zerosLike(x) {
      const rank = ownedValue(graph, x, 'zerosLike').shape.length;
      const shape = graph.node('Shape', [x], { shape: [rank], dtype: 'int64' });
      const zero = graph.initializer({ dtype: 'float32', shape: [], data: Float32Array.of(0) });
      return graph.node('Expand', [zero, shape], { shape: x.shape, dtype: 'float32' });
    },
    sum(x, axis, keepDims = false) {
      const axes = reductionAxes(float(x, 'sum').shape, axis, 'sum');
      const shape = reduceShape(x.shape, axes, keepDims);
      const axesInput = axes.length === 0 ? undefined : graph.int64s(axes);
      return graph.node('ReduceSum', [x, axesInput], { shape, dtype: 'float32' }, { keepdims: { int: keepDims ? 1 : 0 } });
    },
    mean(x, axis, keepDims = false) {
      const axes = reductionAxes(float(x, 'mean').shape, axis, 'mean');
      const shape = reduceShape(x.shape, axes, keepDims);
      // ReduceMean takes its axes as an attribute up to opset 17 (an input from opset 18).
      const attributes = { keepdims: { int: keepDims ? 1 : 0 }, ...(axes.length === 0 ? {} : { axes: { ints: axes } }) };
      return graph.node('ReduceMean', [x], { shape, dtype: 'float32' }, attributes);
    },
    reshape(x, shape) {
      const out = reshapeShape(ownedValue(graph, x, 'reshape').shape, shape);
      // allowzero=1 makes a 0 extent literal (not "copy the input extent"); ONNX forbids it with -1.
      const attributes: Record<string, OnnxAttribute> = shape.includes(0) && !shape.includes(-1) ? { allowzero: { int: 1 } } : {};
      const reshaped = graph.node('Reshape', [x, graph.int64s(shape)], { shape: out, dtype: x.dtype }, attributes);
      const axis = unitAxisInserted(x.shape, out);
      if (axis !== undefined && out.filter((e) => e === -1).length <= 1) unsqueezedFrom.set(reshaped, { value: x, axis });
      return reshaped;
    },
    transpose(x, perm) {
      const rank = ownedValue(graph, x, 'transpose').shape.length;
      const order = perm ?? x.shape.map((_, i) => rank - 1 - i);
      const resolved = order.map((a) => normalizeAxis(a, rank, 'onnx transpose'));
      if (resolved.length !== rank || new Set(resolved).size !== rank) {
        throw new RangeError(`onnx transpose: perm must be a permutation of 0…${rank - 1} (got [${order.join(', ')}])`);
      }
      return graph.node(
        'Transpose',
        [x],
        { shape: resolved.map((a) => x.shape[a] as number), dtype: x.dtype },
        { perm: { ints: resolved } },
      );
    },
    slice(x, begin, size) {
      const shape = sliceShape(ownedValue(graph, x, 'slice').shape, begin, size);
      const ends = begin.map((b, i) => ((size[i] as number) === -1 ? INT64_MAX : BigInt(b + (size[i] as number))));
      const axes = begin.map((_, i) => i);
      return graph.node('Slice', [x, graph.int64s(begin), graph.int64s(ends), graph.int64s(axes)], { shape, dtype: x.dtype });
    },
  };
}
