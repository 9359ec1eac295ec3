import * as tf from '@tensorflow/tfjs-core';
import { formatShape, shapesEqual, type Tensor } from '@thaw/tensor';
import { fromTfjs, toTfjs } from '../backend/tensor-adapter.js';

/** Hyper-parameters of {@link createOptimizer}. */
export interface OptimizerConfig {
  /** `'adam'` (default, the paper's) or plain `'sgd'`. */
  readonly kind?: 'adam' | 'sgd';
  /** Step size; default 1e-3. */
  readonly learningRate?: number;
  /** Adam β1, β2, ε; defaults 0.9, 0.999, 1e-8 (PyTorch's). */
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}

/** An {@link OptimizerConfig} with every default filled in. */
export type ResolvedOptimizerConfig = Required<OptimizerConfig>;

/** A snapshot of an optimizer's state, for checkpoints. */
export interface OptimizerState {
  readonly kind: 'adam' | 'sgd';
  /** Updates applied so far. */
  readonly step: number;
  /** Moment estimates by `m/<param>` and `v/<param>` (Adam); empty for SGD. */
  readonly tensors: Record<string, Tensor>;
}

/**
 * A first-order optimizer over named tfjs variables, with a state that a checkpoint can save and
 * restore bit for bit (tfjs's own Adam rebuilds β^t with `pow` on restore, which is not).
 */
export interface Optimizer {
  readonly kind: 'adam' | 'sgd';
  /** The settings in use, defaults filled in (a checkpoint records them). */
  readonly config: ResolvedOptimizerConfig;
  /** Updates applied so far. */
  readonly step: number;
  /** Applies one update. `grads` maps the variables' names (keys of `variables`) to gradients. */
  apply(variables: Readonly<Record<string, tf.Variable>>, grads: Readonly<Record<string, tf.Tensor>>): void;
  state(): Promise<OptimizerState>;
  restore(state: OptimizerState, variables: Readonly<Record<string, tf.Variable>>): void;
  dispose(): void;
}

function check(value: number, name: string, ok: (v: number) => boolean, range: string): number {
  if (!ok(value)) throw new RangeError(`createOptimizer: ${name} must be ${range} (got ${value})`);
  return value;
}

/**
 * Adam (Kingma & Ba 2015, PyTorch's formulation: `p −= lr/(1−β1^t) · m / (√v/√(1−β2^t) + ε)`)
 * or SGD over named tfjs variables. Bias corrections are computed on the host in float64 from the
 * step count, so a restored optimizer continues exactly where the saved one stopped.
 *
 * @throws RangeError for a non-positive learning rate or β outside [0, 1).
 * @example
 * ```ts
 * const optimizer = createOptimizer({ kind: 'adam', learningRate: 1e-3 });
 * const { grads } = tf.variableGrads(loss, Object.values(model.variables));
 * optimizer.apply(model.variables, byParameterName(grads));
 * ```
 */
export function createOptimizer(config: OptimizerConfig = {}): Optimizer {
  const kind = config.kind ?? 'adam';
  if (kind !== 'adam' && kind !== 'sgd')
    throw new RangeError(`createOptimizer: kind must be 'adam' or 'sgd' (got ${JSON.stringify(kind)})`);
  const lr = check(config.learningRate ?? 1e-3, 'learningRate', (v) => v > 0 && Number.isFinite(v), 'a finite number > 0');
  const beta1 = check(config.beta1 ?? 0.9, 'beta1', (v) => v >= 0 && v < 1, 'in [0, 1)');
  const beta2 = check(config.beta2 ?? 0.999, 'beta2', (v) => v >= 0 && v < 1, 'in [0, 1)');
  const epsilon = check(config.epsilon ?? 1e-8, 'epsilon', (v) => v > 0 && Number.isFinite(v), 'a finite number > 0');
  const m = new Map<string, tf.Variable>();
  const v = new Map<string, tf.Variable>();
  let step = 0;

  const moment = (store: Map<string, tf.Variable>, name: string, like: tf.Variable): tf.Variable => {
    let slot = store.get(name);
    if (slot === undefined) {
      slot = tf.variable(tf.zerosLike(like), false);
      store.set(name, slot);
    }
    return slot;
  };

  return {
    kind,
    config: { kind, learningRate: lr, beta1, beta2, epsilon },
    get step() {
      return step;
    },
    apply(variables, grads) {
      step += 1;
      tf.tidy(() => {
        if (kind === 'sgd') {
          const rate = tf.scalar(lr);
          for (const [name, g] of Object.entries(grads)) {
            const p = variables[name];
            if (p === undefined) throw new TypeError(`Optimizer.apply: grads['${name}'] has no variable of that name`);
            p.assign(tf.sub(p, tf.mul(rate, g)));
          }
          return;
        }
        const b1 = tf.scalar(beta1);
        const b2 = tf.scalar(beta2);
        const c1 = tf.scalar(1 - beta1);
        const c2 = tf.scalar(1 - beta2);
        const stepSize = tf.scalar(lr / (1 - beta1 ** step));
        const sqrtCorrection2 = tf.scalar(Math.sqrt(1 - beta2 ** step));
        const eps = tf.scalar(epsilon);
        for (const [name, g] of Object.entries(grads)) {
          const p = variables[name];
          if (p === undefined) throw new TypeError(`Optimizer.apply: grads['${name}'] has no variable of that name`);
          const mSlot = moment(m, name, p);
          const vSlot = moment(v, name, p);
          const mNext = tf.add(tf.mul(b1, mSlot), tf.mul(c1, g));
          const vNext = tf.add(tf.mul(b2, vSlot), tf.mul(c2, tf.square(g)));
          const denominator = tf.add(tf.div(tf.sqrt(vNext), sqrtCorrection2), eps);
          p.assign(tf.sub(p, tf.mul(stepSize, tf.div(mNext, denominator))));
          mSlot.assign(mNext);
          vSlot.assign(vNext);
        }
      });
    },
    async state() {
      const tensors: Record<string, Tensor> = {};
      for (const [name, slot] of m) tensors[`m/${name}`] = await fromTfjs(slot);
      for (const [name, slot] of v) tensors[`v/${name}`] = await fromTfjs(slot);
      return { kind, step, tensors };
    },
    restore(state, variables) {
      if (state.kind !== kind)
        throw new TypeError(`Optimizer.restore: the state is for '${state.kind}' but this optimizer is '${kind}'`);
      for (const [key, tensor] of Object.entries(state.tensors)) {
        const slash = key.indexOf('/');
        const which = key.slice(0, slash);
        const name = key.slice(slash + 1);
        const p = variables[name];
        if ((which !== 'm' && which !== 'v') || p === undefined) {
          throw new TypeError(
            `Optimizer.restore: state tensor '${key}' matches no variable; restore a state saved for this model`,
          );
        }
        if (!shapesEqual(tensor.shape, p.shape)) {
          throw new TypeError(
            `Optimizer.restore: '${key}' has shape ${formatShape(tensor.shape)}, the variable ${formatShape(p.shape)}`,
          );
        }
        const slot = moment(which === 'm' ? m : v, name, p);
        tf.tidy(() => slot.assign(toTfjs(tensor)));
      }
      step = state.step;
    },
    dispose() {
      tf.dispose([...m.values(), ...v.values()]);
      m.clear();
      v.clear();
    },
  };
}
