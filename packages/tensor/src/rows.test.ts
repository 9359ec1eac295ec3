import { describe, expect, it } from 'vitest';
import { concatColumns, gatherRows, row } from './rows.js';
import { createTensor } from './tensor.js';

const m = createTensor('float32', [1, 2, 3, 4, 5, 6], [3, 2]);

describe('row / gatherRows / concatColumns', () => {
  it('row returns a view of one row', () => {
    const r = row(m, 1);
    expect(Array.from(r.data)).toEqual([3, 4]);
    expect(r.shape).toEqual([2]);
    expect(r.data.buffer).toBe(m.data.buffer);
    expect(() => row(m, 3)).toThrow('row: index must be an integer in [0, 3) (got 3)');
  });

  it('gatherRows picks rows in order, with repeats', () => {
    const g = gatherRows(m, [2, 0, 2]);
    expect(g.shape).toEqual([3, 2]);
    expect(Array.from(g.data)).toEqual([5, 6, 1, 2, 5, 6]);
    expect(() => gatherRows(m, [0, -1])).toThrow('gatherRows: indices[1] must be an integer in [0, 3) (got -1)');
  });

  it('gatherRows works on int64', () => {
    const ids = createTensor('int64', [10n, 20n, 30n], [3]);
    expect(Array.from(gatherRows(ids, [2, 1]).data)).toEqual([30n, 20n]);
  });

  it('concatColumns joins matrices and vectors side by side', () => {
    const v = createTensor('float32', [7, 8, 9], [3]);
    const c = concatColumns([m, v]);
    expect(c.shape).toEqual([3, 3]);
    expect(Array.from(c.data)).toEqual([1, 2, 7, 3, 4, 8, 5, 6, 9]);
  });

  it('concatColumns names mismatched inputs', () => {
    expect(() => concatColumns([m, createTensor('float32', [1, 2], [2])])).toThrow(
      'concatColumns: tensors[1] has 2 rows but tensors[0] has 3; all inputs need the same row count',
    );
    expect(() => concatColumns([m, createTensor('int32', [1, 2, 3], [3])] as never)).toThrow(/dtype 'int32'/);
    expect(() => concatColumns([])).toThrow(/empty list/);
  });
});
