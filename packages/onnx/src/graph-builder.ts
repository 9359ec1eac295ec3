import { formatShape, sizeOf } from '@thaw/tensor';
import { producerVersion } from './producer.js';
import {
  type AttributeProtoData,
  type DimensionData,
  encodeModelProto,
  type ModelProtoData,
  type NodeProtoData,
  ONNX_ATTRIBUTE_TYPE,
  ONNX_ELEMENT_TYPE,
  type TensorProtoData,
  type ValueInfoProtoData,
} from './proto/model-proto.js';

/** Element types a thaw ONNX graph carries: float32 values, int32/int64 indices, bool masks. */
export type OnnxDataType = 'float32' | 'int32' | 'int64' | 'bool';

/** The ONNX opset thaw graphs target (default domain). */
export const ONNX_OPSET = 17;
/** The ONNX IR version thaw models declare (ONNX 1.10+; accepted by onnxruntime ≥ 1.10). */
export const ONNX_IR_VERSION = 8;

/** Host data of an initializer. */
export interface OnnxTensorData {
  readonly dtype: Exclude<OnnxDataType, 'bool'>;
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array | BigInt64Array;
}

/** A node attribute: an int, a float, a string or a list of ints or floats. */
export type OnnxAttribute =
  | { readonly int: number }
  | { readonly float: number }
  | { readonly string: string }
  | { readonly ints: readonly number[] }
  | { readonly floats: readonly number[] };

/**
 * A symbolic tensor of a graph under construction: a value name, a static shape (`-1` = the
 * symbolic batch axis) and an element type. It is the `T` of the ONNX backend of `Ops<T>`.
 */
export class OnnxValue {
  /** @internal */
  readonly graph: OnnxGraphBuilder;
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: OnnxDataType;

  /** @internal Values are made by an {@link OnnxGraphBuilder}. */
  constructor(graph: OnnxGraphBuilder, name: string, shape: readonly number[], dtype: OnnxDataType) {
    this.graph = graph;
    this.name = name;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
  }
}

/** What to put in the `ModelProto` besides the graph. */
export interface OnnxModelOptions {
  /** Graph outputs: output name → value, in order. */
  readonly outputs: Readonly<Record<string, OnnxValue>>;
  /** `graph.name`. Default `'thaw'`. */
  readonly graphName?: string;
  /** `doc_string` of the model. */
  readonly docString?: string;
  /** `metadata_props`, e.g. `{ 'thaw.specHash': '…' }`. */
  readonly metadata?: Readonly<Record<string, string>>;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function dimensions(shape: readonly number[], batch: string): DimensionData[] {
  return shape.map((e) => (e === -1 ? { dimParam: batch } : { dimValue: e }));
}

function attributeProto(name: string, value: OnnxAttribute): AttributeProtoData {
  if ('int' in value) return { name, type: ONNX_ATTRIBUTE_TYPE.int, i: value.int };
  if ('float' in value) return { name, type: ONNX_ATTRIBUTE_TYPE.float, f: value.float };
  if ('string' in value) return { name, type: ONNX_ATTRIBUTE_TYPE.string, s: new TextEncoder().encode(value.string) };
  if ('ints' in value) return { name, type: ONNX_ATTRIBUTE_TYPE.ints, ints: [...value.ints] };
  return { name, type: ONNX_ATTRIBUTE_TYPE.floats, floats: [...value.floats] };
}

/**
 * Records an ONNX graph: inputs, initializers (constants and weights) and nodes, each producing an
 * {@link OnnxValue} with a statically inferred shape. `toModel` keeps only what the requested
 * outputs depend on and returns an opset-17, IR-8 `ModelProto`; `encode` serialises it.
 *
 * Use it through {@link onnxOps} to run thaw's model math and record the graph it computes.
 *
 * @example
 * ```ts
 * import { OnnxGraphBuilder, onnxOps } from '@thaw/onnx';
 * const graph = new OnnxGraphBuilder();
 * const ops = onnxOps(graph);
 * const x = graph.input('x', 'float32', [-1, 3]); // batch × 3
 * const y = ops.sigmoid(ops.matMul(x, ops.constant([1, 2, 3], [3, 1])));
 * const bytes = graph.encode({ outputs: { y } }); // an ONNX model with a symbolic batch axis
 * ```
 */
export class OnnxGraphBuilder {
  /** Name of the symbolic batch dimension in inputs and outputs. */
  readonly batchDimension: string;
  private readonly names = new Set<string>();
  private readonly counters = new Map<string, number>();
  private readonly inputs: ValueInfoProtoData[] = [];
  private readonly initializers = new Map<string, TensorProtoData>();
  private readonly nodes: NodeProtoData[] = [];

  constructor(options: { batchDimension?: string } = {}) {
    this.batchDimension = options.batchDimension ?? 'batch';
  }

  /** A fresh value name from `base` (`base`, then `base_1`, …). */
  private uniqueName(base: string): string {
    let name = base;
    let k = this.counters.get(base) ?? 0;
    while (this.names.has(name)) name = `${base}_${++k}`;
    this.counters.set(base, k);
    this.names.add(name);
    return name;
  }

  private claim(name: string, what: string): string {
    if (this.names.has(name)) throw new Error(`OnnxGraphBuilder.${what}: the name '${name}' is already used; pick another`);
    this.names.add(name);
    return name;
  }

