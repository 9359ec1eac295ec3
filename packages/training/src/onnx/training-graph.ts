import { distills, LOSS_TERMS, type ObjectiveConfig, type ObjectiveDraws, parameterInfos, trainingObjective } from '@thaw/model';
import { OnnxGraphBuilder, type OnnxValue, onnxOps } from '@thaw/onnx';
import type { ModelSpec } from '@thaw/spec';
import { createGradientTape, formatShape, type Ops } from '@thaw/tensor';

/** Graph input and output names of a {@link TrainingGraph}. */
export const TRAINING_GRAPH_NAMES = {
  /** `param:<name>`: a parameter other than an embedding table, at its shape. */
  param: (name: string) => `param:${name}`,
  /** `rows:<name>`: the rows of table `<name>` the batch looks up, `[N, width]` (row i for sample i). */
  rows: (name: string) => `rows:${name}`,
  /** `feature:<name>`: a dense feature `[N, dim]`. */
  feature: (name: string) => `feature:${name}`,
  /** `0 … N−1`, the lookup index of every categorical feature into its `rows:` input. */
  rowIndex: 'row_index',
  labels: 'labels',
  isCold: 'is_cold',
  dropMask: 'draw:dropout_mask',
  mixupPartner: 'draw:mixup_partner',
  mixupLambda: 'draw:mixup_lambda',
  mixupOther: 'draw:mixup_one_minus_lambda',
  aldiPartner: 'draw:aldi_partner',
  /** `[5]` loss terms in `LOSS_TERMS` order. */
  terms: 'terms',
  /** `grad:<name>`: ∂total/∂parameter (`[N, width]` rows for a table). */
  grad: (name: string) => `grad:${name}`,
} as const;

/** The training step of a spec and objective as one ONNX graph: see {@link buildTrainingGraph}. */
export interface TrainingGraph {
  /** The ONNX model (opset 17). */
  readonly model: Uint8Array;
  /** Parameters fed whole (`param:<name>`), in `parameterInfos` order. */
  readonly params: readonly string[];
  /** Embedding tables fed as looked-up rows (`rows:<name>`) with the feature that indexes them. */
  readonly tables: readonly { readonly name: string; readonly feature: string; readonly width: number }[];
  /** Parameters with a `grad:<name>` output. */
  readonly trainable: readonly string[];
  /** Dense features fed as `feature:<name>`. */
  readonly denseFeatures: readonly { readonly name: string; readonly dim: number }[];
  /** Whether the graph reads `is_cold`. */
  readonly readsIsCold: boolean;
  /** The per-step draws the graph reads: which inputs exist. */
  readonly draws: {
    readonly dropMask: boolean;
    /** Mixup: none, one λ for the batch (scalar inputs) or one per row (`[N, 1]` inputs). */
    readonly mixup: 'none' | 'batch' | 'row';
    /** The ALDI baseline's partner rows (`draw:aldi_partner`). */
    readonly aldiPartner: boolean;
  };
}

const unsupportedMarker = Symbol.for('@thaw/training.UnsupportedTrainingGraphError');

/**
 * Thrown by {@link buildTrainingGraph} for an objective the onnxruntime engine cannot run (the tfjs
 * step can). Use {@link UnsupportedTrainingGraphError.isInstance} rather than `instanceof`.
 */
export class UnsupportedTrainingGraphError extends Error {
  readonly [unsupportedMarker] = true;

  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedTrainingGraphError';
  }

  /** True for any `UnsupportedTrainingGraphError`, whichever copy of the package threw it. */
  static isInstance(error: unknown): error is UnsupportedTrainingGraphError {
    return typeof error === 'object' && error !== null && unsupportedMarker in error;
  }
}

/** A batch size no layer width equals, so a constant of that extent can only come from the batch. */
const PROBE_ROWS = 4099;
/** A λ no real constant of the objective equals (and 1 − λ). */
const PROBE_LAMBDA = 0.1234567890123457;

/**
 * The ops the objective is recorded with: the tape's ops, except that the per-step draws (passed as
 * placeholder arrays, recognised by identity, and a placeholder λ) become graph inputs, and any
 * other constant with a batch-sized extent is refused.
 */
