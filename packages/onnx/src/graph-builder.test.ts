import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { ONNX_IR_VERSION, ONNX_OPSET, OnnxGraphBuilder } from './graph-builder.js';
import { onnxOps } from './onnx-ops.js';
import { decodeModelProto } from './proto/model-proto.js';

const { onnx } = onnxProto;

function smallModel() {
  const graph = new OnnxGraphBuilder();
  const ops = onnxOps(graph);
  const x = graph.input('x', 'float32', [-1, 2]);
  const w = graph.initializer({ dtype: 'float32', shape: [2, 1], data: Float32Array.of(0.5, -2) }, 'dense/kernel');
  const y = ops.sigmoid(ops.matMul(x, w));
  return graph.encode({ outputs: { p: y }, docString: 'tiny', metadata: { 'thaw.specHash': 'abc123', 'thaw.tasks': 'click' } });
}

describe('OnnxGraphBuilder.encode', () => {
  // onnx-proto is an independent protobufjs build of the official onnx.proto (v1.10.2): decoding our
  // bytes with it checks the field numbers and wire types of our descriptor.
  it('writes a ModelProto the official schema reads: IR 8, opset 17, producer, metadata', () => {
    const model = onnx.ModelProto.decode(smallModel());
    expect(Number(model.irVersion)).toBe(8);
    expect(ONNX_IR_VERSION).toBe(8);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', ONNX_OPSET]]);
    expect(ONNX_OPSET).toBe(17);
    expect(model.producerName).toBe('thaw');
    expect(model.producerVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(model.docString).toBe('tiny');
    expect(model.metadataProps.map((p) => [p.key, p.value])).toEqual([
      ['thaw.specHash', 'abc123'],
      ['thaw.tasks', 'click'],
    ]);
  });

  it('declares the batch axis as a dim_param and stores weights as little-endian raw_data', () => {
    const decoded = onnx.ModelProto.decode(smallModel()).graph;
    if (!decoded) throw new Error('no graph');
    const graph = decoded as { [K in keyof typeof decoded]-?: NonNullable<(typeof decoded)[K]> };
    const dims = graph.input[0]?.type?.tensorType?.shape?.dim ?? [];
    expect(dims.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['batch', 2]);
    expect(graph.input[0]?.type?.tensorType?.elemType).toBe(onnx.TensorProto.DataType.FLOAT);
    const outDims = graph.output[0]?.type?.tensorType?.shape?.dim ?? [];
    expect(outDims.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['batch', 1]);
    const kernel = graph.initializer.find((t) => t.name === 'dense/kernel');
    expect(kernel?.dims?.map(Number)).toEqual([2, 1]);
    const raw = kernel?.rawData ?? new Uint8Array();
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    expect([view.getFloat32(0, true), view.getFloat32(4, true)]).toEqual([0.5, -2]);
    expect(graph.node.map((n) => n.opType)).toEqual(['MatMul', 'Sigmoid', 'Identity']);
    expect(graph.node.at(-1)?.output).toEqual(['p']);
  });

  it('reads back what it wrote', () => {
    const decoded = decodeModelProto(smallModel());
    expect(decoded.irVersion).toBe(8);
    expect(decoded.metadataProps).toEqual([
      { key: 'thaw.specHash', value: 'abc123' },
      { key: 'thaw.tasks', value: 'click' },
    ]);
  });

  it('keeps its recording off the public surface: no own(), no toModel(), values are plain data', async () => {
    const graph = new OnnxGraphBuilder();
    expect(Object.keys(graph)).toEqual(['batchDimension']);
    expect('own' in graph || 'toModel' in graph).toBe(false);
    const x = graph.input('x', 'float32', [-1, 2]);
    expect({ ...x }).toEqual({ name: 'x', shape: [-1, 2], dtype: 'float32' });
    const entry = await import('./index.js');
    expect(Object.keys(entry).filter((k) => ['modelProto', 'ownedValue', 'OnnxValue'].includes(k))).toEqual([]);
    // A look-alike object is not a value of the graph.
    const ops = onnxOps(graph);
    expect(() => ops.relu({ name: 'x', shape: [-1, 2], dtype: 'float32' })).toThrow(
      'onnx relu: expected a value of this graph (from its ops or input()), got [object Object]',
    );
    expect(() => ops.relu(new OnnxGraphBuilder().input('y', 'float32', [1]))).toThrow("got 'y' of another graph");
  });

  it('refuses duplicate names and empty outputs', () => {
    const graph = new OnnxGraphBuilder();
    const x = graph.input('x', 'float32', [1]);
    expect(() => graph.input('x', 'float32', [1])).toThrow("the name 'x' is already used");
    expect(() => graph.encode({ outputs: {} })).toThrow('outputs must name at least one value');
    expect(() => graph.encode({ outputs: { x } })).toThrow("output name 'x' is already a value");
  });
});
