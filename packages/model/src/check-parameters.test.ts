import { demoSpec } from '@thaw/spec';
import { createTensor, type Tensor } from '@thaw/tensor';
import { describe, expect, it } from 'vitest';
import { assertParameters, checkParameters } from './check-parameters.js';
import { oddSpec } from './test-utils/specs.js';

/** A zero float32 tensor of this shape. */
function zeros(shape: number[]): Tensor {
  return createTensor('float32', new Float32Array(shape.reduce((n, e) => n * e, 1)), shape);
}

describe('checkParameters', () => {
  // Every parameter of oddSpec, shapes as the parameterInfos test derives them by hand.
  const shapes: Record<string, number[]> = {
    'embedding.id': [10, 2],
    'embedding.c': [6, 3],
    'cross.0.v': [12, 3],
    'cross.0.u': [3, 12],
    'cross.0.bias': [12],
    'cross.1.v': [12, 3],
    'cross.1.u': [3, 12],
    'cross.1.bias': [12],
    'deep.0.kernel': [12, 8],
    'deep.0.bias': [8],
    'residual.0.kernel': [5, 4],
    'residual.0.bias': [4],
    'residual.1.kernel': [4, 2],
    'residual.1.bias': [2],
    'expert.0.0.kernel': [22, 6],
    'expert.0.0.bias': [6],
    'expert.1.0.kernel': [22, 6],
    'expert.1.0.bias': [6],
    'gate.0.0.kernel': [22, 5],
    'gate.0.0.bias': [5],
    'gate.0.1.kernel': [5, 2],
    'gate.0.1.bias': [2],
    'gate.1.0.kernel': [22, 5],
    'gate.1.0.bias': [5],
    'gate.1.1.kernel': [5, 2],
    'gate.1.1.bias': [2],
    'tower.0.0.kernel': [6, 1],
    'tower.0.0.bias': [1],
    'tower.1.0.kernel': [6, 1],
    'tower.1.0.bias': [1],
    'aldi.0.kernel': [5, 3],
    'aldi.0.bias': [3],
    'aldi.1.kernel': [3, 6],
    'aldi.1.bias': [6],
  };
  const fitting = () => Object.fromEntries(Object.entries(shapes).map(([name, shape]) => [name, zeros(shape)]));

  it('hand-built tensors of the right names and shapes fit', () => {
    expect(checkParameters(oddSpec, fitting())).toEqual([]);
  });

  it('reports missing, wrong-shape, wrong-dtype and extra tensors, extras last', () => {
    const tensors: Record<string, Tensor> = fitting();
    delete tensors['cross.0.u'];
    tensors['deep.0.kernel'] = zeros([8, 12]);
    tensors['tower.1.0.bias'] = createTensor('int32', [0], [1]);
    tensors['cross.9.kernel'] = zeros([1]);
    expect(checkParameters(oddSpec, tensors)).toEqual([
      "'cross.0.u' is missing",
      "'deep.0.kernel' has shape [8, 12], expected [12, 8]",
      "'tower.1.0.bias' has dtype int32, expected float32 or float64",
      "'cross.9.kernel' is not a parameter of spec 'odd'",
    ]);
  });

  it('float64 tensors fit (checkpoints of the reference backend)', () => {
    const tensors: Record<string, Tensor> = fitting();
    tensors['cross.0.bias'] = createTensor('float64', new Float64Array(12), [12]);
    expect(checkParameters(oddSpec, tensors)).toEqual([]);
  });

  it('assertParameters throws a TypeError naming the argument, the spec, the problems and the fix', () => {
    expect(() => assertParameters(demoSpec, fitting(), 'loader: weights')).toThrow(TypeError);
    expect(() => assertParameters(demoSpec, fitting(), 'loader: weights')).toThrow(
      /^loader: weights do not fit spec 'demo': 'embedding\.item_id' is missing;.*initParameters\(spec, seed\)/,
    );
    expect(() => assertParameters(oddSpec, fitting(), 'loader: weights')).not.toThrow();
  });
});
