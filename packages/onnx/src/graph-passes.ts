import { type NodeProtoData, ONNX_ATTRIBUTE_TYPE, ONNX_ELEMENT_TYPE, type TensorProtoData } from './proto/model-proto.js';

/**
 * A recorded graph as the optimisation passes see it: nodes in topological order, initializers by
 * name, the static shape of every value the builder inferred (`-1` = batch), and the names the
 * graph must keep (its outputs).
 *
 * @internal
 */
export interface PassGraph {
  nodes: NodeProtoData[];
  readonly initializers: Map<string, TensorProtoData>;
  readonly shapes: Map<string, readonly number[]>;
  readonly keep: ReadonlySet<string>;
}

/** How many nodes read each value (a kept graph output counts as one more reader). */
function readers(graph: PassGraph): Map<string, number> {
  const count = new Map<string, number>();
  for (const node of graph.nodes) for (const input of node.input) count.set(input, (count.get(input) ?? 0) + 1);
  for (const name of graph.keep) count.set(name, (count.get(name) ?? 0) + 1);
  return count;
}

/** The producer of each value. */
function producers(graph: PassGraph): Map<string, NodeProtoData> {
  const by = new Map<string, NodeProtoData>();
  for (const node of graph.nodes) for (const output of node.output) by.set(output, node);
  return by;
}

const floatWeight = (graph: PassGraph, name: string | undefined, rank: number) => {
  const t = name === undefined ? undefined : graph.initializers.get(name);
  return t !== undefined && t.dataType === ONNX_ELEMENT_TYPE.float32 && t.dims.length === rank ? t : undefined;
};

const floats = (t: TensorProtoData) => {
  const raw = t.rawData.byteOffset % 4 === 0 ? t.rawData : new Uint8Array(t.rawData);
  return new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
};

function freshName(graph: PassGraph, base: string): string {
  const taken = new Set<string>([...graph.initializers.keys(), ...graph.nodes.flatMap((n) => [...n.output, n.name])]);
  let name = base;
  for (let k = 1; taken.has(name); k++) name = `${base}_${k}`;
  return name;
}

function addFloatInitializer(graph: PassGraph, base: string, dims: number[], data: Float32Array): string {
  const name = freshName(graph, base);
  graph.initializers.set(name, {
    name,
    dims,
    dataType: ONNX_ELEMENT_TYPE.float32,
    rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  });
  return name;
}

function addInt64Initializer(graph: PassGraph, base: string, values: readonly number[]): string {
  const name = freshName(graph, base);
  const data = BigInt64Array.from(values, (v) => BigInt(v));
  graph.initializers.set(name, {
    name,
    dims: [values.length],
    dataType: ONNX_ELEMENT_TYPE.int64,
    rawData: new Uint8Array(data.buffer),
  });
  return name;
}

/**
 * `MatMul(A, W)` followed by `Add(·, b)` — `W` a `[K, N]` float weight, `b` a `[N]` or `[1, N]`
 * float weight, `A` of rank 2, the product read only by that Add — becomes one `Gemm(A, W, b)`
 * producing the Add's output. This is what a dense layer (`@thaw/model`'s `x·W + b`, also when an
 * `Ops` backend composes it as MatMul + Add (+ Relu)) is; onnxruntime runs Gemm with the bias
 * folded in. Returns how many were fused.
 *
 * @internal
 */
export function fuseMatMulAdd(graph: PassGraph): number {
  const count = readers(graph);
  const consumer = new Map<string, NodeProtoData>();
  for (const node of graph.nodes) for (const input of node.input) consumer.set(input, node);
  const removed = new Set<NodeProtoData>();
  let fused = 0;
  for (const node of graph.nodes) {
    if (node.opType !== 'MatMul' || node.domain || removed.has(node)) continue;
    const [a, w] = node.input;
    const kernel = floatWeight(graph, w, 2);
    const product = node.output[0] as string;
    if (kernel === undefined || graph.shapes.get(a as string)?.length !== 2 || count.get(product) !== 1) continue;
    const add = consumer.get(product);
    if (add === undefined || add.opType !== 'Add' || add.domain || add.input.length !== 2) continue;
    const bias = add.input[0] === product ? add.input[1] : add.input[0];
    const b = floatWeight(graph, bias, 1) ?? floatWeight(graph, bias, 2);
    const n = kernel.dims[1] as number;
    if (b === undefined || b.dims.at(-1) !== n || (b.dims.length === 2 && b.dims[0] !== 1)) continue;
    node.opType = 'Gemm';
    node.input = [a as string, w as string, bias as string];
    node.output = [add.output[0] as string];
    removed.add(add);
    fused += 1;
  }
  graph.nodes = graph.nodes.filter((n) => !removed.has(n));
  return fused;
}

