import type { ModelSpec } from '@thaw/spec';
import type { Ops } from '@thaw/tensor';
import { type Params, param } from './params.js';

/** A hidden-layer activation of the spec (`architecture.activation`). */
export type Activation = ModelSpec['architecture']['activation'];

/** Applies `activation` (`'relu'` or `'tanh'`) element-wise. */
export function activate<T>(ops: Ops<T>, x: T, activation: Activation): T {
  return activation === 'tanh' ? ops.tanh(x) : ops.relu(x);
}

/**
 * A dense layer `y = x·W + b`: `x` `[N, in]`, `kernel` `[in, out]`, `bias` `[out]` → `[N, out]`.
 *
 * @example `denseLayer(ops, x, params['deep.0.kernel'], params['deep.0.bias'])`
 */
export function denseLayer<T>(ops: Ops<T>, x: T, kernel: T, bias: T): T {
  return ops.add(ops.matMul(x, kernel), bias);
}

/** Options of {@link mlp}. */
export interface MlpOptions {
  /** Activation of the hidden layers (and of the last one unless `linearLast`). */
  readonly activation: Activation;
  /** Leave the last layer linear (a projection or logit head). Default false. */
  readonly linearLast?: boolean;
}

/**
 * An MLP of `layers` dense layers named `<prefix>.<k>.kernel|bias` (k = 0 … layers − 1), each
 * followed by the activation, except the last when `linearLast`. With `layers = 0` it returns
 * `x` unchanged.
 *
 * @example
 * ```ts
 * // the residual projection P(x_nh) of eq 3: hidden layers activated, the last linear
 * const p = mlp(ops, params, 'residual', 1, xNh, { activation: 'relu', linearLast: true });
 * ```
 */
export function mlp<T>(ops: Ops<T>, params: Params<T>, prefix: string, layers: number, x: T, options: MlpOptions): T {
  let y = x;
  for (let k = 0; k < layers; k++) {
    y = denseLayer(ops, y, param(params, `${prefix}.${k}.kernel`), param(params, `${prefix}.${k}.bias`));
    if (!(options.linearLast && k === layers - 1)) y = activate(ops, y, options.activation);
  }
  return y;
}
