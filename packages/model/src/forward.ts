import type { ModelSpec } from '@thaw/spec';
import type { Ops } from '@thaw/tensor';
import { type Embedded, embed } from './embed.js';
import { interact } from './interact.js';
import type { Params } from './params.js';
import { predict } from './predict.js';

/** What {@link forward} returns: the logits and the intermediate representations. */
export interface ForwardResult<T> {
  /** `[N, T]` task logits in spec order; `ŷ = sigmoid(logits)`. */
  readonly logits: T;
  /** `z̄ = [I(x0); P(x_nh)]` `[N, prediction]` — where manifold mixup acts (eq 8). */
  readonly zBar: T;
  /** `x_h`, `x_nh`. */
  readonly embedded: Embedded<T>;
}

/**
 * The whole model: {@link embed} → {@link interact} → {@link predict} (eq 1–3).
 *
 * @example
 * ```ts
 * import { featuresOnBackend, forward, initParameters, paramsOnBackend } from '@thaw/model';
 * import { referenceOps as ops } from '@thaw/tensor';
 * const params = paramsOnBackend(ops, initParameters(spec, 7));
 * const { logits } = forward(ops, spec, params, featuresOnBackend(ops, spec, batch));
 * ```
 */
export function forward<T>(
  ops: Ops<T>,
  spec: ModelSpec,
  params: Params<T>,
  features: Readonly<Record<string, T>>,
): ForwardResult<T> {
  const embedded = embed(ops, spec, params, features);
  const zBar = interact(ops, spec, params, embedded);
  return { logits: predict(ops, spec, params, zBar), zBar, embedded };
}
