import type { Ops, Tensor } from '@thaw/tensor';

/** Model parameters on a backend, keyed by the names of {@link parameterInfos}. */
export type Params<T> = Readonly<Record<string, T>>;

/**
 * The parameter `name`, or a `TypeError` naming it and saying how to get it.
 *
 * @example `param(params, 'cross.0.kernel')`
 */
export function param<T>(params: Params<T>, name: string): T {
  const value = params[name];
  if (value === undefined) {
    throw new TypeError(
      `params['${name}'] is missing; build params for every name of parameterInfos(spec) (e.g. from initParameters(spec, seed))`,
    );
  }
  return value;
}

/**
 * Host tensors (e.g. from {@link initParameters} or a checkpoint) as constants of a backend.
 *
 * @example
 * ```ts
 * import { initParameters, paramsOnBackend } from '@thaw/model';
 * import { demoSpec } from '@thaw/spec';
 * import { referenceOps } from '@thaw/tensor';
 * const params = paramsOnBackend(referenceOps, initParameters(demoSpec, 1));
 * ```
 */
export function paramsOnBackend<T>(ops: Ops<T>, tensors: Readonly<Record<string, Tensor>>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [name, tensor] of Object.entries(tensors)) {
    const data = tensor.data;
    if (data instanceof BigInt64Array || tensor.dtype === 'bool') {
      throw new TypeError(
        `paramsOnBackend: tensors['${name}'] must be a float tensor (got dtype '${tensor.dtype}'); convert it to float32`,
      );
    }
    out[name] = ops.constant(data, tensor.shape);
  }
  return out;
}