const plainGemm = (node: NodeProtoData) => node.opType === 'Gemm' && !node.domain && node.attribute.length === 0;

/**
 * Gemms that read the same input `A` with weights used nowhere else — the MMoE's experts and
 * gates all read the shared representation — become one Gemm over the weights concatenated along
 * N, then a `Split` (axis 1) giving back each original output: one pass over `A` and one larger
 * matrix product instead of several small ones. Returns how many Gemms were merged away.
 *
 * @internal
 */
export function fuseSiblingGemms(graph: PassGraph): number {
  const count = readers(graph);
  const groups = new Map<string, NodeProtoData[]>();
  for (const node of graph.nodes) {
    if (!plainGemm(node) || node.input.length !== 3) continue;
    const [a, w, b] = node.input as [string, string, string];
    const kernel = floatWeight(graph, w, 2);
    const bias = floatWeight(graph, b, 1);
    if (kernel === undefined || bias === undefined || count.get(w) !== 1 || count.get(b) !== 1) continue;
    if (bias.dims[0] !== kernel.dims[1] || graph.shapes.get(a)?.length !== 2) continue;
    const key = `${a}\u0000${kernel.dims[0]}`;
    groups.set(key, [...(groups.get(key) ?? []), node]);
  }
  let merged = 0;
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const kernels = group.map((n) => graph.initializers.get(n.input[1] as string) as TensorProtoData);
    const biases = group.map((n) => floats(graph.initializers.get(n.input[2] as string) as TensorProtoData));
    const k = kernels[0]?.dims[0] as number;
    const widths = kernels.map((t) => t.dims[1] as number);
    const total = widths.reduce((s, w) => s + w, 0);
    const kernel = new Float32Array(k * total);
    let offset = 0;
    kernels.forEach((t, g) => {
      const data = floats(t);
      const width = widths[g] as number;
      for (let row = 0; row < k; row++) kernel.set(data.subarray(row * width, (row + 1) * width), row * total + offset);
      offset += width;
    });
    const bias = new Float32Array(total);
    offset = 0;
    biases.forEach((data) => {
      bias.set(data, offset);
      offset += data.length;
    });
    const first = group[0] as NodeProtoData;
    const fusedKernel = addFloatInitializer(graph, `${first.input[1]}+siblings`, [k, total], kernel);
    const fusedBias = addFloatInitializer(graph, `${first.input[2]}+siblings`, [total], bias);
    const sizes = addInt64Initializer(graph, `${first.name}_split`, widths);
    const out = freshName(graph, `${first.output[0]}_siblings`);
    graph.shapes.set(out, [(graph.shapes.get(first.input[0] as string) as readonly number[])[0] as number, total]);
    const gemm: NodeProtoData = {
      name: `${first.name}_siblings`,
      opType: 'Gemm',
      input: [first.input[0] as string, fusedKernel, fusedBias],
      output: [out],
      attribute: [],
    };
    const split: NodeProtoData = {
      name: `${first.name}_split`,
      opType: 'Split',
      input: [out, sizes],
      output: group.map((n) => n.output[0] as string),
      attribute: [{ name: 'axis', type: ONNX_ATTRIBUTE_TYPE.int, i: 1 }],
    };
    const members = new Set(group);
    const at = graph.nodes.indexOf(first);
    graph.nodes = [...graph.nodes.slice(0, at), gemm, split, ...graph.nodes.slice(at).filter((n) => !members.has(n))];
    for (const n of group) {
      graph.initializers.delete(n.input[1] as string);
      graph.initializers.delete(n.input[2] as string);
    }
    merged += group.length - 1;
  }
  return merged;
}

