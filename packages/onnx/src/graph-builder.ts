import { formatShape, sizeOf } from '@thaw/tensor';
import { optimizeGraph } from './graph-passes.js';
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
 * symbolic batch axis) and an element type. It is the `T` of the ONNX backend of `Ops<T>`; only
 * an {@link OnnxGraphBuilder} makes them (its `input`, `initializer`, `node`, or {@link onnxOps}).
 */
export interface OnnxValue {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: OnnxDataType;
}

/** The graph that made each value. */
const owners = new WeakMap<OnnxValue, OnnxGraphBuilder>();

function newValue(graph: OnnxGraphBuilder, name: string, shape: readonly number[], dtype: OnnxDataType): OnnxValue {
  const value: OnnxValue = Object.freeze({ name, shape: Object.freeze([...shape]), dtype });
  owners.set(value, graph);
  return value;
}

/** The recorded graph behind an {@link OnnxGraphBuilder} (kept off its public type). */
interface GraphState {
  readonly names: Set<string>;
  readonly counters: Map<string, number>;
  readonly inputs: ValueInfoProtoData[];
  readonly initializers: Map<string, TensorProtoData>;
  readonly nodes: NodeProtoData[];
  /** The static shape of every value (inputs, initializers, node outputs). */
  readonly shapes: Map<string, readonly number[]>;
}

const states = new WeakMap<OnnxGraphBuilder, GraphState>();

function stateOf(graph: OnnxGraphBuilder): GraphState {
  const state = states.get(graph);
  if (state === undefined) throw new TypeError('onnx: expected an OnnxGraphBuilder made with new OnnxGraphBuilder()');
  return state;
}

/**
 * `value`, after checking that `graph` made it. Internal to `@thaw/onnx` (not exported from the
 * package entry).
 *
 * @throws TypeError naming `op` when the value comes from another graph or is not a value at all.
 */
export function ownedValue(graph: OnnxGraphBuilder, value: OnnxValue, op: string): OnnxValue {
  const owner = typeof value === 'object' && value !== null ? owners.get(value) : undefined;
  if (owner !== graph) {
    const what = owner === undefined ? String(value) : `'${value.name}' of another graph`;
    throw new TypeError(`onnx ${op}: expected a value of this graph (from its ops or input()), got ${what}`);
  }
  return value;
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
  /**
   * Run thaw's graph passes before writing: MatMul + Add → Gemm, Gemms sharing an input merged
   * into one (then Split), Split → elementwise → Concat collapsed (see `graph-passes.ts`). The
   * values computed are the same up to float32 summation order. Default true.
   */
  readonly optimize?: boolean;
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

/** A fresh value name from `base` (`base`, then `base_1`, …). */
function uniqueName(state: GraphState, base: string): string {
  let name = base;
  let k = state.counters.get(base) ?? 0;
  while (state.names.has(name)) name = `${base}_${++k}`;
  state.counters.set(base, k);
  state.names.add(name);
  return name;
}

function claim(state: GraphState, name: string, what: string): string {
  if (state.names.has(name)) throw new Error(`OnnxGraphBuilder.${what}: the name '${name}' is already used; pick another`);
  state.names.add(name);
  return name;
}

/**
 * Records an ONNX graph: inputs, initializers (constants and weights) and nodes, each producing an
 * {@link OnnxValue} with a statically inferred shape. `encode` keeps only what the requested
 * outputs depend on and writes an opset-17, IR-8 ONNX model.
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

  constructor(options: { batchDimension?: string } = {}) {
    this.batchDimension = options.batchDimension ?? 'batch';
    states.set(this, {
      names: new Set(),
      counters: new Map(),
      inputs: [],
      initializers: new Map(),
      nodes: [],
      shapes: new Map(),
    });
  }

  /** Declares a graph input; `-1` in `shape` is the symbolic batch axis. */
  input(name: string, dtype: OnnxDataType, shape: readonly number[]): OnnxValue {
    if (!shape.every((e) => e === -1 || (Number.isInteger(e) && e >= 0))) {
      throw new RangeError(`OnnxGraphBuilder.input: shape of '${name}' must hold extents ≥ 0 or -1 (got ${formatShape(shape)})`);
    }
    const state = stateOf(this);
    claim(state, name, 'input');
    state.inputs.push({
      name,
      type: { tensorType: { elemType: ONNX_ELEMENT_TYPE[dtype], shape: { dim: dimensions(shape, this.batchDimension) } } },
    });
    state.shapes.set(name, [...shape]);
    return newValue(this, name, shape, dtype);
  }

  /** Adds a constant (a weight, an axis list …). `name` defaults to `const`. */
  initializer(tensor: OnnxTensorData, name?: string): OnnxValue {
    if (!littleEndian) throw new Error('OnnxGraphBuilder: ONNX raw_data is little-endian; this platform is big-endian');
    if (tensor.data.length !== sizeOf(tensor.shape)) {
      throw new RangeError(
        `OnnxGraphBuilder.initializer: shape ${formatShape(tensor.shape)} holds ${sizeOf(tensor.shape)} elements but data has ${tensor.data.length}`,
      );
    }
    const state = stateOf(this);
    const unique = name === undefined ? uniqueName(state, 'const') : claim(state, name, 'initializer');
    const { buffer, byteOffset, byteLength } = tensor.data;
    state.initializers.set(unique, {
      name: unique,
      dims: [...tensor.shape],
      dataType: ONNX_ELEMENT_TYPE[tensor.dtype],
      rawData: new Uint8Array(buffer, byteOffset, byteLength),
    });
    state.shapes.set(unique, [...tensor.shape]);
    return newValue(this, unique, tensor.shape, tensor.dtype);
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
    const inputNames = inputs.map((v) => (v === undefined ? '' : ownedValue(this, v, opType).name));
    const state = stateOf(this);
    const name = uniqueName(state, opType);
    state.nodes.push({
      name,
      opType,
      input: inputNames,
      output: [name],
      attribute: Object.entries(attributes).map(([key, value]) => attributeProto(key, value)),
    });
    state.shapes.set(name, [...output.shape]);
    return newValue(this, name, output.shape, output.dtype);
  }

  /**
   * The ONNX model computing `options.outputs`, as protobuf bytes: only the nodes, initializers
   * and inputs the outputs depend on are kept (so unused weights are not exported). Each output is
   * an `Identity` of its value, named as given, with `-1` extents declared as the symbolic batch
   * dimension.
   *
   * @throws RangeError when `outputs` is empty; Error when an output name is already a value.
   */
  encode(options: OnnxModelOptions): Uint8Array {
    return encodeModelProto(modelProto(this, options));
  }
}

