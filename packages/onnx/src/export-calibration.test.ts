import { initParameters } from '@thaw/model';
import { demoSpec } from '@thaw/spec';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from './export-onnx.js';

describe('exportOnnx calibration', () => {
  it('refuses a Platt slope ≤ 0, which would silently reverse the task’s ranking in model.onnx', () => {
    const weights = initParameters(demoSpec, 1);
    expect(() => exportOnnx(demoSpec, weights, { calibration: { save: { a: -0.81, b: 0.3 } } })).toThrow(
      /calibration\.save\.a must be > 0 \(got -0\.81\)/,
    );
    expect(exportOnnx(demoSpec, weights, { calibration: { save: { a: 0.81, b: 0.3 } } }).length).toBeGreaterThan(0);
  });
});
