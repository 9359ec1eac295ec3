import type { ModelSpec } from '@thaw/spec';
import type { Ops } from '@thaw/tensor';
import { type Params, param } from './params.js';

/** Weights of one DCNv2 cross layer: full rank `{kernel [d, d]}` or low rank `{v [d, r], u [r, d]}`, plus `bias [d]`. */
export type CrossWeights<T> = { readonly kernel: T; readonly bias: T } | { readonly v: T; readonly u: T; readonly bias: T };

/**
 * One DCNv2 cross layer (Wang et al. 2021; the paper's interaction module `I`, eq 1):
 * full rank `x_{l+1} = x0 ⊙ (x_l·W + b) + x_l`, low rank `x_{l+1} = x0 ⊙ ((x_l·V)·U + b) + x_l`.
 * All of `x0`, `x` and the output are `[N, d]`.
 *
 * @example `crossLayer(ops, x0, x, { kernel: params['cross.0.kernel'], bias: params['cross.0.bias'] })`
 */
export function crossLayer<T>(ops: Ops<T>, x0: T, x: T, weights: CrossWeights<T>): T {
  const projected = 'kernel' in weights ? ops.matMul(x, weights.kernel) : ops.matMul(ops.matMul(x, weights.v), weights.u);
  return ops.add(ops.mul(x0, ops.add(projected, weights.bias)), x);
}

/** The weights of cross layer `k` from model params (`cross.<k>.kernel|bias` or `cross.<k>.v|u|bias`). */
export function crossWeights<T>(spec: ModelSpec, params: Params<T>, k: number): CrossWeights<T> {
  const bias = param(params, `cross.${k}.bias`);
  if (spec.architecture.cross.lowRank === undefined) return { kernel: param(params, `cross.${k}.kernel`), bias };
  return { v: param(params, `cross.${k}.v`), u: param(params, `cross.${k}.u`), bias };
}

/**
 * The spec's stack of `cross.count` cross layers applied to `x0` `[N, d]` (identity when 0).
 *
 * @example `const xL = crossNetwork(ops, spec, params, x0);`
 */
export function crossNetwork<T>(ops: Ops<T>, spec: ModelSpec, params: Params<T>, x0: T): T {
  let x = x0;
  for (let k = 0; k < spec.architecture.cross.count; k++) x = crossLayer(ops, x0, x, crossWeights(spec, params, k));
  return x;
}
