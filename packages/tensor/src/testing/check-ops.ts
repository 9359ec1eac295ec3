import type { Ops } from '../ops.js';
import { formatShape, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { type OpsConformanceCase, opsConformanceCases } from './ops-cases.js';

/**
 * How a backend is plugged into the op conformance suite.
 *
 * @typeParam T the backend's tensor value (a `tf.Tensor`, an ONNX graph value, a reference tensor).
 */
export interface OpsHarness<T> {
  readonly ops: Ops<T>;
  /** Turns a host tensor into a backend value (a tfjs tensor, a graph input or constant …). */
  input(tensor: Tensor): T;
  /** Materialises backend values as host tensors (may run a graph). */
  read(values: readonly T[]): readonly Tensor[] | Promise<readonly Tensor[]>;
  /** Allowed |actual − expected| ≤ tolerance·(1 + |expected|). Default 1e-5 (float32). */
  readonly tolerance?: number;
}

/** A failed conformance check: which case, and what went wrong. */
export interface ConformanceFailure {
  readonly case: string;
  readonly message: string;
}

function describeCase(c: OpsConformanceCase): string {
  return `${c.op}: ${c.name}`;
}

/**
 * Runs every op conformance case against a backend and returns the failures (empty = conformant).
 *
 * Test-framework agnostic: assert on the result in your own test.
 *
 * @example
 * ```ts
 * import { referenceOps } from '@thaw/tensor';
 * import { checkOpsConformance } from '@thaw/tensor/testing';
 * const failures = await checkOpsConformance({ ops: referenceOps, input: (t) => referenceOps.constant(t.data as Float32Array, t.shape, t.dtype === 'int32' ? 'int32' : 'float32'), read: (xs) => xs });
 * // failures.length === 0
 * ```
 */
export async function checkOpsConformance<T>(
  harness: OpsHarness<T>,
  cases: readonly OpsConformanceCase[] = opsConformanceCases,
): Promise<ConformanceFailure[]> {
  const tolerance = harness.tolerance ?? 1e-5;
  const failures: ConformanceFailure[] = [];
  for (const c of cases) {
    const name = describeCase(c);
    try {
      const inputs = c.inputs.map((t) => harness.input(t));
      const [actual] = await harness.read([c.build(harness.ops, inputs)]);
      if (actual === undefined) {
        failures.push({ case: name, message: 'read() returned no tensor' });
        continue;
      }
      if (!shapesEqual(actual.shape, c.expected.shape)) {
        failures.push({
          case: name,
          message: `shape ${formatShape(actual.shape)}, expected ${formatShape(c.expected.shape)}`,
        });
        continue;
      }
      const bad = c.expected.values.findIndex((want, k) => {
        const got = Number(actual.data[k]);
        return !(Math.abs(got - want) <= tolerance * (1 + Math.abs(want)));
      });
      if (bad >= 0) {
        const got = Number(actual.data[bad]);
        failures.push({ case: name, message: `element ${bad} is ${got}, expected ${c.expected.values[bad]}` });
      }
    } catch (error) {
      failures.push({ case: name, message: `threw ${(error as Error).message}` });
    }
  }
  return failures;
}
