import { referenceOps as ops } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { calibratedProbabilities, plattVectors } from './calibration.js';
import { tinySpec as spec } from './test-utils/specs.js';

describe('plattVectors', () => {
  it('gives a and b in task order, identity for tasks left out', () => {
    expect(plattVectors(spec, { b: { a: 2, b: -1 } })).toEqual({ a: [1, 2], b: [0, -1] });
  });

  it('refuses a slope a ≤ 0, which would reverse (or flatten) the task’s ranking in the served model', () => {
    expect(() => plattVectors(spec, { b: { a: -0.81, b: 0.2 } })).toThrow(
      /calibration\.b\.a must be > 0 \(got -0\.81\): a slope ≤ 0 reverses or flattens the ranking of task 'b'/,
    );
    expect(() => plattVectors(spec, { a: { a: 0, b: 0 } })).toThrow(/calibration\.a\.a must be > 0 \(got 0\)/);
    expect(() => calibratedProbabilities(ops, spec, ops.constant([0, 1], [1, 2]), { a: { a: -1, b: 0 } })).toThrow(RangeError);
  });

  it('refuses unknown tasks and non-finite values', () => {
    expect(() => plattVectors(spec, { grid_click: { a: 1, b: 0 } })).toThrow(/calibration\.grid_click: no such task/);
    expect(() => plattVectors(spec, { a: { a: 1, b: Number.NaN } })).toThrow(/calibration\.a\.b must be a finite number/);
  });
});
