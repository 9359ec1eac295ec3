import type { DataType, DataTypeMap } from './dtype.js';
import { typedArrayFor } from './dtype.js';
import { formatShape, sizeOf } from './shape.js';
import { createTensor, type Tensor } from './tensor.js';

function rowLength(tensor: Tensor, op: string): number {
  if (tensor.shape.length === 0) {
    throw new TypeError(`${op}: tensor must have rank ≥ 1 (got a scalar)`);
  }
  return sizeOf(tensor.shape.slice(1));
}

/**
 * Row `index` of a tensor of rank ≥ 1, i.e. `tensor[index]`, as a view (no copy).
 *
 * @throws RangeError when `index` is outside `[0, shape[0])`.
 * @example `row(createTensor('float32', [1, 2, 3, 4], [2, 2]), 1).data` is `[3, 4]`.
 */
export function row<D extends DataType>(tensor: Tensor<D>, index: number): Tensor<D> {
  const width = rowLength(tensor, 'row');
  const rows = tensor.shape[0] as number;
  if (!Number.isInteger(index) || index < 0 || index >= rows) {
    throw new RangeError(`row: index must be an integer in [0, ${rows}) (got ${index})`);
  }
  const data = tensor.data.subarray(index * width, (index + 1) * width) as DataTypeMap[D];
  return createTensor(tensor.dtype, data as never, tensor.shape.slice(1));
}

/**
 * The rows `indices` of a tensor, in that order (rows may repeat): `tensor[indices]`.
 *
 * @throws RangeError naming the position of the first index outside `[0, shape[0])`.
 */
export function gatherRows<D extends DataType>(tensor: Tensor<D>, indices: ArrayLike<number>): Tensor<D> {
  const width = rowLength(tensor, 'gatherRows');
  const rows = tensor.shape[0] as number;
  const out = typedArrayFor(tensor.dtype, indices.length * width);
  for (let i = 0; i < indices.length; i++) {
    const source = indices[i] as number;
    if (!Number.isInteger(source) || source < 0 || source >= rows) {
      throw new RangeError(`gatherRows: indices[${i}] must be an integer in [0, ${rows}) (got ${source})`);
    }
    (out as { set(a: ArrayLike<unknown>, o: number): void }).set(
      tensor.data.subarray(source * width, (source + 1) * width),
      i * width,
    );
  }
  return createTensor(tensor.dtype, out as never, [indices.length, ...tensor.shape.slice(1)]);
}

/**
 * Concatenates rank-2 tensors of one dtype side by side: `[n, a] ++ [n, b] → [n, a + b]`.
 * Rank-1 inputs count as one column each.
 *
 * @throws TypeError for an empty list or mixed dtypes; RangeError when row counts differ.
 */
export function concatColumns<D extends DataType>(tensors: readonly Tensor<D>[]): Tensor<D> {
  const first = tensors[0];
  if (first === undefined) throw new TypeError('concatColumns: needs at least one tensor (got an empty list)');
  const rows = first.shape[0] ?? 1;
  const widths = tensors.map((t, i) => {
    if (t.dtype !== first.dtype) {
      throw new TypeError(`concatColumns: tensors[${i}] has dtype '${t.dtype}' but tensors[0] has '${first.dtype}'`);
    }
    if (t.shape.length !== 1 && t.shape.length !== 2) {
      throw new TypeError(`concatColumns: tensors[${i}] must have rank 1 or 2 (got shape ${formatShape(t.shape)})`);
    }
    if (t.shape[0] !== rows) {
      throw new RangeError(
        `concatColumns: tensors[${i}] has ${t.shape[0]} rows but tensors[0] has ${rows}; all inputs need the same row count`,
      );
    }
    return t.shape.length === 1 ? 1 : (t.shape[1] as number);
  });
  const total = widths.reduce((a, b) => a + b, 0);
  const out = typedArrayFor(first.dtype, rows * total) as unknown as { [i: number]: number | bigint };
  let offset = 0;
  tensors.forEach((t, k) => {
    const width = widths[k] as number;
    const data = t.data as unknown as { [i: number]: number | bigint };
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < width; c++) out[r * total + offset + c] = data[r * width + c] as number;
    }
    offset += width;
  });
  return createTensor(first.dtype, out as never, [rows, total]);
}
