import { formatShape, type Tensor } from '@thaw/tensor';
import type { OptimizerState, ResolvedOptimizerConfig } from '@thaw/tfjs';

/** How Adam treats the rows of an embedding table a batch does not touch. */
export type EmbeddingUpdate = 'dense' | 'lazy';

/** A parameter the host optimizer updates in place. */
export interface HostParameter {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** The gradient of one parameter: dense, or the rows of a table a batch looked up. */
export type HostGradient =
  | { readonly kind: 'dense'; readonly values: Float32Array }
  /** `values` `[rows.length, width]`: row `i` is the gradient of table row `rows[i]` (repeats add up). */
  | { readonly kind: 'rows'; readonly rows: Int32Array; readonly values: Float32Array };

/**
 * Adam or SGD over host `Float32Array`s, the update of `createOptimizer` of `@thaw/tfjs` in one fused
 * pass per parameter (PyTorch's Adam: `p −= lr/(1−β1^t) · m / (√v/√(1−β2^t) + ε)`, bias corrections
 * in float64 from the step count). Its {@link HostOptimizer.state} has the layout of the tfjs
 * optimizer's, so checkpoints move between the two.
 *
 * Embedding tables get their gradient as rows. With `embeddingUpdate: 'dense'` (the default, as
 * PyTorch and the tfjs optimizer) every row's moments decay and every row moves each step, exactly
 * as a dense zero gradient would; with `'lazy'` only the rows the batch looked up are updated
 * (moments and values; the bias correction uses the global step), like TensorFlow's LazyAdam —
 * far less work on a large table, a different optimizer (rows not seen keep their moments instead
 * of decaying, and do not drift on momentum).
 */
export interface HostOptimizer {
  readonly config: ResolvedOptimizerConfig;
  readonly step: number;
  apply(gradients: ReadonlyMap<string, HostGradient>): void;
  state(): OptimizerState;
  restore(state: OptimizerState): void;
}

/** Options of {@link createHostOptimizer}. */
export interface HostOptimizerOptions {
  /** How tables given `rows` gradients are updated; default `'dense'`. */
  readonly embeddingUpdate?: EmbeddingUpdate;
}

/** One fused Adam pass over `[from, to)` of a parameter `p`, its moments `m`, `v` and gradient `g`. */
function adamRange(
  p: Float32Array,
  m: Float32Array,
  v: Float32Array,
  g: Float32Array,
  from: number,
  to: number,
  k: { b1: number; c1: number; b2: number; c2: number; stepSize: number; invSqrtCorrection2: number; eps: number },
): void {
  const { b1, c1, b2, c2, stepSize, invSqrtCorrection2, eps } = k;
  for (let i = from; i < to; i++) {
    const gi = g[i] as number;
    const mi = b1 * (m[i] as number) + c1 * gi;
    const vi = b2 * (v[i] as number) + c2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = (p[i] as number) - (stepSize * mi) / (Math.sqrt(vi) * invSqrtCorrection2 + eps);
  }
}

/**
 * The optimizer of the ONNX Runtime training engine: see {@link HostOptimizer}.
 *
 * @example
 * ```ts
 * const opt = createHostOptimizer(params, { kind: 'adam', learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
 * opt.apply(new Map([['w', { kind: 'dense', values: gradW }]]));
 * ```
 */
export function createHostOptimizer(
  params: readonly HostParameter[],
  config: ResolvedOptimizerConfig,
  options: HostOptimizerOptions = {},
): HostOptimizer {
  const lazy = options.embeddingUpdate === 'lazy';
  const byName = new Map(params.map((p) => [p.name, p]));
  const m = new Map<string, Float32Array>();
  const v = new Map<string, Float32Array>();
  /** Scratch dense gradient of a table (zero outside the rows of the current step). */
  const tableGradient = new Map<string, Float32Array>();
  let step = 0;
  const slot = (store: Map<string, Float32Array>, p: HostParameter) => {
    let s = store.get(p.name);
    if (s === undefined) {
      s = new Float32Array(p.values.length);
      store.set(p.name, s);
    }
    return s;
  };

  return {
    config,
    get step() {
      return step;
    },
    apply(gradients) {
      step += 1;
      const { kind, learningRate: lr, beta1, beta2, epsilon } = config;
      const constants = {
        b1: beta1,
        c1: 1 - beta1,
        b2: beta2,
        c2: 1 - beta2,
        stepSize: lr / (1 - beta1 ** step),
        invSqrtCorrection2: 1 / Math.sqrt(1 - beta2 ** step),
        eps: epsilon,
      };
      for (const [name, gradient] of gradients) {
        const p = byName.get(name);
        if (p === undefined) throw new TypeError(`HostOptimizer.apply: a gradient for '${name}', which is not a parameter`);
        const width = p.values.length / Math.max(p.shape[0] ?? 1, 1);
        if (kind === 'sgd') {
          if (gradient.kind === 'dense') {
            for (let i = 0; i < p.values.length; i++) p.values[i] = (p.values[i] as number) - lr * (gradient.values[i] as number);
          } else {
            gradient.rows.forEach((r, i) => {
              for (let c = 0; c < width; c++) {
                const at = r * width + c;
                p.values[at] = (p.values[at] as number) - lr * (gradient.values[i * width + c] as number);
              }
            });
          }
          continue;
        }
        const ms = slot(m, p);
        const vs = slot(v, p);
        if (gradient.kind === 'dense') {
          if (gradient.values.length !== p.values.length) {
            throw new RangeError(
              `HostOptimizer.apply: the gradient of '${name}' has ${gradient.values.length} values, the parameter ${formatShape(p.shape)}`,
            );
          }
          adamRange(p.values, ms, vs, gradient.values, 0, p.values.length, constants);
          continue;
        }
        // Rows of a table: add the repeats up into a scratch dense gradient (rows only).
        let dense = tableGradient.get(name);
        if (dense === undefined) {
          dense = new Float32Array(p.values.length);
          tableGradient.set(name, dense);
        }
        const { rows, values } = gradient;
        for (let i = 0; i < rows.length; i++) {
          const base = (rows[i] as number) * width;
          for (let c = 0; c < width; c++) dense[base + c] = (dense[base + c] as number) + (values[i * width + c] as number);
        }
        if (lazy) {
          // Each distinct row once, in the order first seen.
          const seen = new Set<number>();
          for (const r of rows) {
            if (seen.has(r)) continue;
            seen.add(r);
            adamRange(p.values, ms, vs, dense, r * width, (r + 1) * width, constants);
          }
        } else {
          adamRange(p.values, ms, vs, dense, 0, p.values.length, constants);
        }
        for (const r of rows) dense.fill(0, r * width, (r + 1) * width);
      }
    },
    state() {
      const tensors: Record<string, Tensor> = {};
      const asTensor = (name: string, data: Float32Array): Tensor => ({
        dtype: 'float32',
        shape: (byName.get(name) as HostParameter).shape,
        data: Float32Array.from(data),
      });
      for (const [name, data] of m) tensors[`m/${name}`] = asTensor(name, data);
      for (const [name, data] of v) tensors[`v/${name}`] = asTensor(name, data);
      return { kind: config.kind, step, tensors };
    },
    restore(state) {
      if (state.kind !== config.kind) {
        throw new TypeError(`HostOptimizer.restore: the state is for '${state.kind}' but this optimizer is '${config.kind}'`);
      }
      for (const [key, tensor] of Object.entries(state.tensors)) {
        const slash = key.indexOf('/');
        const which = key.slice(0, slash);
        const name = key.slice(slash + 1);
        const p = byName.get(name);
        if ((which !== 'm' && which !== 'v') || p === undefined) {
          throw new TypeError(
            `HostOptimizer.restore: state tensor '${key}' matches no parameter; restore a state saved for this model`,
          );
        }
        if (tensor.data.length !== p.values.length) {
          throw new TypeError(
            `HostOptimizer.restore: '${key}' has shape ${formatShape(tensor.shape)}, the parameter ${formatShape(p.shape)}`,
          );
        }
        slot(which === 'm' ? m : v, p).set(tensor.data as ArrayLike<number>);
      }
      step = state.step;
    },
  };
}