const ELEMENTWISE = new Set(['Relu', 'Sigmoid', 'Tanh', 'Exp', 'Neg', 'Abs', 'Sqrt', 'Log']);
const intAttribute = (node: NodeProtoData, name: string, fallback: number) =>
  Number(node.attribute.find((a) => a.name === name)?.i ?? fallback);

/**
 * `Concat(f(s_i), …, f(s_j))` where `s_i…s_j` are consecutive outputs of one `Split` on the same
 * axis, `f` the same elementwise op (or none) and each piece read only there, is `f` of one wider
 * piece: the Split gives that piece at once and the Concat goes (e.g. the MMoE experts, split out
 * of a sibling Gemm, each through Relu, then stacked again). Returns how many Concats were removed.
 *
 * @internal
 */
export function mergeSplitConcat(graph: PassGraph): number {
  let removed = 0;
  for (;;) {
    const count = readers(graph);
    const by = producers(graph);
    const target = graph.nodes.find((concat) => {
      if (concat.opType !== 'Concat' || concat.domain || concat.input.length < 2) return false;
      return planMerge(graph, concat, by, count) !== undefined;
    });
    if (target === undefined) return removed;
    const plan = planMerge(graph, target, by, count) as MergePlan;
    const { split, first, last, op, pieces } = plan;
    const sizes = Array.from(
      new BigInt64Array((graph.initializers.get(split.input[1] as string) as TensorProtoData).rawData.slice().buffer),
      Number,
    );
    const mergedSize = sizes.slice(first, last + 1).reduce((s, v) => s + v, 0);
    const newSizes = [...sizes.slice(0, first), mergedSize, ...sizes.slice(last + 1)];
    const wide = op === undefined ? (target.output[0] as string) : freshName(graph, `${split.output[first]}_merged`);
    split.input = [split.input[0] as string, addInt64Initializer(graph, `${split.name}_sizes`, newSizes)];
    split.output = [...split.output.slice(0, first), wide, ...split.output.slice(last + 1)];
    const drop = new Set<NodeProtoData>([target, ...pieces]);
    const at = graph.nodes.indexOf(target);
    const replacement: NodeProtoData[] =
      op === undefined
        ? []
        : [{ name: `${target.name}_merged`, opType: op, input: [wide], output: [target.output[0] as string], attribute: [] }];
    graph.nodes = [...graph.nodes.slice(0, at), ...replacement, ...graph.nodes.slice(at)].filter((n) => !drop.has(n));
    removed += 1;
  }
}

interface MergePlan {
  readonly split: NodeProtoData;
  readonly first: number;
  readonly last: number;
  readonly op: string | undefined;
  /** The elementwise nodes replaced by one. */
  readonly pieces: NodeProtoData[];
}

function planMerge(
  graph: PassGraph,
  concat: NodeProtoData,
  by: Map<string, NodeProtoData>,
  count: Map<string, number>,
): MergePlan | undefined {
  const axis = intAttribute(concat, 'axis', 0);
  let split: NodeProtoData | undefined;
  let op: string | undefined;
  const indices: number[] = [];
  const pieces: NodeProtoData[] = [];
  for (const [k, input] of concat.input.entries()) {
    const producer = by.get(input);
    let source = input;
    let kind: string | undefined;
    if (producer !== undefined && ELEMENTWISE.has(producer.opType) && !producer.domain) {
      if (count.get(input) !== 1) return undefined;
      kind = producer.opType;
      source = producer.input[0] as string;
      pieces.push(producer);
    }
    if (k > 0 && kind !== op) return undefined;
    op = kind;
    const from = by.get(source);
    if (from === undefined || from.opType !== 'Split' || from.domain || count.get(source) !== 1) return undefined;
    if (split !== undefined && from !== split) return undefined;
    split = from;
    indices.push(from.output.indexOf(source));
  }
  if (split === undefined || split.input.length !== 2 || !graph.initializers.has(split.input[1] as string)) return undefined;
  const rank = graph.shapes.get(split.input[0] as string)?.length ?? 0;
  const splitAxis = intAttribute(split, 'axis', 0);
  if (rank === 0 || (axis + rank) % rank !== (splitAxis + rank) % rank) return undefined;
  if (!indices.every((v, k) => k === 0 || v === (indices[k - 1] as number) + 1)) return undefined;
  return { split, first: indices[0] as number, last: indices.at(-1) as number, op, pieces };
}

