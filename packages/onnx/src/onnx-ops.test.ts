import { createTensor, referenceOps, type Tensor } from '@thaw/tensor';
import { checkOpsConformance } from '@thaw/tensor/testing';
import { describe, expect, it } from 'vitest';
import { modelProto, OnnxGraphBuilder, type OnnxValue } from './graph-builder.js';
import { onnxOps } from './onnx-ops.js';
import { runModel } from './test-utils/run-model.js';

/** The conformance harness: inputs become graph inputs; read() builds a model of the requested values and runs it in ORT. */
function ortHarness() {
  const graph = new OnnxGraphBuilder();
  const feeds: Record<string, Tensor> = {};
  let count = 0;
  return {
    ops: onnxOps(graph),
    input(t: Tensor): OnnxValue {
      const name = `x${count++}`;
      const host =
        t.dtype === 'int32' || t.dtype === 'int64'
          ? t
          : createTensor('float32', Float32Array.from(t.data as Float64Array), t.shape);
      feeds[name] = host;
      return graph.input(name, host.dtype as 'float32' | 'int32' | 'int64', t.shape);
    },
    async read(values: readonly OnnxValue[]): Promise<Tensor[]> {
      const outputs = Object.fromEntries(values.map((v, k) => [`out${count}_${k}`, v]));
      const results = await runModel(graph.encode({ outputs }), feeds);
      return Object.keys(outputs).map((name) => results[name] as Tensor);
    },
  };
}

