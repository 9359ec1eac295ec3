import * as tfl from '@tensorflow/tfjs-layers';
import { type ParameterComponent, parameterInfos } from '@thaw/model';
import type { ModelSpec } from '@thaw/spec';

type AddWeight = (name: string, shape: number[], initializer: ReturnType<typeof tfl.initializers.zeros>) => tfl.LayerVariable;

/**
 * Creates a layer's weights for the parameters of `components` of a (layer) spec, named as
 * `parameterInfos` names them (`expert.0.0.kernel` …) so the layer reads them as model params:
 * Glorot-uniform kernels (parameter `i` of the block seeded with `seed + i`), zero biases.
 */
export function addBlockWeights(
  spec: ModelSpec,
  components: readonly ParameterComponent[],
  seed: number,
  addWeight: AddWeight,
): Record<string, tfl.LayerVariable> {
  const out: Record<string, tfl.LayerVariable> = {};
  parameterInfos(spec)
    .filter((info) => components.includes(info.component))
    .forEach((info, i) => {
      const init = info.init === 'zeros' ? tfl.initializers.zeros() : tfl.initializers.glorotUniform({ seed: seed + i });
      out[info.name] = addWeight(info.name, [...info.shape], init);
    });
  return out;
}

/** The current values of a layer's block weights, as model params. */
export function readBlockWeights(weights: Readonly<Record<string, tfl.LayerVariable>>) {
  return Object.fromEntries(Object.entries(weights).map(([name, v]) => [name, v.read()]));
}
