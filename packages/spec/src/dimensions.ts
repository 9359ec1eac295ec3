import type { FeatureSpec, ModelSpec } from './types.js';

/** Width a feature contributes to the model input: `dim` for dense, `embeddingDim` otherwise. */
export function featureWidth(feature: FeatureSpec): number {
  return feature.kind === 'dense' ? feature.dim : feature.embeddingDim;
}

/** Widths of the model's intermediate vectors (paper §3.1 notation). */
export interface ModelDimensions {
  /** `d_h`: width of the concatenated historical inputs `x_h`. */
  readonly historical: number;
  /** `d_nh`: width of the concatenated non-historical inputs `x_nh`. */
  readonly nonHistorical: number;
  /** Width of `x0 = [x_h; x_nh]`, the input of the interaction module `I`. */
  readonly input: number;
  /** Width of the deep MLP's output (`input` when it has no layers). */
  readonly deepOutput: number;
  /** `d_I`: width of `z = I(x)`. */
  readonly interaction: number;
  /** Width of the residual path's input: `x_nh` without `architecture.residual.exclude` (= `nonHistorical` by default). */
  readonly residualInput: number;
  /** Width of the residual projection `P(x_nh)` (0 when Residual is disabled). */
  readonly residual: number;
  /** Width of `z̄ = [z; P(x_nh)]`, the input of the prediction module `F` (eq 3, 8). */
  readonly prediction: number;
  /** Width of each MMoE expert's output. */
  readonly expert: number;
  /** Width of the item-side historical inputs (what the ALDI student reproduces). */
  readonly itemHistorical: number;
}

const last = (units: readonly number[], fallback: number) => units[units.length - 1] ?? fallback;

/**
 * The widths of `x_h`, `x_nh`, `z`, `z̄` … for a spec, in the paper's notation.
 *
 * `x_h` concatenates the historical features in spec order, then `x_nh` the non-historical ones;
 * `x0 = [x_h; x_nh]`. Stacked: `z = deep(cross(x0))`; parallel: `z = [cross(x0); deep(x0)]`.
 *
 * @example
 * ```ts
 * import { modelDimensions, refMSpec } from '@thaw/spec';
 * modelDimensions(refMSpec).prediction; // 288 = 256 (deep) + 32 (residual)
 * ```
 */
export function modelDimensions(spec: ModelSpec): ModelDimensions {
  const width = (group: FeatureSpec['group']) =>
    spec.features.filter((f) => f.group === group).reduce((n, f) => n + featureWidth(f), 0);
  const historical = width('historical');
  const nonHistorical = width('nonHistorical');
  const excluded = spec.architecture.residual.exclude ?? [];
  const residualInput = spec.features
    .filter((f) => f.group === 'nonHistorical' && !excluded.includes(f.name))
    .reduce((n, f) => n + featureWidth(f), 0);
  const input = historical + nonHistorical;
  const { deep, structure, residual: res, mmoe } = spec.architecture;
  const deepOutput = last(deep.units, input);
  const interaction = structure === 'stacked' ? deepOutput : input + deepOutput;
  const residual = res.enabled ? last(res.projectionUnits, 0) : 0;
  const itemHistorical = spec.features
    .filter((f) => f.group === 'historical' && f.source === 'item')
    .reduce((n, f) => n + featureWidth(f), 0);
  return {
    historical,
    nonHistorical,
    input,
    deepOutput,
    interaction,
    residualInput,
    residual,
    prediction: interaction + residual,
    expert: last(mmoe.expertUnits, interaction + residual),
    itemHistorical,
  };
}
