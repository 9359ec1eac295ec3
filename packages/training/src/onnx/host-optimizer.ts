import { formatShape, type Tensor } from '@thaw/tensor';
import type { OptimizerState, ResolvedOptimizerConfig } from '@thaw/tfjs';
import { type AdamStepConstants, createAdamArena } from './adam-kernel.js';

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
 * pass per parameter (PyTorch's Adam: `p −= lr/(1−β1^t) · m / (√v/√(1−β2^t) + ε)`, in float32 as
 * PyTorch on CPU, by a WebAssembly SIMD kernel; the bias corrections in float64 from the step
 * count). The parameters live in the optimizer's memory ({@link HostOptimizer.parameters}, copied
 * from the ones given). Its {@link HostOptimizer.state} has the layout of the tfjs optimizer's, so
 * checkpoints move between the two.
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
  /**
   * The parameters (in the order given), in the optimizer's memory: {@link HostOptimizer.apply}
   * updates these arrays in place. They start as copies of the values given to
   * {@link createHostOptimizer}; read or write parameters through them.
   */
  readonly parameters: readonly HostParameter[];
  apply(gradients: ReadonlyMap<string, HostGradient>): void;
  state(): OptimizerState;
  restore(state: OptimizerState): void;
}

/** Options of {@link createHostOptimizer}. */
export interface HostOptimizerOptions {
  /** How tables given `rows` gradients are updated; default `'dense'`. */
  readonly embeddingUpdate?: EmbeddingUpdate;
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
  // Each parameter gets four regions in one arena: values, m, v and a gradient (a dense gradient
  // is copied there; a table's rows are added up there and cleared after the step), each starting
  // on 16 bytes.
  const regions = new Map<string, { at: number; length: number; param: HostParameter }>();
  let used = 0;
  const padded = (n: number) => Math.ceil(n / 4) * 4;
  for (const p of params) {
    regions.set(p.name, { at: used, length: p.values.length, param: p });
    used += 4 * padded(p.values.length);
  }
  const arena = createAdamArena(used);
  const region = (name: string, which: 0 | 1 | 2 | 3) => {
    const r = regions.get(name) as { at: number; length: number };
    const from = r.at + which * padded(r.length);
    return arena.floats.subarray(from, from + r.length);
  };
  const parameters: HostParameter[] = params.map((p) => {
    const values = region(p.name, 0);
    values.set(p.values);
    return { name: p.name, shape: p.shape, values };
  });
  const byName = new Map(parameters.map((p) => [p.name, p]));
  /** Parameters with moments (a gradient or a restored state has reached them), in first-touch order. */
  const moments = new Set<string>();
  let step = 0;

  return {
    config,
    parameters,
    get step() {
      return step;
    },
    apply(gradients) {
      step += 1;
      const { kind, learningRate: lr, beta1, beta2, epsilon } = config;
      const constants: AdamStepConstants = {
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
        const r = regions.get(name);
        if (p === undefined || r === undefined) {
          throw new TypeError(`HostOptimizer.apply: a gradient for '${name}', which is not a parameter`);
        }
        const width = p.values.length / Math.max(p.shape[0] ?? 1, 1);
        if (gradient.kind === 'dense' && gradient.values.length !== p.values.length) {
          throw new RangeError(
            `HostOptimizer.apply: the gradient of '${name}' has ${gradient.values.length} values, the parameter ${formatShape(p.shape)}`,
          );
        }
        if (kind === 'sgd') {
          if (gradient.kind === 'dense') {
            for (let i = 0; i < p.values.length; i++) p.values[i] = (p.values[i] as number) - lr * (gradient.values[i] as number);
          } else {
            gradient.rows.forEach((row, i) => {
              for (let c = 0; c < width; c++) {
                const at = row * width + c;
                p.values[at] = (p.values[at] as number) - lr * (gradient.values[i * width + c] as number);
              }
            });
          }
          continue;
        }
        moments.add(name);
        const stride = padded(r.length);
        const [at, m, v, g] = [r.at, r.at + stride, r.at + 2 * stride, r.at + 3 * stride];
        const scratch = region(name, 3);
        if (gradient.kind === 'dense') {
          scratch.set(gradient.values);
          arena.update(at, m, v, g, r.length, constants);
          continue;
        }
        // Rows of a table: add the repeats up in the gradient region (rows only), update, clear.
        const { rows, values } = gradient;
        for (let i = 0; i < rows.length; i++) {
          const base = (rows[i] as number) * width;
          for (let c = 0; c < width; c++) scratch[base + c] = (scratch[base + c] as number) + (values[i * width + c] as number);
        }
        if (lazy) {
          // Each distinct row once, in the order first seen.
          const seen = new Set<number>();
          for (const row of rows) {
            if (seen.has(row)) continue;
            seen.add(row);
            const o = row * width;
            arena.update(at + o, m + o, v + o, g + o, width, constants);
          }
        } else {
          arena.update(at, m, v, g, r.length, constants);
        }
        for (const row of rows) scratch.fill(0, row * width, (row + 1) * width);
      }
    },
    state() {
      const tensors: Record<string, Tensor> = {};
      const asTensor = (name: string, which: 1 | 2): Tensor => ({
        dtype: 'float32',
        shape: (byName.get(name) as HostParameter).shape,
        data: Float32Array.from(region(name, which)),
      });
      for (const name of moments) tensors[`m/${name}`] = asTensor(name, 1);
      for (const name of moments) tensors[`v/${name}`] = asTensor(name, 2);
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
        moments.add(name);
        region(name, which === 'm' ? 1 : 2).set(tensor.data as ArrayLike<number>);
      }
      step = state.step;
    },
  };
}