function captureOps(graph: OnnxGraphBuilder, ops: Ops<OnnxValue>, draws: ObjectiveDraws, captured: Set<string>): Ops<OnnxValue> {
  const names = TRAINING_GRAPH_NAMES;
  const inputs = new Map<string, OnnxValue>();
  const input = (name: string, dtype: 'float32' | 'int32', shape: readonly number[]) => {
    captured.add(name);
    let v = inputs.get(name);
    if (v === undefined) {
      v = graph.input(name, dtype, shape);
      inputs.set(name, v);
    }
    return v;
  };
  const plan = draws.mixupPlan;
  const perRowLambda = plan !== undefined && typeof plan.lambda !== 'number' ? plan.lambda : undefined;
  const perRowOther = perRowLambda === undefined ? undefined : Float64Array.from(perRowLambda, (l) => 1 - l);
  const sameValues = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  };
  const batchShape = (shape: readonly number[]) => shape.map((e, i) => (i === 0 ? -1 : e));
  return {
    ...ops,
    constant(values, shape, dtype) {
      if (draws.dropMask !== undefined && values === draws.dropMask) return input(names.dropMask, 'float32', [-1]);
      if (plan !== undefined && values === plan.partner) return input(names.mixupPartner, 'int32', [-1]);
      if (draws.aldiPartner !== undefined && values === draws.aldiPartner) return input(names.aldiPartner, 'int32', [-1]);
      if (perRowLambda !== undefined && values === perRowLambda) return input(names.mixupLambda, 'float32', batchShape(shape));
      if (perRowOther !== undefined && values.length === PROBE_ROWS && sameValues(values, perRowOther)) {
        return input(names.mixupOther, 'float32', batchShape(shape));
      }
      if (shape.includes(PROBE_ROWS)) {
        throw new UnsupportedTrainingGraphError(
          `the objective makes a constant of shape ${formatShape(shape)} from the batch that the training graph cannot feed per step; train this configuration with the tfjs engine`,
        );
      }
      return ops.constant(values, shape, dtype);
    },
    scalar(value) {
      if (plan !== undefined && typeof plan.lambda === 'number') {
        if (value === plan.lambda) return input(names.mixupLambda, 'float32', []);
        if (value === 1 - plan.lambda) return input(names.mixupOther, 'float32', []);
      }
      return ops.scalar(value);
    },
  };
}

/**
 * Records thaw's training objective (`trainingObjective` of `@thaw/model`: eq 8, 11, Dropout) and
 * its gradients (`createGradientTape`, the backward pass as graph nodes) as one ONNX graph, so a
 * whole training step's forward and backward run in onnxruntime. Per step it reads the
 * parameters, the rows each embedding table looks up (`rows:<table>`, gathered on the host — the
 * tables themselves never enter the graph), the batch and the step's random draws (dropout mask,
 * mixup partners and λ, ALDI partners); it returns the five loss terms and a gradient per trainable
 * parameter (per looked-up row for tables; only the `aldi.*` student in ALDI's `'student'` stage,
 * everything but the student in its `'teacher'` stage).
 * The optimizer runs on the host. With `options.isCold` (default: when ScoreReg or ALDI need it) the
 * graph reads the batch's cold mask — as the tfjs step does whenever a batch has one, the ScoreReg
 * term is then reported even with λ2 = 0.
 *
 * @throws UnsupportedTrainingGraphError when the objective makes a batch-sized constant the graph
 *   cannot take as an input (a safeguard: thaw's objective makes none); train those with the tfjs step.
 * @example
 * ```ts
 * const graph = buildTrainingGraph(refMSpec, objectiveConfigFromSpec(refMSpec));
 * const session = await ort.InferenceSession.create(graph.model);
 * ```
 */
