import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { predict } from '@thaw/model';
import type { ModelSpec } from '@thaw/spec';
import { tfjsOps } from '../backend/tfjs-ops.js';
import { addBlockWeights, readBlockWeights } from './block-weights.js';
import { type BaseLayerArgs, firstInputShape, inputWidth } from './layer-input.js';
import { layerSpec } from './layer-spec.js';

type Kwargs = Parameters<tfl.layers.Layer['call']>[1];

/** Arguments of {@link MmoeLayer}. */
export interface MmoeLayerArgs extends BaseLayerArgs {
  /** Number of experts `E`. */
  readonly experts: number;
  /** Hidden widths of each expert MLP (every layer activated). */
  readonly expertUnits: readonly number[];
  /** Number of tasks `T` (one gate and one tower each). */
  readonly tasks: number;
  /** Hidden widths of each gate before its `E`-way softmax; default none. */
  readonly gateUnits?: readonly number[];
  /** Hidden widths of each tower before its logit; default none. */
  readonly towerUnits?: readonly number[];
  /** Hidden activation; default `'relu'`. */
  readonly activation?: 'relu' | 'tanh';
  /** Seed of the Glorot-uniform kernel initialisers; default 0, as `buildModel`. */
  readonly seed?: number;
}

/**
 * The MMoE prediction module `F` for Keras-style tfjs models (Ma et al. 2018; paper §4): `E`
 * expert MLPs, one softmax gate per task mixing them, one tower per task → `[N, T]` logits.
 * Computes with `predict` of `@thaw/model` — the same math `buildModel` trains — and names its
 * weights as the model does (`expert.<e>.<k>.kernel`, `gate.<t>.…`, `tower.<t>.…`).
 * Serialisable (`className` `'ThawMmoe'`).
 *
 * @example
 * ```ts
 * const zBar = tfl.input({ shape: [288] });
 * const logits = new MmoeLayer({ experts: 4, expertUnits: [128], tasks: 3, towerUnits: [64] }).apply(zBar);
 * ```
 */
export class MmoeLayer extends tfl.layers.Layer {
  /** @nocollapse */
  static className = 'ThawMmoe';
  readonly options: Required<Omit<MmoeLayerArgs, keyof BaseLayerArgs>>;
  private spec: ModelSpec | undefined;
  private block: Record<string, tfl.LayerVariable> = {};

  constructor(args: MmoeLayerArgs) {
    super(args);
    this.options = {
      experts: args.experts,
      expertUnits: [...args.expertUnits],
      tasks: args.tasks,
      gateUnits: [...(args.gateUnits ?? [])],
      towerUnits: [...(args.towerUnits ?? [])],
      activation: args.activation ?? 'relu',
      seed: args.seed ?? 0,
    };
    // Validate the configuration now (a spec with a placeholder input width).
    layerSpec({ inputWidth: 1, activation: this.options.activation, mmoe: this.options }, 'MmoeLayer');
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const d = inputWidth(inputShape, 'MmoeLayer');
    this.spec = layerSpec({ inputWidth: d, activation: this.options.activation, mmoe: this.options }, 'MmoeLayer');
    this.block = addBlockWeights(this.spec, ['experts', 'gates', 'towers'], this.options.seed, (name, s, init) =>
      this.addWeight(name, s, 'float32', init),
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return [firstInputShape(inputShape)[0] ?? null, this.options.tasks];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const zBar = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
      return predict(tfjsOps, this.spec as ModelSpec, readBlockWeights(this.block), zBar);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const options = this.options;
    return {
      ...super.getConfig(),
      ...options,
      expertUnits: [...options.expertUnits],
      gateUnits: [...options.gateUnits],
      towerUnits: [...options.towerUnits],
    };
  }
}
tf.serialization.registerClass(MmoeLayer);
