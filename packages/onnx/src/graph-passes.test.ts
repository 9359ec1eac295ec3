import { initParameters } from '@thaw/model';
import { demoSpec, refMSpec } from '@thaw/spec';
import { createRng, createTensor, type Tensor } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from './export-onnx.js';
import { OnnxGraphBuilder } from './graph-builder.js';
import { onnxOps } from './onnx-ops.js';
import { decodeModelProto } from './proto/model-proto.js';
import { runModel } from './test-utils/run-model.js';

const opTypes = (bytes: Uint8Array) => decodeModelProto(bytes).graph.node.map((n) => n.opType);
const count = (ops: string[], op: string) => ops.filter((o) => o === op).length;

/** Random rows for every input of a spec's graph (int64 ids inside and outside the tables). */
function randomFeeds(spec: typeof demoSpec, n: number, seed: number): Record<string, Tensor> {
  const rng = createRng(seed);
  return Object.fromEntries(
    spec.features.map((f) => {
      if (f.kind === 'dense')
        return [
          f.name,
          createTensor(
            'float32',
            Array.from({ length: n * f.dim }, () => rng.normal()),
            [n, f.dim],
          ),
        ];
      const size = f.kind === 'categorical' ? f.vocabSize + 3 : f.buckets * 2;
      return [
        f.name,
        createTensor(
          'int64',
          Array.from({ length: n }, () => Math.floor(rng.uniform() * size) - 1),
          [n],
        ),
      ];
    }),
  );
}

describe('graph passes (run by encode unless optimize: false)', () => {
  it('MatMul + bias Add → Gemm; sibling Gemms → one Gemm + Split; Split → Relu → Concat → one Relu; gated sums → one MatMul (ref-m)', () => {
    const weights = initParameters(refMSpec, 3);
    const plain = opTypes(exportOnnx(refMSpec, weights, { optimize: false }));
    const optimized = opTypes(exportOnnx(refMSpec, weights));
    expect(count(plain, 'Gemm')).toBe(0);
    expect(count(plain, 'MatMul')).toBe(20);
    // 19 dense layers; the 4 experts and 3 gates (all reading the MMoE input) are one Gemm: 19 − 6 = 13.
    expect(count(optimized, 'Gemm')).toBe(13);
    // eq 12's Σ_t u_t · p_t has no bias; the 3 tasks' gated sums over the experts are one batched MatMul.
    expect(count(optimized, 'MatMul')).toBe(2);
    expect(count(plain, 'Softmax')).toBe(3);
    expect(count(optimized, 'Softmax')).toBe(1);
    expect(count(optimized, 'ReduceSum')).toBe(count(plain, 'ReduceSum') - 3);
    expect(count(optimized, 'Mul')).toBe(count(plain, 'Mul') - 3);
    expect(count(optimized, 'Split')).toBe(1);
    expect(count(optimized, 'Concat')).toBe(count(plain, 'Concat') - 1); // the experts' stack
    expect(count(optimized, 'Relu')).toBe(count(plain, 'Relu') - 3);
    expect(optimized.length).toBeLessThan(plain.length);
  });

  it('computes the same outputs as the unoptimised graph (ref-m and demo, 1e-5)', async () => {
    for (const [spec, seed] of [
      [refMSpec, 5],
      [demoSpec, 6],
    ] as const) {
      const weights = initParameters(spec, seed);
      const feeds = randomFeeds(spec, 37, seed);
      const a = await runModel(exportOnnx(spec, weights, { optimize: false }), feeds);
      const b = await runModel(exportOnnx(spec, weights), feeds);
      for (const name of Object.keys(a)) {
        const x = a[name]?.data as Float32Array;
        const y = b[name]?.data as Float32Array;
        expect(y.length).toBe(x.length);
        let worst = 0;
        for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs((x[i] as number) - (y[i] as number)));
        expect(worst, `${spec.name} ${name}`).toBeLessThan(1e-5);
      }
    }
  });

  it('leaves a MatMul whose product is read twice, or whose bias is not a weight, alone', async () => {
    const graph = new OnnxGraphBuilder();
    const ops = onnxOps(graph);
    const x = graph.input('x', 'float32', [-1, 2]);
    const b = graph.input('b', 'float32', [3]);
    const w = ops.constant([1, 2, 3, 4, 5, 6], [2, 3]);
    const product = ops.matMul(x, w);
    const twice = ops.add(ops.add(product, ops.constant([1, 1, 1], [3])), product);
    const fed = ops.add(ops.matMul(x, ops.constant([1, 0, 0, 1, 1, 1], [2, 3])), b);
    const bytes = graph.encode({ outputs: { twice, fed } });
    expect(opTypes(bytes).filter((o) => o === 'Gemm')).toEqual([]);
    const out = await runModel(bytes, {
      x: createTensor('float32', [1, 2], [1, 2]),
      b: createTensor('float32', [10, 20, 30], [3]),
    });
    // product = [9, 12, 15]; twice = 2·product + 1; fed = x·W = [3, 2, 2], + b
    expect(Array.from(out.twice?.data as Float32Array)).toEqual([19, 25, 31]);
    expect(Array.from(out.fed?.data as Float32Array)).toEqual([13, 22, 32]);
  });

  it('encodes the same bytes twice (the passes work on copies)', () => {
    const weights = initParameters(demoSpec, 1);
    expect(exportOnnx(demoSpec, weights)).toEqual(exportOnnx(demoSpec, weights));
  });
});
