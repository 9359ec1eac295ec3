import { assertParameters, type Calibration, forward, parameterInfos } from '@thaw/model';
import { type FeatureSpec, type ModelSpec, specHash } from '@thaw/spec';
import type { Tensor } from '@thaw/tensor';
import { OnnxGraphBuilder, type OnnxValue } from './graph-builder.js';
import { onnxOps } from './onnx-ops.js';
import { COLD_MASK_INPUT, onnxSignature, SCORE_OUTPUT, taskOutputName } from './signature.js';

/** Options of {@link exportOnnx}. */
export interface ExportOnnxOptions {
  /** Platt parameters per task, folded into the graph: `p_t = sigmoid(a_t · logit_t + b_t)`. */
  readonly calibration?: Calibration;
  /** Written to the metadata as `thaw.modelVersion` (e.g. a run id or a date). */
  readonly modelVersion?: string;
  /** Further `metadata_props` entries. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Run thaw's graph passes (Gemm fusion, sibling Gemms, Split/Concat; see `OnnxModelOptions.optimize`). Default true. */
  readonly optimize?: boolean;
  /**
   * Extra outputs after the serving signature's, for evaluation through the exported graph:
   * `logits` `[N, T]` (before calibration) and `z_bar` `[N, prediction]` (eq 8's `z̄`). Default none:
   * the served model has exactly `onnxSignature(spec)`'s outputs.
   */
  readonly diagnostics?: { readonly logits?: boolean; readonly zBar?: boolean };
}

/** Names of the {@link ExportOnnxOptions.diagnostics} outputs. */
export const DIAGNOSTIC_OUTPUTS = { logits: 'logits', zBar: 'z_bar' } as const;

/** Metadata keys `exportOnnx` writes into the model (`metadata_props`). */
export const ONNX_METADATA_KEYS = {
  specHash: 'thaw.specHash',
  specName: 'thaw.specName',
  tasks: 'thaw.tasks',
  utility: 'thaw.utility',
  calibration: 'thaw.calibration',
  modelVersion: 'thaw.modelVersion',
} as const;

function weightsOf(spec: ModelSpec, weights: Readonly<Record<string, Tensor>>, graph: OnnxGraphBuilder) {
  assertParameters(spec, weights, 'exportOnnx: weights');
  const params: Record<string, OnnxValue> = {};
  for (const info of parameterInfos(spec)) {
    const { data } = weights[info.name] as Tensor<'float32' | 'float64'>;
    const float32 = data instanceof Float32Array ? data : Float32Array.from(data);
    params[info.name] = graph.initializer({ dtype: 'float32', shape: info.shape, data: float32 }, info.name);
  }
  return params;
}

/**
 * The embedding row a raw int64 input selects, made safe for `Gather` with one node each:
 * - categorical: `Clip` to `[-1, vocabSize]`. Gather reads a negative index from the end, so −1
 *   (any negative value) is the last row, the OOV row `vocabSize`, as is every value ≥ `vocabSize`;
 * - id: `Mod buckets` (`fmod = 0`, so never negative). Ids are hashed buckets already, so valid
 *   ids are unchanged.
 */
function safeRows(graph: OnnxGraphBuilder, feature: FeatureSpec, ids: OnnxValue): OnnxValue {
  const int64 = (v: number) => graph.initializer({ dtype: 'int64', shape: [], data: BigInt64Array.of(BigInt(v)) });
  const out = { shape: ids.shape, dtype: 'int64' } as const;
  if (feature.kind === 'id') return graph.node('Mod', [ids, int64(feature.buckets)], out, { fmod: { int: 0 } });
  if (feature.kind !== 'categorical') throw new TypeError(`safeRows: feature '${feature.name}' is dense`);
  return graph.node('Clip', [ids, int64(-1), int64(feature.vocabSize)], out);
}