const int64Values = (graph: PassGraph, name: string | undefined) => {
  const t = name === undefined ? undefined : graph.initializers.get(name);
  if (t === undefined || t.dataType !== ONNX_ELEMENT_TYPE.int64) return undefined;
  return Array.from(new BigInt64Array(t.rawData.slice().buffer), Number);
};

/** One task's gated sum of a mixture of experts, as the model records it. */
interface GatedSum {
  readonly softmax: NodeProtoData;
  readonly reshape: NodeProtoData;
  readonly mul: NodeProtoData;
  readonly sum: NodeProtoData;
  /** The Split the gate logits come from, and which of its outputs. */
  readonly split: NodeProtoData;
  readonly index: number;
  /** The stacked experts `[N, E, D]`. */
  readonly experts: string;
}

/** `ReduceSum_axis1(Mul(Reshape(Softmax_axis1(s), [-1, E, 1]), X))`, each intermediate read once, `s` a Split output. */
function gatedSum(graph: PassGraph, sum: NodeProtoData, by: Map<string, NodeProtoData>, count: Map<string, number>) {
  if (sum.opType !== 'ReduceSum' || sum.domain || intAttribute(sum, 'keepdims', 1) !== 0) return undefined;
  if (int64Values(graph, sum.input[1])?.join() !== '1') return undefined;
  const mul = by.get(sum.input[0] as string);
  if (mul?.opType !== 'Mul' || mul.domain || count.get(mul.output[0] as string) !== 1) return undefined;
  for (const [g, x] of [
    [0, 1],
    [1, 0],
  ] as const) {
    const reshape = by.get(mul.input[g] as string);
    const experts = mul.input[x] as string;
    const shape = graph.shapes.get(experts);
    if (reshape?.opType !== 'Reshape' || reshape.domain || count.get(reshape.output[0] as string) !== 1) continue;
    if (shape?.length !== 3 || shape[0] !== -1) continue;
    if (int64Values(graph, reshape.input[1])?.join() !== `-1,${shape[1]},1`) continue;
    const softmax = by.get(reshape.input[0] as string);
    if (softmax?.opType !== 'Softmax' || softmax.domain || count.get(softmax.output[0] as string) !== 1) continue;
    const axis = intAttribute(softmax, 'axis', -1);
    if (axis !== 1 && axis !== -1) continue;
    const logits = softmax.input[0] as string;
    const split = by.get(logits);
    if (split?.opType !== 'Split' || split.domain || count.get(logits) !== 1 || intAttribute(split, 'axis', 0) !== 1) continue;
    if (graph.shapes.get(logits)?.join() !== `-1,${shape[1]}`) continue;
    return { softmax, reshape, mul, sum, split, index: split.output.indexOf(logits), experts } satisfies GatedSum;
  }
  return undefined;
}

/**
 * The MMoE's per-task gated sums over the same stacked experts `X` `[N, E, D]` —
 * `Σ_e softmax(g_t)_e · X[:, e, :]`, recorded per task as Softmax → Reshape → Mul → ReduceSum —
 * become one batched product when the tasks' gate logits are consecutive outputs of one Split (as
 * {@link fuseSiblingGemms} leaves them): `MatMul(Softmax(Reshape(g, [-1, T, E]), axis 2), X)` gives
 * `[N, T, D]`, and a `Gather` on axis 1 per task hands each tower its row. One Softmax and one
 * MatMul instead of T Softmax, Mul and ReduceSum (and no `[N, E, D]` temporaries). Returns how
 * many gated sums were folded.
 *
 * @internal
 */
