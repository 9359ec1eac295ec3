import { featureWidth, type ModelSpec, modelDimensions } from '@thaw/spec';

/** Which part of the model a parameter belongs to; the same keys as `countParameters(spec)`. */
export type ParameterComponent = 'embeddings' | 'cross' | 'deep' | 'residual' | 'experts' | 'gates' | 'towers' | 'aldi';

/** How {@link initParameters} fills a parameter. */
export type ParameterInit = 'glorotUniform' | 'zeros' | 'embedding';

/**
 * One trainable parameter of the model a spec describes.
 *
 * Names are dotted and stable (they key checkpoints, ONNX initializers and the PyTorch fixture):
 * `embedding.<feature>`, `cross.<k>.kernel|bias` (low rank: `cross.<k>.v|u|bias`),
 * `deep.<k>.kernel|bias`, `residual.<k>.kernel|bias`, `expert.<e>.<k>.kernel|bias`,
 * `gate.<t>.<k>.kernel|bias`, `tower.<t>.<k>.kernel|bias`, `aldi.<k>.kernel|bias` — `k` is the
 * 0-based layer, `e` the expert, `t` the task index in spec order. Dense kernels are `[in, out]`
 * (`y = x·W + b`), biases `[out]`, embedding tables `[rows, dim]`.
 */
export interface ParameterInfo {
  /** Dotted, stable name, e.g. `'expert.2.0.kernel'`. */
  readonly name: string;
  /** Shape, e.g. `[288, 128]` for a dense kernel. */
  readonly shape: number[];
  /** Initialiser: Glorot-uniform kernels, zero biases, N(0, 0.05²) embedding rows. */
  readonly init: ParameterInit;
  /** Component, matching the keys of `countParameters(spec)`. */
  readonly component: ParameterComponent;
}

/** Appends the kernels and biases of an MLP `input → units[0] → … → units[n−1]` named `<prefix>.<k>.*`. */
function pushMlp(
  out: ParameterInfo[],
  prefix: string,
  component: ParameterComponent,
  input: number,
  units: readonly number[],
): void {
  let width = input;
  units.forEach((units, k) => {
    out.push({ name: `${prefix}.${k}.kernel`, shape: [width, units], init: 'glorotUniform', component });
    out.push({ name: `${prefix}.${k}.bias`, shape: [units], init: 'zeros', component });
    width = units;
  });
}

/**
 * Every trainable parameter of the model a spec describes, in a stable order: embeddings (spec
 * feature order), cross, deep, residual, experts, gates, towers, ALDI student.
 *
 * The sizes summed per component equal `countParameters(spec)` of `@thaw/spec` — the parameter
 * count contract. Layer semantics: see {@link interact} (eq 1–3, 8) and {@link predict}.
 *
 * @example
 * ```ts
 * import { parameterInfos } from '@thaw/model';
 * import { demoSpec } from '@thaw/spec';
 * parameterInfos(demoSpec)[0]; // { name: 'embedding.item_id', shape: [8192, 8], init: 'embedding', component: 'embeddings' }
 * ```
 */
export function parameterInfos(spec: ModelSpec): ParameterInfo[] {
  const dims = modelDimensions(spec);
  const { cross, deep, residual, mmoe, tower } = spec.architecture;
  const out: ParameterInfo[] = [];
  for (const feature of spec.features) {
    if (feature.kind === 'dense') continue;
    const rows = feature.kind === 'categorical' ? feature.vocabSize + 1 : feature.buckets;
    out.push({
      name: `embedding.${feature.name}`,
      shape: [rows, featureWidth(feature)],
      init: 'embedding',
      component: 'embeddings',
    });
  }
  const d = dims.input;
  for (let k = 0; k < cross.count; k++) {
    if (cross.lowRank === undefined) {
      out.push({ name: `cross.${k}.kernel`, shape: [d, d], init: 'glorotUniform', component: 'cross' });
    } else {
      out.push({ name: `cross.${k}.v`, shape: [d, cross.lowRank], init: 'glorotUniform', component: 'cross' });
      out.push({ name: `cross.${k}.u`, shape: [cross.lowRank, d], init: 'glorotUniform', component: 'cross' });
    }
    out.push({ name: `cross.${k}.bias`, shape: [d], init: 'zeros', component: 'cross' });
  }
  pushMlp(out, 'deep', 'deep', d, deep.units);
  if (residual.enabled) pushMlp(out, 'residual', 'residual', dims.residualInput, residual.projectionUnits);
  for (let e = 0; e < mmoe.experts; e++) pushMlp(out, `expert.${e}`, 'experts', dims.prediction, mmoe.expertUnits);
  spec.tasks.forEach((_, t) => {
    pushMlp(out, `gate.${t}`, 'gates', dims.prediction, [...mmoe.gateUnits, mmoe.experts]);
  });
  spec.tasks.forEach((_, t) => {
    pushMlp(out, `tower.${t}`, 'towers', dims.expert, [...tower.units, 1]);
  });
  const aldi = spec.coldStart.aldi;
  if (aldi.enabled) pushMlp(out, 'aldi', 'aldi', dims.nonHistorical, [...aldi.studentUnits, dims.itemHistorical]);
  return out;
}