/**
 * Exports a trained thaw model to ONNX (opset 17, IR version 8) from its spec and weights, with no
 * Python: the graph is what `@thaw/model`'s math records when run on the ONNX backend
 * ({@link onnxOps}), so the served model is the trained model by construction.
 *
 * The graph (see {@link onnxSignature}): one input per feature (dense float32 `[N, dim]`;
 * categorical/id int64 `[N]`, out-of-range rows mapped to the OOV row / reduced modulo the bucket
 * count so onnxruntime never fails on them), embeddings as `Gather`, DCNv2 cross layers, the MLP,
 * the Residual projection and concat (eq 3), the MMoE (experts, softmax gates, towers), then per
 * task `p_<task> = sigmoid(a_t · logit_t + b_t)` (Platt calibration when given, else `a = 1,
 * b = 0`) and `score = Σ_t u_t · p_<task>` (eq 12, `u` from `spec.utility`). The batch axis is
 * symbolic. Metadata: `thaw.specHash` (`specHash(spec)`), `thaw.specName`, `thaw.tasks` (JSON
 * list), `thaw.utility`, `thaw.calibration` (JSON, `{}` when none), `thaw.modelVersion` when given.
 *
 * When the spec enables the ALDI baseline, an extra input `is_cold` (float32 `[N]`, 1 = cold)
 * makes cold rows use the content-only student for the item-side historical inputs.
 *
 * @param weights every parameter of `parameterInfos(spec)` by name (float32 or float64 host
 *   tensors), e.g. `initParameters(spec, seed)` or the trainer's saved weights; nothing else
 *   (an extra entry, e.g. ALDI weights for a spec without the student, means weights and spec do
 *   not belong together). Checked by `assertParameters` of `@thaw/model`.
 * @returns the ONNX model as protobuf bytes (write it to `model.onnx`).
 * @throws TypeError naming the parameter, calibration entry or feature that does not fit.
 * @example
 * ```ts
 * import { initParameters } from '@thaw/model';
 * import { exportOnnx } from '@thaw/onnx';
 * import { demoSpec } from '@thaw/spec';
 * const bytes = exportOnnx(demoSpec, initParameters(demoSpec, 1), { calibration: { save: { a: 0.9, b: -0.2 } } });
 * ```
 */
export function exportOnnx(
  spec: ModelSpec,
  weights: Readonly<Record<string, Tensor>>,
  options: ExportOnnxOptions = {},
): Uint8Array {
  const signature = onnxSignature(spec);
  const graph = new OnnxGraphBuilder();
  const ops = onnxOps(graph);
  const params = weightsOf(spec, weights, graph);

  const features: Record<string, OnnxValue> = {};
  for (const feature of spec.features) {
    const input =
      feature.kind === 'dense'
        ? graph.input(feature.name, 'float32', [-1, feature.dim])
        : graph.input(feature.name, 'int64', [-1]);
    features[feature.name] = feature.kind === 'dense' ? input : safeRows(graph, feature, input);
  }
  const coldMask = spec.coldStart.aldi.enabled ? graph.input(COLD_MASK_INPUT, 'float32', [-1]) : undefined;
  const {
    probabilities: probs,
    scores,
    logits,
    zBar,
  } = forward(ops, spec, params, features, {
    ...(coldMask === undefined ? {} : { coldMask }),
    ...(options.calibration === undefined ? {} : { calibration: options.calibration }),
  });

  const outputs: Record<string, OnnxValue> = {};
  spec.tasks.forEach((task, t) => {
    // Column t as [N]: one Gather on axis 1 with a scalar index (Ops.gather works on axis 0).
    const column = graph.initializer({ dtype: 'int64', shape: [], data: BigInt64Array.of(BigInt(t)) });
    outputs[taskOutputName(task.name)] = graph.node(
      'Gather',
      [probs, column],
      { shape: [-1], dtype: 'float32' },
      { axis: { int: 1 } },
    );
  });
  outputs[SCORE_OUTPUT] = scores;
  const expected = signature.outputs.map((o) => o.name).join();
  if (Object.keys(outputs).join() !== expected) throw new Error(`exportOnnx: outputs drifted from onnxSignature (${expected})`);
  if (options.diagnostics?.logits) outputs[DIAGNOSTIC_OUTPUTS.logits] = logits;
  if (options.diagnostics?.zBar) outputs[DIAGNOSTIC_OUTPUTS.zBar] = zBar;

  const metadata: Record<string, string> = {
    [ONNX_METADATA_KEYS.specHash]: specHash(spec),
    [ONNX_METADATA_KEYS.specName]: spec.name,
    [ONNX_METADATA_KEYS.tasks]: JSON.stringify(spec.tasks.map((t) => t.name)),
    [ONNX_METADATA_KEYS.utility]: JSON.stringify(spec.utility),
    [ONNX_METADATA_KEYS.calibration]: JSON.stringify(options.calibration ?? {}),
    ...(options.modelVersion === undefined ? {} : { [ONNX_METADATA_KEYS.modelVersion]: options.modelVersion }),
    ...options.metadata,
  };
  return graph.encode({
    outputs,
    graphName: spec.name,
    docString: `thaw ranking model '${spec.name}' (DCNv2 + MMoE${spec.architecture.residual.enabled ? ' + Residual' : ''})`,
    metadata,
    ...(options.optimize === undefined ? {} : { optimize: options.optimize }),
  });
}