describe('onnxOps', () => {
  it('passes the @thaw/tensor op conformance suite, every graph run in onnxruntime-node', async () => {
    expect(await checkOpsConformance(ortHarness())).toEqual([]);
  });

  it('keeps the batch axis symbolic: one graph runs on 1 and on 5 rows', async () => {
    const graph = new OnnxGraphBuilder();
    const ops = onnxOps(graph);
    const x = graph.input('x', 'float32', [-1, 2]);
    // x · [1, 10]ᵀ, then a mean over the batch broadcast back: hand-computable.
    const y = ops.matMul(x, ops.constant([1, 10], [2, 1]));
    expect(ops.shape(y)).toEqual([-1, 1]);
    const centred = ops.sub(y, ops.mean(y, 0, true));
    const bytes = graph.encode({ outputs: { centred } });
    const one = await runModel(bytes, { x: createTensor('float32', [3, 4], [1, 2]) });
    expect(Array.from(one.centred?.data as Float32Array)).toEqual([0]);
    const five = await runModel(bytes, { x: createTensor('float32', [1, 0, 2, 0, 3, 0, 4, 0, 0, 1], [5, 2]) });
    // y = [1, 2, 3, 4, 10], mean 4
    expect(Array.from(five.centred?.data as Float32Array)).toEqual([-3, -2, -1, 0, 6]);
    expect(five.centred?.shape).toEqual([5, 1]);
  });

  it('infers a reshape against the symbolic batch and slices to the end', () => {
    const graph = new OnnxGraphBuilder();
    const ops = onnxOps(graph);
    const x = graph.input('x', 'float32', [-1, 12]);
    expect(ops.shape(ops.reshape(x, [-1, 3, 4]))).toEqual([-1, 3, 4]);
    expect(ops.shape(ops.slice(x, [0, 4], [-1, -1]))).toEqual([-1, 8]);
    expect(ops.shape(ops.concat([x, x], 1))).toEqual([-1, 24]);
    expect(ops.shape(ops.sum(x, 1, true))).toEqual([-1, 1]);
  });

  it('names the op and the shapes when they do not fit', () => {
    const graph = new OnnxGraphBuilder();
    const ops = onnxOps(graph);
    const x = graph.input('x', 'float32', [-1, 3]);
    expect(() => ops.matMul(x, ops.constant([1, 2], [2, 1]))).toThrow(
      'onnx matMul: inner extents differ: [-1, 3] × [2, 1] (3 vs 2)',
    );
    expect(() => ops.add(x, ops.constant([1, 2], [2]))).toThrow(/onnx add: shapes \[-1, 3\] and \[2\] do not broadcast/);
    expect(() => ops.gather(x, x)).toThrow(/indices must be int32 or int64/);
    const other = new OnnxGraphBuilder().input('y', 'float32', [1]);
    expect(() => ops.relu(other)).toThrow(/expected a value of this graph/);
  });

  // The invariant behind onnxOps' stacking shortcut (a WeakMap from each Reshape output to its
  // source): when every input of concat(·, a) is a reshape of a same-shape source S that only
  // inserted a unit axis at a < rank(S), then
  //     concat([reshape(x_i, S[:a] ++ [1] ++ S[a:])], a) == reshape(concat([x_i], a), result shape)
  // element for element (row-major: for each prefix index, k blocks of S[a:] laid end to end). The
  // shortcut saves k − 1 nodes (MMoE experts); in every other case concat must be the plain Concat.
  describe('stacking shortcut: concat of unit-axis reshapes == reshape of the concat of their sources', () => {
    const width = { a: [-1, 2], b: [-1, 2], c: [-1, 2] } as const;
    const cases: {
      name: string;
      sources: readonly (keyof typeof width | 'plain')[];
      target: number[];
      axis: number;
      nodes: string[];
    }[] = [
      {
        name: 'unit axis 1, concat on 1 (MMoE experts)',
        sources: ['a', 'b'],
        target: [-1, 1, 2],
        axis: 1,
        nodes: ['Concat', 'Reshape'],
      },
      {
        name: 'three sources, negative axis',
        sources: ['a', 'b', 'c'],
        target: [-1, 1, 2],
        axis: -2,
        nodes: ['Concat', 'Reshape'],
      },
      // Fallbacks: the sources cannot be concatenated on the axis, or not every input is such a reshape.
      {
        name: 'trailing unit axis (a = rank(S): no axis a on the sources)',
        sources: ['a', 'b'],
        target: [-1, 2, 1],
        axis: 2,
        nodes: ['Reshape', 'Reshape', 'Concat'],
      },
      {
        name: 'concat on another axis',
        sources: ['a', 'b'],
        target: [-1, 1, 2],
        axis: 2,
        nodes: ['Reshape', 'Reshape', 'Concat'],
      },
      { name: 'one input is not a reshape', sources: ['a', 'plain'], target: [-1, 1, 2], axis: 1, nodes: ['Reshape', 'Concat'] },
    ];
    const host = {
      a: createTensor('float32', [1, 2, 3, 4], [2, 2]),
      b: createTensor('float32', [5, 6, 7, 8], [2, 2]),
      c: createTensor('float32', [9, 10, 11, 12], [2, 2]),
    };

    it.each(cases)('$name', async ({ sources, target, axis, nodes }) => {
      const graph = new OnnxGraphBuilder();
      const ops = onnxOps(graph);
      const inputs = {
        a: graph.input('a', 'float32', width.a),
        b: graph.input('b', 'float32', width.b),
        c: graph.input('c', 'float32', width.c),
      };
      const plain = graph.input('plain', 'float32', target);
      const stacked = ops.concat(
        sources.map((s) => (s === 'plain' ? plain : ops.reshape(inputs[s], target))),
        axis,
      );
      expect(modelProto(graph, { outputs: { stacked } }).graph.node.map((n) => n.opType)).toEqual([...nodes, 'Identity']);

      const plainHost = createTensor('float32', [-1, -2, -3, -4], [2, ...target.slice(1)]);
      const out = await runModel(graph.encode({ outputs: { stacked } }), { ...host, plain: plainHost });
      // The same ops on the float64 reference backend, which has no shortcut.
      const ref = (t: Tensor) => referenceOps.constant(Array.from(t.data as Float32Array), t.shape);
      const expected = referenceOps.concat(
        sources.map((s) => (s === 'plain' ? ref(plainHost) : referenceOps.reshape(ref(host[s]), target))),
        axis,
      );
      expect(out.stacked?.shape).toEqual(expected.shape);
      expect(Array.from(out.stacked?.data as Float32Array)).toEqual(Array.from(expected.data));
    });
  });

  it('exports only what the outputs depend on', () => {
    const graph = new OnnxGraphBuilder();
    const ops = onnxOps(graph);
    const x = graph.input('x', 'float32', [-1, 2]);
    graph.input('unused', 'float32', [-1, 2]);
    const w = graph.initializer({ dtype: 'float32', shape: [2, 1], data: Float32Array.of(1, 2) }, 'w');
    graph.initializer({ dtype: 'float32', shape: [1000], data: new Float32Array(1000) }, 'big_unused');
    ops.relu(x);
    const model = modelProto(graph, { outputs: { y: ops.matMul(x, w) } });
    expect(model.graph.input.map((i) => i.name)).toEqual(['x']);
    expect(model.graph.initializer.map((t) => t.name)).toEqual(['w']);
    expect(model.graph.node.map((n) => n.opType)).toEqual(['MatMul', 'Identity']);
  });
});
