import type * as tfl from '@tensorflow/tfjs-layers';

/**
 * The base arguments of every tfjs-layers `Layer` (`name`, `trainable`, `inputShape`, `dtype` …),
 * taken from the public `tfl.layers.Layer` constructor rather than a `dist/` path of
 * tfjs-layers.
 */
export type BaseLayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;

/** The first input's shape of a layer called on one input or a list of inputs. */
export function firstInputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
}

/**
 * The last dimension of the (first) input shape, which sizes a layer's weights.
 *
 * @throws TypeError naming the layer and the shape it got when that dimension is unknown.
 */
export function inputWidth(inputShape: tfl.Shape | tfl.Shape[], layer: string): number {
  const shape = firstInputShape(inputShape);
  const d = shape[shape.length - 1];
  if (typeof d !== 'number') {
    throw new TypeError(
      `${layer}: the input's last dimension must be known (got shape [${shape.map((e) => e ?? 'null').join(', ')}]); give the input a fixed width, e.g. tfl.input({ shape: [240] })`,
    );
  }
  return d;
}
