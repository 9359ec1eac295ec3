import { gradientRule, type RecordedOp } from './gradient-rules.js';
import type { OpName, Ops } from './ops.js';

/** What {@link createGradientTape} returns. */
export interface GradientTape<T> {
  /**
   * The backend's ops, recording every differentiable op. Run the function to differentiate with
   * these; values made by the plain backend (or by `constant`) are leaves.
   */
  readonly ops: Ops<T>;
  /**
   * The gradients `∂y/∂x` for each `x` of `xs` (reverse mode), computed with the backend's own
   * ops — on the ONNX graph builder this appends the backward graph. `y` is a scalar, or any shape
   * with `dy` its cotangent. An `x` that `y` does not depend on gets zeros.
   */
  gradients(y: T, xs: readonly T[], dy?: T): T[];
  /**
   * `x` with its gradient stopped: the same values as a new leaf the tape does not trace back to
   * `x` (a reshape to its own shape, made by the plain backend).
   */
  stopGradient(x: T): T;
  /** Ops recorded so far. */
  readonly size: number;
}

/** Ops with no gradient: their outputs are leaves. */
const NOT_RECORDED: ReadonlySet<OpName> = new Set(['constant', 'scalar', 'shape', 'greater', 'zerosLike']);

/**
 * Reverse-mode automatic differentiation over `Ops<T>`, for any backend: record a function run with
 * `tape.ops`, then ask for `tape.gradients(loss, params)`. Each op's vector-Jacobian product is
 * itself written with `Ops<T>` (see `gradient-rules.ts`), so gradients are computed — or, on the
 * ONNX graph builder, emitted as graph nodes — by the same backend. Checked against finite
 * differences of the float64 reference backend, op by op and on the whole model.
 *
 * Broadcasting is undone by summing; `maximum` gives ties to its first operand and `relu` has
 * gradient 0 at 0 (as tfjs). Higher-order gradients are not supported (the backward pass is not
 * recorded).
 *
 * @example
 * ```ts
 * import { createGradientTape, referenceOps } from '@thaw/tensor';
 * const tape = createGradientTape(referenceOps);
 * const o = tape.ops;
 * const w = o.constant([1, 2], [2, 1]);
 * const loss = o.sum(o.square(o.matMul(o.constant([3, 4], [1, 2]), w))); // (3·1 + 4·2)² = 121
 * const [dw] = tape.gradients(loss, [w]); // 2·11·[3, 4] = [66, 88]
 * ```
 */
export function createGradientTape<T>(base: Ops<T>): GradientTape<T> {
  const recorded: RecordedOp<T>[] = [];
  const producer = new Map<T, number>();

  const record = (op: OpName, inputs: readonly T[], output: T, args: readonly unknown[]): T => {
    // An op that hands back one of its inputs (a no-op reshape …) passes the gradient through.
    if (!inputs.includes(output) && !producer.has(output)) {
      producer.set(output, recorded.length);
      recorded.push({ op, inputs, output, args });
    }
    return output;
  };

  const traced = { ...base } as Record<string, unknown>;
  const wrap = (op: OpName, arity: number) => {
    const fn = (base as unknown as Record<string, (...a: unknown[]) => T>)[op] as (...a: unknown[]) => T;
    traced[op] = (...a: unknown[]) => {
      const out = fn.apply(base, a);
      if (op === 'concat') return record(op, a[0] as readonly T[], out, a.slice(1));
      return record(op, a.slice(0, arity) as T[], out, a.slice(arity));
    };
  };
  const arity: Partial<Record<OpName, number>> = {
    matMul: 2,
    add: 2,
    sub: 2,
    mul: 2,
    div: 2,
    maximum: 2,
    neg: 1,
    relu: 1,
    sigmoid: 1,
    tanh: 1,
    exp: 1,
    log: 1,
    abs: 1,
    square: 1,
    sqrt: 1,
    softmax: 1,
    concat: 1,
    gather: 2,
    scatterAdd: 3,
    sum: 1,
    mean: 1,
    reshape: 1,
    transpose: 1,
    slice: 1,
  };
  for (const [op, n] of Object.entries(arity) as [OpName, number][]) {
    if (NOT_RECORDED.has(op)) continue;
    wrap(op, n);
  }

  return {
    ops: traced as unknown as Ops<T>,
    get size() {
      return recorded.length;
    },
    stopGradient: (x) => base.reshape(x, base.shape(x)),
    gradients(y, xs, dy) {
      const wantedLeaves = new Set(xs);
      // Which recorded outputs depend on some x (forward reachability, in recording order).
      const live = new Set<T>();
      for (const r of recorded) if (r.inputs.some((v) => wantedLeaves.has(v) || live.has(v))) live.add(r.output);
      const needs = (v: T) => wantedLeaves.has(v) || live.has(v);
      const cotangent = new Map<T, T>();
      const accumulate = (v: T, g: T) => {
        const previous = cotangent.get(v);
        cotangent.set(v, previous === undefined ? g : base.add(previous, g));
      };
      if (needs(y)) {
        const seed = dy ?? (base.shape(y).length === 0 ? base.scalar(1) : base.add(base.zerosLike(y), base.scalar(1)));
        cotangent.set(y, seed);
        const last = producer.get(y) ?? -1;
        for (let i = last; i >= 0; i--) {
          const r = recorded[i] as RecordedOp<T>;
          const g = cotangent.get(r.output);
          if (g === undefined || !live.has(r.output)) continue;
          const rule = gradientRule(r.op);
          if (rule === undefined) continue;
          const wanted = r.inputs.map(needs);
          const grads = rule(base, g, r, wanted);
          r.inputs.forEach((v, k) => {
            const gk = grads[k];
            if (gk !== undefined && wanted[k]) accumulate(v, gk);
          });
        }
      }
      return xs.map((x) => cotangent.get(x) ?? base.zerosLike(x));
    },
  };
}