export function buildTrainingGraph(
  spec: ModelSpec,
  config: ObjectiveConfig,
  options: { readonly isCold?: boolean } = {},
): TrainingGraph {
  const names = TRAINING_GRAPH_NAMES;
  const graph = new OnnxGraphBuilder();
  const tape = createGradientTape(onnxOps(graph));
  const infos = parameterInfos(spec);
  const featureOfTable = new Map(spec.features.filter((f) => f.kind !== 'dense').map((f) => [`embedding.${f.name}`, f.name]));
  const params: Record<string, OnnxValue> = {};
  const fed: string[] = [];
  const tables: { name: string; feature: string; width: number }[] = [];
  for (const info of infos) {
    const feature = featureOfTable.get(info.name);
    if (feature !== undefined && info.shape.length === 2) {
      const width = info.shape[1] as number;
      params[info.name] = graph.input(names.rows(info.name), 'float32', [-1, width]);
      tables.push({ name: info.name, feature, width });
    } else {
      params[info.name] = graph.input(names.param(info.name), 'float32', info.shape);
      fed.push(info.name);
    }
  }
  const rowIndex = graph.input(names.rowIndex, 'int32', [-1]);
  const features: Record<string, OnnxValue> = {};
  const denseFeatures: { name: string; dim: number }[] = [];
  for (const f of spec.features) {
    if (f.kind === 'dense') {
      features[f.name] = graph.input(names.feature(f.name), 'float32', [-1, f.dim]);
      denseFeatures.push({ name: f.name, dim: f.dim });
    } else features[f.name] = rowIndex;
  }
  const labels = graph.input(names.labels, 'float32', [-1, spec.tasks.length]);
  const needsIsCold = config.lambda2 > 0 || distills(config);
  const readsIsCold = options.isCold ?? needsIsCold;
  if (needsIsCold && !readsIsCold) {
    throw new TypeError('buildTrainingGraph: ScoreReg and ALDI need isCold; build the graph with options.isCold true');
  }
  const studentOnly = config.aldiStage === 'student';
  const isCold = readsIsCold ? graph.input(names.isCold, 'float32', [-1]) : undefined;

  const mixup: TrainingGraph['draws']['mixup'] =
    config.lambda1 > 0 && !studentOnly ? (config.perSample ? 'row' : 'batch') : 'none';
  const draws: ObjectiveDraws = {
    ...(config.dropoutRate > 0 ? { dropMask: new Float32Array(PROBE_ROWS) } : {}),
    ...(mixup === 'none'
      ? {}
      : {
          mixupPlan: {
            partner: new Int32Array(PROBE_ROWS),
            lambda: mixup === 'row' ? new Float32Array(PROBE_ROWS).fill(PROBE_LAMBDA) : PROBE_LAMBDA,
          },
        }),
    ...(distills(config) ? { aldiPartner: new Int32Array(PROBE_ROWS) } : {}),
  };
  const captured = new Set<string>();
  const ops = captureOps(graph, tape.ops, draws, captured);
  const objective = trainingObjective(ops, spec, params, { features, labels, ...(isCold ? { isCold } : {}) }, config, draws, {
    stopGradient: tape.stopGradient,
  });
  const expected = [
    ...(draws.dropMask !== undefined ? [names.dropMask] : []),
    ...(mixup !== 'none' ? [names.mixupPartner, names.mixupLambda, names.mixupOther] : []),
    ...(draws.aldiPartner !== undefined ? [names.aldiPartner] : []),
  ];
  const missing = expected.filter((name) => !captured.has(name));
  if (missing.length > 0) {
    throw new UnsupportedTrainingGraphError(
      `the objective did not read the step's draws as the training graph expects (${missing.join(', ')} not found); train with the tfjs engine and report this`,
    );
  }
  // ALDI's 'student' stage trains the student alone, its 'teacher' stage everything but the student.
  const trainable = infos
    .map((i) => i.name)
    .filter((name) => (studentOnly ? name.startsWith('aldi.') : config.aldiStage !== 'teacher' || !name.startsWith('aldi.')));
  const gradients = tape.gradients(
    objective.total,
    trainable.map((n) => params[n] as OnnxValue),
  );
  const base = tape.ops;
  const outputs: Record<string, OnnxValue> = {
    [names.terms]: base.concat(
      LOSS_TERMS.map((term) => base.reshape(objective[term], [1])),
      0,
    ),
  };
  trainable.forEach((name, i) => {
    outputs[names.grad(name)] = gradients[i] as OnnxValue;
  });
  return {
    model: graph.encode({ outputs }),
    params: fed,
    tables,
    trainable,
    denseFeatures,
    readsIsCold,
    draws: { dropMask: draws.dropMask !== undefined, mixup, aldiPartner: draws.aldiPartner !== undefined },
  };
}
