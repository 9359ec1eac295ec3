import { featureWidth, modelDimensions } from './dimensions.js';
import type { ModelSpec } from './types.js';

/** Trainable parameters per component of the model a spec describes. */
export interface ParameterCount {
  /** Embedding tables: categorical `(vocabSize + 1) × dim` (last row = OOV), id `buckets × dim`. */
  readonly embeddings: number;
  /** DCNv2 cross layers: full rank `d² + d` each, low rank `2·d·r + d` each. */
  readonly cross: number;
  /** The deep MLP of the interaction module. */
  readonly deep: number;
  /** The Residual projection `P(x_nh)` (eq 3); 0 when disabled. */
  readonly residual: number;
  /** MMoE experts. */
  readonly experts: number;
  /** MMoE gates, one per task. */
  readonly gates: number;
  /** Task towers, one per task, each ending in one logit. */
  readonly towers: number;
  /** The ALDI content-only student tower; 0 unless the ALDI baseline is enabled. */
  readonly aldi: number;
  /** Everything except embeddings (what the PyTorch reference prints as "dense params"). */
  readonly dense: number;
  /** All trainable parameters. */
  readonly total: number;
}

/** Parameters of an MLP `input → units[0] → … → units[n−1]` (weights and biases). */
export function mlpParameters(input: number, units: readonly number[]): number {
  let count = 0;
  let width = input;
  for (const out of units) {
    count += width * out + out;
    width = out;
  }
  return count;
}

/**
 * Exact trainable parameter count of the model a spec describes, by component.
 *
 * @example
 * ```ts
 * import { countParameters, refMSpec } from '@thaw/spec';
 * countParameters(refMSpec).dense; // 608767, as PyTorch counts the ref-m workload
 * ```
 */
export function countParameters(spec: ModelSpec): ParameterCount {
  const dims = modelDimensions(spec);
  const { cross, deep, residual, mmoe, tower } = spec.architecture;
  const embeddings = spec.features.reduce((n, f) => {
    if (f.kind === 'categorical') return n + (f.vocabSize + 1) * featureWidth(f);
    if (f.kind === 'id') return n + f.buckets * featureWidth(f);
    return n;
  }, 0);
  const d = dims.input;
  const crossCount = cross.count * (cross.lowRank === undefined ? d * d + d : 2 * d * cross.lowRank + d);
  const deepCount = mlpParameters(d, deep.units);
  const residualCount = residual.enabled ? mlpParameters(dims.residualInput, residual.projectionUnits) : 0;
  const experts = mmoe.experts * mlpParameters(dims.prediction, mmoe.expertUnits);
  const tasks = spec.tasks.length;
  const gates = tasks * mlpParameters(dims.prediction, [...mmoe.gateUnits, mmoe.experts]);
  const towers = tasks * mlpParameters(dims.expert, [...tower.units, 1]);
  const aldiSpec = spec.coldStart.aldi;
  const aldi = aldiSpec.enabled ? mlpParameters(dims.nonHistorical, [...aldiSpec.studentUnits, dims.itemHistorical]) : 0;
  const dense = crossCount + deepCount + residualCount + experts + gates + towers + aldi;
  return {
    embeddings,
    cross: crossCount,
    deep: deepCount,
    residual: residualCount,
    experts,
    gates,
    towers,
    aldi,
    dense,
    total: dense + embeddings,
  };
}
