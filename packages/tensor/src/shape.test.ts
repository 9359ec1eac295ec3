import { describe, expect, it } from 'vitest';
import { broadcastShapes, normalizeAxis } from './broadcast.js';
import { assertShape, sizeOf, stridesOf } from './shape.js';
import { ShapeError } from './shape-error.js';

describe('shape helpers', () => {
  it('computes size and row-major strides', () => {
    expect(sizeOf([])).toBe(1);
    expect(sizeOf([2, 0, 3])).toBe(0);
    expect(sizeOf([2, 3, 4])).toBe(24);
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
    expect(stridesOf([])).toEqual([]);
  });

  it('broadcasts like NumPy and names the incompatible axis', () => {
    expect(broadcastShapes([4, 1], [3])).toEqual([4, 3]);
    expect(broadcastShapes([], [2, 2])).toEqual([2, 2]);
    expect(() => broadcastShapes([2, 3], [4], 'add')).toThrow(
      'add: shapes [2, 3] and [4] do not broadcast (axis 1 from the left of the result: 3 vs 4)',
    );
  });

  it('normalises negative axes and rejects out-of-range ones', () => {
    expect(normalizeAxis(-1, 3, 'sum')).toBe(2);
    expect(() => normalizeAxis(3, 3, 'sum')).toThrow('sum: axis must be an integer in [-3, 3) (got 3)');
  });
});

describe('assertShape', () => {
  it('accepts wildcards', () => {
    expect(() => assertShape([512, 3], [null, 3], 'logits')).not.toThrow();
  });

  it('throws a ShapeError naming the tensor, the shapes and the axis', () => {
    let caught: unknown;
    try {
      assertShape([512, 2], [null, 3], 'logits');
    } catch (error) {
      caught = error;
    }
    expect(ShapeError.isInstance(caught)).toBe(true);
    expect((caught as ShapeError).message).toBe('logits must have shape [*, 3] (got [512, 2]: axis 1 is 2, expected 3)');
    expect((caught as ShapeError).tensorName).toBe('logits');
    expect(() => assertShape([3], [null, 3], 'logits')).toThrow(
      'logits must have rank 2 with shape [*, 3] (got shape [3], rank 1)',
    );
  });

  it('recognises errors from another copy of the package', () => {
    const foreign = { [Symbol.for('@thaw/tensor.ShapeError')]: true, message: 'x' };
    expect(ShapeError.isInstance(foreign)).toBe(true);
    expect(ShapeError.isInstance(new Error('x'))).toBe(false);
  });
});