export function batchGatedSums(graph: PassGraph): number {
  const count = readers(graph);
  const by = producers(graph);
  const groups = new Map<string, GatedSum[]>();
  for (const node of graph.nodes) {
    const found = gatedSum(graph, node, by, count);
    if (found === undefined) continue;
    const key = `${found.split.name}\u0000${found.experts}`;
    groups.set(key, [...(groups.get(key) ?? []), found]);
  }
  let folded = 0;
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const sorted = [...members].sort((a, b) => a.index - b.index);
    if (!sorted.every((m, k) => k === 0 || m.index === (sorted[k - 1] as GatedSum).index + 1)) continue;
    const split = (sorted[0] as GatedSum).split;
    const sizes = int64Values(graph, split.input[1]);
    if (sizes === undefined || split.input.length !== 2) continue;
    const first = (sorted[0] as GatedSum).index;
    const last = (sorted.at(-1) as GatedSum).index;
    const experts = (sorted[0] as GatedSum).experts;
    const [, e, d] = graph.shapes.get(experts) as [number, number, number];
    const t = sorted.length;
    const gates = freshName(graph, `${split.output[first]}_gates`);
    split.input = [
      split.input[0] as string,
      addInt64Initializer(graph, `${split.name}_sizes`, [
        ...sizes.slice(0, first),
        sizes.slice(first, last + 1).reduce((s, v) => s + v, 0),
        ...sizes.slice(last + 1),
      ]),
    ];
    split.output = [...split.output.slice(0, first), gates, ...split.output.slice(last + 1)];
    const stacked = freshName(graph, `${gates}_stacked`);
    const weights = freshName(graph, `${gates}_softmax`);
    const mixed = freshName(graph, `${gates}_mixed`);
    graph.shapes.set(gates, [-1, t * e]);
    graph.shapes.set(stacked, [-1, t, e]);
    graph.shapes.set(weights, [-1, t, e]);
    graph.shapes.set(mixed, [-1, t, d]);
    const chain: NodeProtoData[] = [
      {
        name: `${stacked}_Reshape`,
        opType: 'Reshape',
        input: [gates, addInt64Initializer(graph, `${stacked}_shape`, [-1, t, e])],
        output: [stacked],
        attribute: [],
      },
      {
        name: `${weights}_Softmax`,
        opType: 'Softmax',
        input: [stacked],
        output: [weights],
        attribute: [{ name: 'axis', type: ONNX_ATTRIBUTE_TYPE.int, i: 2 }],
      },
      { name: `${mixed}_MatMul`, opType: 'MatMul', input: [weights, experts], output: [mixed], attribute: [] },
      ...sorted.map((m, k) => ({
        name: `${m.sum.name}_Gather`,
        opType: 'Gather',
        input: [mixed, addInt64Initializer(graph, `${m.sum.name}_task`, [k])],
        output: [m.sum.output[0] as string],
        attribute: [{ name: 'axis', type: ONNX_ATTRIBUTE_TYPE.int, i: 1 }],
      })),
    ];
    // A scalar index, so each Gather gives [N, D] as the ReduceSum did.
    for (const node of chain.slice(3)) {
      const index = graph.initializers.get(node.input[1] as string) as TensorProtoData;
      index.dims = [];
    }
    const drop = new Set(sorted.flatMap((m) => [m.softmax, m.reshape, m.mul, m.sum]));
    const at = Math.min(...sorted.map((m) => graph.nodes.indexOf(m.sum)));
    graph.nodes = [...graph.nodes.slice(0, at), ...chain, ...graph.nodes.slice(at)].filter((n) => !drop.has(n));
    folded += t;
  }
  return folded;
}

/**
 * The passes thaw runs on every graph it encodes, in order: {@link fuseMatMulAdd},
 * {@link fuseSiblingGemms}, {@link mergeSplitConcat}, {@link batchGatedSums}. Each keeps the computed values bit for bit
 * up to float32 summation order (a Gemm adds the bias inside the product's accumulation).
 *
 * @internal
 */
export function optimizeGraph(graph: PassGraph): { gemm: number; siblings: number; concats: number; gates: number } {
  const gemm = fuseMatMulAdd(graph);
  const siblings = fuseSiblingGemms(graph);
  const concats = mergeSplitConcat(graph);
  const gates = batchGatedSums(graph);
  return { gemm, siblings, concats, gates };
}
