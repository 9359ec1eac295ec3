import { featureWidth, type ModelSpec, modelDimensions } from '@thaw/spec';
import type { Ops } from '@thaw/tensor';
import { crossNetwork } from './cross.js';
import { mlp } from './dense.js';
import type { Embedded } from './embed.js';
import type { Params } from './params.js';

/** Concatenates along axis 1, skipping blocks whose width (from the spec) is 0. */
export function concatColumnsOf<T>(ops: Ops<T>, blocks: readonly { value: T; width: number }[]): T {
  const present = blocks.filter((b) => b.width > 0);
  const first = present[0] ?? blocks[0];
  if (first === undefined) throw new TypeError('concatColumnsOf: needs at least one block (got none)');
  return present.length > 1
    ? ops.concat(
        present.map((b) => b.value),
        1,
      )
    : first.value;
}

/** `x0 = [x_h; x_nh]` `[N, d]`, the input of the interaction module. */
export function interactionInput<T>(ops: Ops<T>, spec: ModelSpec, embedded: Embedded<T>): T {
  const dims = modelDimensions(spec);
  return concatColumnsOf(ops, [
    { value: embedded.historical, width: dims.historical },
    { value: embedded.nonHistorical, width: dims.nonHistorical },
  ]);
}

/**
 * The residual path's input: `x_nh` itself, or — with `architecture.residual.exclude` — the
 * columns of the other non-historical features (spec order), so an excluded feature (e.g.
 * `item_age`) reaches the head only through the interaction module. `[N, dims.residualInput]`.
 */
export function residualInput<T>(ops: Ops<T>, spec: ModelSpec, nonHistorical: T): T {
  const excluded = spec.architecture.residual.exclude ?? [];
  if (excluded.length === 0) return nonHistorical;
  const blocks: { value: T; width: number }[] = [];
  let offset = 0;
  for (const feature of spec.features) {
    if (feature.group !== 'nonHistorical') continue;
    const width = featureWidth(feature);
    if (!excluded.includes(feature.name)) blocks.push({ value: ops.slice(nonHistorical, [0, offset], [-1, width]), width });
    offset += width;
  }
  return concatColumnsOf(ops, blocks);
}

/**
 * The Residual projection `P(x_nh)` of eq 3: an MLP `d_nh → projectionUnits`, the hidden layers
 * activated and the last linear (`residual.<k>.*`). `[N, modelDimensions(spec).residual]`.
 */
export function residualProjection<T>(ops: Ops<T>, spec: ModelSpec, params: Params<T>, nonHistorical: T): T {
  const { residual, activation } = spec.architecture;
  return mlp(ops, params, 'residual', residual.projectionUnits.length, nonHistorical, { activation, linearLast: true });
}

/**
 * The interaction module `I` and the Residual path: `z̄ = [I(x0); P(x_nh)]` (eq 3, the
 * representation mixup acts on in eq 8), or `z̄ = z = I(x0)` when Residual is disabled.
 *
 * `x0 = [x_h; x_nh]`; `I` is DCNv2 — stacked `z = deep(cross(x0))` or parallel
 * `z = [cross(x0); deep(x0)]` — with the deep MLP activated on every layer.
 * Output `[N, modelDimensions(spec).prediction]`.
 *
 * @example
 * ```ts
 * const zBar = interact(ops, spec, params, embed(ops, spec, params, features));
 * ```
 */
export function interact<T>(ops: Ops<T>, spec: ModelSpec, params: Params<T>, embedded: Embedded<T>): T {
  const dims = modelDimensions(spec);
  const { deep, structure, residual, activation } = spec.architecture;
  const x0 = interactionInput(ops, spec, embedded);
  const deepMlp = (x: T) => mlp(ops, params, 'deep', deep.units.length, x, { activation });
  const z =
    structure === 'parallel'
      ? concatColumnsOf(ops, [
          { value: crossNetwork(ops, spec, params, x0), width: dims.input },
          { value: deepMlp(x0), width: dims.deepOutput },
        ])
      : deepMlp(crossNetwork(ops, spec, params, x0));
  if (!residual.enabled) return z;
  return ops.concat([z, residualProjection(ops, spec, params, residualInput(ops, spec, embedded.nonHistorical))], 1);
}
