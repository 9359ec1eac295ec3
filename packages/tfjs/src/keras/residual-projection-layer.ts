import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { residualProjection } from '@thaw/model';
import type { ModelSpec } from '@thaw/spec';
import { tfjsOps } from '../backend/tfjs-ops.js';
import { addBlockWeights, readBlockWeights } from './block-weights.js';
import { type BaseLayerArgs, firstInputShape, inputWidth } from './layer-input.js';
import { layerSpec } from './layer-spec.js';

type Kwargs = Parameters<tfl.layers.Layer['call']>[1];

/** Arguments of {@link ResidualProjectionLayer}. */
export interface ResidualProjectionLayerArgs extends BaseLayerArgs {
  /** Widths of the projection MLP; the last is the output width (paper: one layer, e.g. `[32]`). */
  readonly units: readonly number[];
  /** Activation of the hidden layers (the last is linear); default `'relu'`. */
  readonly activation?: 'relu' | 'tanh';
  /** Seed of the Glorot-uniform kernel initialisers; default 0, as `buildModel`. */
  readonly seed?: number;
}

/**
 * The Residual path's projection `P(x_nh)` (eq 3) for Keras-style tfjs models: an MLP of the
 * non-historical inputs whose output you concatenate with the interaction output `z` before the
 * prediction module, `ŷ = F([z; P(x_nh)])`. Computes with `residualProjection` of `@thaw/model`;
 * weights named `residual.<k>.kernel|bias`. Serialisable (`className` `'ThawResidualProjection'`).
 *
 * @example
 * ```ts
 * const xNh = tfl.input({ shape: [128] });
 * const p = new ResidualProjectionLayer({ units: [32] }).apply(xNh) as tfl.SymbolicTensor;
 * const zBar = tfl.layers.concatenate().apply([z, p]);
 * ```
 */
export class ResidualProjectionLayer extends tfl.layers.Layer {
  /** @nocollapse */
  static className = 'ThawResidualProjection';
  readonly units: readonly number[];
  readonly activation: 'relu' | 'tanh';
  readonly seed: number;
  private spec: ModelSpec | undefined;
  private block: Record<string, tfl.LayerVariable> = {};

  constructor(args: ResidualProjectionLayerArgs) {
    super(args);
    this.units = [...args.units];
    this.activation = args.activation ?? 'relu';
    this.seed = args.seed ?? 0;
    layerSpec({ inputWidth: 1, activation: this.activation, residualUnits: this.units }, 'ResidualProjectionLayer');
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const d = inputWidth(inputShape, 'ResidualProjectionLayer');
    this.spec = layerSpec({ inputWidth: d, activation: this.activation, residualUnits: this.units }, 'ResidualProjectionLayer');
    this.block = addBlockWeights(this.spec, ['residual'], this.seed, (name, s, init) => this.addWeight(name, s, 'float32', init));
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return [firstInputShape(inputShape)[0] ?? null, this.units[this.units.length - 1] as number];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
      return residualProjection(tfjsOps, this.spec as ModelSpec, readBlockWeights(this.block), x);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      units: [...this.units],
      activation: this.activation,
      seed: this.seed,
    };
  }
}
tf.serialization.registerClass(ResidualProjectionLayer);
