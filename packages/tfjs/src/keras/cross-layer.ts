import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { crossLayer } from '@thaw/model';
import { tfjsOps } from '../backend/tfjs-ops.js';
import { type BaseLayerArgs, firstInputShape, inputWidth } from './layer-input.js';

type Kwargs = Parameters<tfl.layers.Layer['call']>[1];
type Shape = tfl.Shape;

/** Arguments of {@link CrossLayer}. */
export interface CrossLayerArgs extends BaseLayerArgs {
  /** Rank `r` of the low-rank form `U(Vᵀx)`; omit for the full-rank `W x`. */
  readonly lowRank?: number;
  /**
   * Seed of the Glorot-uniform kernel initialiser; default 0, as `buildModel`, so a layer's
   * initial weights are reproducible. Give layers of the same shape different seeds when they
   * should start apart.
   */
  readonly seed?: number;
}

/**
 * A DCNv2 cross layer for Keras-style tfjs models (Wang et al. 2021; the paper's interaction
 * module `I`): `x_{l+1} = x0 ⊙ (x_l·W + b) + x_l`, or low rank `x0 ⊙ ((x_l·V)·U + b) + x_l`. Call it
 * on `x0` alone (first layer, `x_l = x0`) or on `[x0, x_l]`. Computes with `crossLayer` of
 * `@thaw/model`, the same math `buildModel` trains. Serialisable (`className` `'ThawCross'`,
 * registered with `tf.serialization`).
 *
 * @example
 * ```ts
 * import * as tfl from '@tensorflow/tfjs-layers';
 * const x0 = tfl.input({ shape: [240] });
 * const x1 = new CrossLayer({}).apply(x0) as tfl.SymbolicTensor;
 * const x2 = new CrossLayer({ lowRank: 32 }).apply([x0, x1]) as tfl.SymbolicTensor;
 * ```
 */
export class CrossLayer extends tfl.layers.Layer {
  /** @nocollapse */
  static className = 'ThawCross';
  readonly lowRank: number | undefined;
  readonly seed: number;
  private weightsByName: Record<string, tfl.LayerVariable> = {};

  constructor(args: CrossLayerArgs = {}) {
    super(args);
    if (args.lowRank !== undefined && !(Number.isInteger(args.lowRank) && args.lowRank >= 1)) {
      throw new RangeError(`CrossLayer: lowRank must be an integer ≥ 1 (got ${args.lowRank})`);
    }
    this.lowRank = args.lowRank;
    this.seed = args.seed ?? 0;
  }

  override build(inputShape: Shape | Shape[]): void {
    const d = inputWidth(inputShape, 'CrossLayer');
    const glorot = tfl.initializers.glorotUniform({ seed: this.seed });
    const add = (name: string, shape: number[], init: ReturnType<typeof tfl.initializers.zeros>) => {
      this.weightsByName[name] = this.addWeight(name, shape, 'float32', init);
    };
    if (this.lowRank === undefined) add('kernel', [d, d], glorot);
    else {
      add('v', [d, this.lowRank], glorot);
      add('u', [this.lowRank, d], glorot);
    }
    add('bias', [d], tfl.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return firstInputShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy((): tf.Tensor => {
      const list = Array.isArray(inputs) ? inputs : [inputs];
      const x0 = list[0] as tf.Tensor;
      const x = (list[1] ?? x0) as tf.Tensor;
      const w = (name: string) => (this.weightsByName[name] as tfl.LayerVariable).read();
      const weights =
        this.lowRank === undefined ? { kernel: w('kernel'), bias: w('bias') } : { v: w('v'), u: w('u'), bias: w('bias') };
      return crossLayer<tf.Tensor>(tfjsOps, x0, x, weights);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      ...(this.lowRank === undefined ? {} : { lowRank: this.lowRank }),
      seed: this.seed,
    };
  }
}
tf.serialization.registerClass(CrossLayer);
