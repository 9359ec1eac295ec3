import type { ModelSpec } from '@thaw/spec';
import { formatShape, shapesEqual, type Tensor } from '@thaw/tensor';
import { parameterInfos } from './parameter-infos.js';

/**
 * What is wrong with a set of host tensors as the parameters of the model a spec describes, one
 * message per problem (`[]` when they fit):
 * - a parameter of {@link parameterInfos} is missing: `'cross.0.kernel' is missing`;
 * - a tensor has another shape: `'cross.0.kernel' has shape [3, 3], expected [72, 72]`;
 * - a tensor is not float32/float64: `'cross.0.kernel' has dtype int32, expected float32 or float64`;
 * - a tensor is not a parameter of the spec (e.g. ALDI weights for a spec without the student):
 *   `'aldi.0.kernel' is not a parameter of spec 'demo'`.
 *
 * Problems come in {@link parameterInfos} order, extra names last. Checkpoint loaders and
 * exporters use it before touching the values; {@link assertParameters} throws instead.
 *
 * @example
 * ```ts
 * import { checkParameters, initParameters } from '@thaw/model';
 * import { demoSpec } from '@thaw/spec';
 * checkParameters(demoSpec, initParameters(demoSpec, 1)); // []
 * ```
 */
export function checkParameters(spec: ModelSpec, tensors: Readonly<Record<string, Tensor>>): string[] {
  const problems: string[] = [];
  const expected = parameterInfos(spec);
  for (const info of expected) {
    const tensor = tensors[info.name];
    if (tensor === undefined) problems.push(`'${info.name}' is missing`);
    else if (!shapesEqual(tensor.shape, info.shape)) {
      problems.push(`'${info.name}' has shape ${formatShape(tensor.shape)}, expected ${formatShape(info.shape)}`);
    } else if (tensor.dtype !== 'float32' && tensor.dtype !== 'float64') {
      problems.push(`'${info.name}' has dtype ${tensor.dtype}, expected float32 or float64`);
    }
  }
  const names = new Set(expected.map((info) => info.name));
  for (const name of Object.keys(tensors)) {
    if (!names.has(name)) problems.push(`'${name}' is not a parameter of spec '${spec.name}'`);
  }
  return problems;
}

/**
 * Throws unless `tensors` are exactly the parameters of the model `spec` describes (the checks of
 * {@link checkParameters}).
 *
 * @param argument who is checking what, for the message: `'exportOnnx: weights'`.
 * @throws TypeError `<argument> do not fit spec '<name>': <every problem>; pass one tensor per
 *   name of parameterInfos(spec) with its shape (e.g. initParameters(spec, seed) or a checkpoint
 *   of the same spec)`.
 * @example
 * ```ts
 * import { assertParameters, initParameters } from '@thaw/model';
 * import { demoSpec } from '@thaw/spec';
 * assertParameters(demoSpec, initParameters(demoSpec, 1), 'myLoader: weights'); // passes
 * ```
 */
export function assertParameters(spec: ModelSpec, tensors: Readonly<Record<string, Tensor>>, argument: string): void {
  const problems = checkParameters(spec, tensors);
  if (problems.length === 0) return;
  throw new TypeError(
    `${argument} do not fit spec '${spec.name}': ${problems.join('; ')}; pass one tensor per name of ` +
      'parameterInfos(spec) with its shape (e.g. initParameters(spec, seed) or a checkpoint of the same spec)',
  );
}
