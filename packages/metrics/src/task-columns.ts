import { columnAt, type MatrixInput, readColumns } from './numeric-input.js';

/**
 * The per-task columns of a `[N, T]` {@link MatrixInput} as contiguous float64 arrays — handy to
 * score each task of a model output with `prAuc`, `rocAuc`, … .
 *
 * @param name names the argument in errors (default `'taskColumns: input'`).
 * @param rows the expected row count `N` (default: taken from the input).
 * @throws TypeError for an unsupported value; RangeError when a column does not have `rows` values.
 * @example
 * ```ts
 * const [click, save] = taskColumns(createTensor('float32', [0.1, 0.2, 0.3, 0.4], [2, 2]));
 * // click = [0.1, 0.3], save = [0.2, 0.4] (as float64 of the float32 values)
 * ```
 */
export function taskColumns(input: MatrixInput, name = 'taskColumns: input', rows?: number): Float64Array[] {
  return readColumns(input, name, rows).map((column) => {
    const out = new Float64Array(column.length);
    for (let i = 0; i < column.length; i++) out[i] = columnAt(column, i);
    return out;
  });
}
