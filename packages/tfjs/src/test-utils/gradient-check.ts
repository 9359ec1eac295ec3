import * as tf from '@tensorflow/tfjs-core';
import { createRng, type Ops, type ReferenceTensor, referenceOps } from '@thaw/tensor';
import { expect } from 'vitest';
import { tfjsOps } from '../backend/tfjs-ops.js';

/** One input of a function under gradient check. */
export interface CheckInput {
  readonly shape: readonly number[];
  /** Values; float inputs are rounded to float32 so both backends see the same point. */
  readonly data: ArrayLike<number>;
  readonly dtype?: 'float32' | 'int32';
  /** Differentiate w.r.t. this input (default: true for float inputs). */
  readonly differentiate?: boolean;
}

/** A scalar function written once against `Ops<T>`. */
export type ScalarFunction = <T>(ops: Ops<T>, inputs: Readonly<Record<string, T>>) => T;

/** A scalar function on the reference backend only (what finite differences need). */
export type ReferenceFunction = (ops: Ops<ReferenceTensor>, inputs: Readonly<Record<string, ReferenceTensor>>) => ReferenceTensor;

/** How far tfjs autodiff is from float64 central differences, per input. */
export interface GradientError {
  /** `‖g_tfjs − g_fd‖₂ / ‖g_fd‖₂`. */
  readonly relative: number;
  /** `max|g_tfjs − g_fd| / max|g_fd|`. */
  readonly maxRelative: number;
  /** `‖g_fd‖₂`, to show the gradient is not trivially zero. */
  readonly norm: number;
}

/** Seeded N(0, scale²) values rounded to float32. */
export function randomValues(seed: number, size: number, scale = 1): number[] {
  const rng = createRng(seed);
  return Array.from({ length: size }, () => Math.fround(rng.normal() * scale));
}

function referenceValue(
  f: ReferenceFunction,
  inputs: Readonly<Record<string, CheckInput>>,
  override?: { name: string; data: Float64Array },
) {
  const values: Record<string, ReferenceTensor> = {};
  for (const [name, input] of Object.entries(inputs)) {
    const data = override?.name === name ? override.data : input.data;
    values[name] = referenceOps.constant(data, input.shape, input.dtype ?? 'float32');
  }
  const out = f(referenceOps, values);
  if (out.data.length !== 1) throw new Error(`gradient check: the function must return a scalar (got ${out.data.length} values)`);
  return out.data[0] as number;
}

/** Central finite differences of `f` w.r.t. input `name`, in float64 on the reference backend. */
export function finiteDifferences(
  f: ReferenceFunction,
  inputs: Readonly<Record<string, CheckInput>>,
  name: string,
  h = 1e-6,
): Float64Array {
  const input = inputs[name];
  if (input === undefined) throw new Error(`finiteDifferences: no input '${name}'`);
  const base = Float64Array.from(input.data);
  const out = new Float64Array(base.length);
  for (let i = 0; i < base.length; i++) {
    const x = base[i] as number;
    const step = h * Math.max(1, Math.abs(x));
    base[i] = x + step;
    const up = referenceValue(f, inputs, { name, data: base });
    base[i] = x - step;
    const down = referenceValue(f, inputs, { name, data: base });
    base[i] = x;
    out[i] = (up - down) / (2 * step);
  }
  return out;
}

/**
 * Compares tfjs autodiff of `f` (float32, `tfjsOps`) with central finite differences of the same
 * `f` on `referenceOps` in float64, for every differentiable input.
 */
export async function gradientErrors(
  f: ScalarFunction,
  inputs: Readonly<Record<string, CheckInput>>,
  h = 1e-6,
): Promise<Record<string, GradientError>> {
  const names = Object.keys(inputs).filter((n) => inputs[n]?.differentiate ?? (inputs[n]?.dtype ?? 'float32') === 'float32');
  const constants: Record<string, tf.Tensor> = {};
  for (const [name, input] of Object.entries(inputs)) {
    const dtype = input.dtype ?? 'float32';
    constants[name] = tf.tensor(
      dtype === 'int32' ? Int32Array.from(input.data) : Float32Array.from(input.data),
      [...input.shape],
      dtype,
    );
  }
  const grads = tf.grads((...xs: tf.Tensor[]) => {
    const record = { ...constants };
    names.forEach((n, i) => {
      record[n] = xs[i] as tf.Tensor;
    });
    return f(tfjsOps, record);
  })(names.map((n) => constants[n] as tf.Tensor));
  const autodiff = await Promise.all(grads.map((g) => g.data()));
  tf.dispose([...grads, ...Object.values(constants)]);

  const out: Record<string, GradientError> = {};
  names.forEach((name, k) => {
    const numeric = finiteDifferences(f, inputs, name, h);
    const analytic = autodiff[k] as Float32Array;
    let diff2 = 0;
    let norm2 = 0;
    let maxDiff = 0;
    let maxNorm = 0;
    for (let i = 0; i < numeric.length; i++) {
      const n = numeric[i] as number;
      const a = analytic[i] as number;
      diff2 += (a - n) ** 2;
      norm2 += n ** 2;
      maxDiff = Math.max(maxDiff, Math.abs(a - n));
      maxNorm = Math.max(maxNorm, Math.abs(n));
    }
    out[name] = {
      relative: Math.sqrt(diff2) / Math.max(Math.sqrt(norm2), 1e-30),
      maxRelative: maxDiff / Math.max(maxNorm, 1e-30),
      norm: Math.sqrt(norm2),
    };
  });
  return out;
}

/** With `THAW_REPORT=1`, prints the errors (for the figures quoted in the README); silent otherwise. */
export function reportErrors(name: string, errors: Readonly<Record<string, GradientError>>): void {
  if (!process.env.THAW_REPORT) return;
  const parts = Object.entries(errors).map(
    ([k, e]) => `${k}: rel ${e.relative.toExponential(1)} max ${e.maxRelative.toExponential(1)}`,
  );
  console.log(`[grad] ${name} | ${parts.join('; ')}`);
}

/** `xs[name]`, typed (inputs of a checked function). */
export const at = <T>(xs: Readonly<Record<string, T>>, name: string): T => xs[name] as T;

/**
 * Asserts that tfjs autodiff of `f` matches float64 central differences for every differentiable
 * input: relative error (l2 and max-entry) below 1e-3, and a gradient norm above `minNorm` so a
 * vanishing gradient cannot pass by accident.
 */
export async function expectGradientsMatch(
  name: string,
  f: ScalarFunction,
  inputs: Readonly<Record<string, CheckInput>>,
  minNorm: number,
): Promise<void> {
  const errors = await gradientErrors(f, inputs);
  reportErrors(name, errors);
  expect(Object.keys(errors).length).toBeGreaterThan(0);
  for (const [input, e] of Object.entries(errors)) {
    expect(e.norm, `${input}: gradient should not vanish`).toBeGreaterThan(minNorm);
    expect(e.relative, input).toBeLessThan(1e-3);
    expect(e.maxRelative, input).toBeLessThan(1e-3);
  }
}