  /** Checks that `value` belongs to this graph. @internal */
  own(value: OnnxValue, op: string): OnnxValue {
    if (!(value instanceof OnnxValue) || value.graph !== this) {
      throw new TypeError(`onnx ${op}: expected a value of this graph (from its ops or input()), got ${String(value)}`);
    }
    return value;
  }

  /** Declares a graph input; `-1` in `shape` is the symbolic batch axis. */
  input(name: string, dtype: OnnxDataType, shape: readonly number[]): OnnxValue {
    if (!shape.every((e) => e === -1 || (Number.isInteger(e) && e >= 0))) {
      throw new RangeError(`OnnxGraphBuilder.input: shape of '${name}' must hold extents ≥ 0 or -1 (got ${formatShape(shape)})`);
    }
    this.claim(name, 'input');
    this.inputs.push({
      name,
      type: { tensorType: { elemType: ONNX_ELEMENT_TYPE[dtype], shape: { dim: dimensions(shape, this.batchDimension) } } },
    });
    return new OnnxValue(this, name, shape, dtype);
  }

  /** Adds a constant (a weight, an axis list …). `name` defaults to `const`. */
  initializer(tensor: OnnxTensorData, name?: string): OnnxValue {
    if (!littleEndian) throw new Error('OnnxGraphBuilder: ONNX raw_data is little-endian; this platform is big-endian');
    if (tensor.data.length !== sizeOf(tensor.shape)) {
      throw new RangeError(
        `OnnxGraphBuilder.initializer: shape ${formatShape(tensor.shape)} holds ${sizeOf(tensor.shape)} elements but data has ${tensor.data.length}`,
      );
    }
    const unique = name === undefined ? this.uniqueName('const') : this.claim(name, 'initializer');
    const { buffer, byteOffset, byteLength } = tensor.data;
    this.initializers.set(unique, {
      name: unique,
      dims: [...tensor.shape],
      dataType: ONNX_ELEMENT_TYPE[tensor.dtype],
      rawData: new Uint8Array(buffer, byteOffset, byteLength),
    });
    return new OnnxValue(this, unique, tensor.shape, tensor.dtype);
  }

  /** An int64 vector constant (axes, shapes, slice bounds). */
  int64s(values: readonly (number | bigint)[]): OnnxValue {
    return this.initializer({ dtype: 'int64', shape: [values.length], data: BigInt64Array.from(values, (v) => BigInt(v)) });
  }

  /**
   * Appends a node with one output whose shape and type the caller has inferred.
   *
   * @param opType an operator of the default ONNX domain, opset 17 (`'MatMul'`, `'Clip'` …).
   */
  node(
    opType: string,
    inputs: readonly (OnnxValue | undefined)[],
    output: { readonly shape: readonly number[]; readonly dtype: OnnxDataType },
    attributes: Readonly<Record<string, OnnxAttribute>> = {},
  ): OnnxValue {
    const inputNames = inputs.map((v) => (v === undefined ? '' : this.own(v, opType).name));
    const name = this.uniqueName(opType);
    this.nodes.push({
      name,
      opType,
      input: inputNames,
      output: [name],
      attribute: Object.entries(attributes).map(([key, value]) => attributeProto(key, value)),
    });
    return new OnnxValue(this, name, output.shape, output.dtype);
  }

  /**
   * The `ModelProto` computing `outputs`: only the nodes, initializers and inputs they depend on
   * are kept (so unused weights are not exported). Each output is an `Identity` of its value, named
   * as given, with `-1` extents declared as the symbolic batch dimension.
   */
  toModel(options: OnnxModelOptions): ModelProtoData {
    const entries = Object.entries(options.outputs);
    if (entries.length === 0) throw new RangeError('OnnxGraphBuilder.toModel: outputs must name at least one value');
    const outputNodes: NodeProtoData[] = [];
    const outputInfos: ValueInfoProtoData[] = [];
    for (const [name, value] of entries) {
      this.own(value, 'toModel');
      if (this.names.has(name)) {
        throw new Error(`OnnxGraphBuilder.toModel: output name '${name}' is already a value of the graph; pick another`);
      }
      outputNodes.push({ name: `output_${name}`, opType: 'Identity', input: [value.name], output: [name], attribute: [] });
      outputInfos.push({
        name,
        type: {
          tensorType: { elemType: ONNX_ELEMENT_TYPE[value.dtype], shape: { dim: dimensions(value.shape, this.batchDimension) } },
        },
      });
    }
    const needed = new Set(entries.map(([, v]) => v.name));
    const kept: NodeProtoData[] = [];
    for (let k = this.nodes.length - 1; k >= 0; k--) {
      const node = this.nodes[k] as NodeProtoData;
      if (!node.output.some((o) => needed.has(o))) continue;
      kept.push(node);
      for (const i of node.input) if (i !== '') needed.add(i);
    }
    kept.reverse();
    return {
      irVersion: ONNX_IR_VERSION,
      opsetImport: [{ domain: '', version: ONNX_OPSET }],
      producerName: 'thaw',
      producerVersion,
      ...(options.docString === undefined ? {} : { docString: options.docString }),
      graph: {
        name: options.graphName ?? 'thaw',
        node: [...kept, ...outputNodes],
        initializer: [...this.initializers.values()].filter((t) => needed.has(t.name)),
        input: this.inputs.filter((i) => needed.has(i.name)),
        output: outputInfos,
      },
      metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
    };
  }

  /** {@link toModel}, serialised to ONNX protobuf bytes. */
  encode(options: OnnxModelOptions): Uint8Array {
    return encodeModelProto(this.toModel(options));
  }
}