/**
 * The `ModelProto` {@link OnnxGraphBuilder.encode} serialises. Internal to `@thaw/onnx` (not
 * exported from the package entry; the proto types are an implementation detail).
 */
export function modelProto(graph: OnnxGraphBuilder, options: OnnxModelOptions): ModelProtoData {
  const state = stateOf(graph);
  const entries = Object.entries(options.outputs);
  if (entries.length === 0) throw new RangeError('OnnxGraphBuilder.encode: outputs must name at least one value');
  const outputNodes: NodeProtoData[] = [];
  const outputInfos: ValueInfoProtoData[] = [];
  for (const [name, value] of entries) {
    ownedValue(graph, value, 'encode');
    if (state.names.has(name)) {
      throw new Error(`OnnxGraphBuilder.encode: output name '${name}' is already a value of the graph; pick another`);
    }
    outputNodes.push({ name: `output_${name}`, opType: 'Identity', input: [value.name], output: [name], attribute: [] });
    outputInfos.push({
      name,
      type: {
        tensorType: { elemType: ONNX_ELEMENT_TYPE[value.dtype], shape: { dim: dimensions(value.shape, graph.batchDimension) } },
      },
    });
  }
  const needed = new Set(entries.map(([, v]) => v.name));
  const kept: NodeProtoData[] = [];
  for (let k = state.nodes.length - 1; k >= 0; k--) {
    const node = state.nodes[k] as NodeProtoData;
    if (!node.output.some((o) => needed.has(o))) continue;
    kept.push(node);
    for (const i of node.input) if (i !== '') needed.add(i);
  }
  kept.reverse();
  let nodes = kept;
  let initializers = [...state.initializers.values()].filter((t) => needed.has(t.name));
  if (options.optimize ?? true) {
    // The passes rewrite nodes in place: give them copies, so encoding twice gives the same model.
    const pass = {
      nodes: kept.map((n) => ({ ...n, input: [...n.input], output: [...n.output], attribute: [...n.attribute] })),
      initializers: new Map(initializers.map((t) => [t.name, t])),
      shapes: new Map(state.shapes),
      keep: new Set(entries.map(([, v]) => v.name)),
    };
    optimizeGraph(pass);
    nodes = pass.nodes;
    const read = new Set([...nodes.flatMap((n) => n.input), ...pass.keep]);
    initializers = [...pass.initializers.values()].filter((t) => read.has(t.name));
  }
  return {
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'thaw',
    producerVersion,
    ...(options.docString === undefined ? {} : { docString: options.docString }),
    graph: {
      name: options.graphName ?? 'thaw',
      node: [...nodes, ...outputNodes],
      initializer: initializers,
      input: state.inputs.filter((i) => needed.has(i.name)),
      output: outputInfos,
    },
    metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
}
