import { createTensor, type Tensor } from '@thaw/tensor';
import { checkOpsConformance } from '@thaw/tensor/testing';
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, type OnnxValue } from './graph-builder.js';
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

  it('stacks [N, W] tensors reshaped to [N, 1, W] with one Concat and one Reshape, same values', async () => {
    const graph = new OnnxGraphBuilder();
    const ops = onnxOps(graph);
    const a = graph.input('a', 'float32', [-1, 2]);
    const b = graph.input('b', 'float32', [-1, 2]);
    const stacked = ops.concat([ops.reshape(a, [-1, 1, 2]), ops.reshape(b, [-1, 1, 2])], 1);
    expect(ops.shape(stacked)).toEqual([-1, 2, 2]);
    const model = graph.toModel({ outputs: { stacked } });
    expect(model.graph.node.map((n) => n.opType)).toEqual(['Concat', 'Reshape', 'Identity']);
    const out = await runModel(graph.encode({ outputs: { stacked } }), {
      a: createTensor('float32', [1, 2, 3, 4], [2, 2]),
      b: createTensor('float32', [5, 6, 7, 8], [2, 2]),
    });
    // row 0: [a0; b0] = [[1, 2], [5, 6]]; row 1: [[3, 4], [7, 8]]
    expect(out.stacked?.shape).toEqual([2, 2, 2]);
    expect(Array.from(out.stacked?.data as Float32Array)).toEqual([1, 2, 5, 6, 3, 4, 7, 8]);
  });

  it('exports only what the outputs depend on', () => {
    const graph = new OnnxGraphBuilder();
    const ops = onnxOps(graph);
    const x = graph.input('x', 'float32', [-1, 2]);
    graph.input('unused', 'float32', [-1, 2]);
    const w = graph.initializer({ dtype: 'float32', shape: [2, 1], data: Float32Array.of(1, 2) }, 'w');
    graph.initializer({ dtype: 'float32', shape: [1000], data: new Float32Array(1000) }, 'big_unused');
    ops.relu(x);
    const model = graph.toModel({ outputs: { y: ops.matMul(x, w) } });
    expect(model.graph.input.map((i) => i.name)).toEqual(['x']);
    expect(model.graph.initializer.map((t) => t.name)).toEqual(['w']);
    expect(model.graph.node.map((n) => n.opType)).toEqual(['MatMul', 'Identity']);
  });
});
