import { formatShape, isTensor, type Tensor } from '@thaw/tensor';

/**
 * A vector of numbers a metric reads: a plain array, a typed array, or a `@thaw/tensor`
 * {@link Tensor} of any numeric dtype except int64 (read without copying). So tfjs predictions
 * (`await t.data()`), onnxruntime outputs and plain arrays are all accepted.
 *
 * @example `prAuc([0, 1, 1], new Float32Array([0.2, 0.9, 0.4]))`
 */
export type NumericInput = ArrayLike<number> | Tensor;

/**
 * A matrix with one column per task, `[N, T]`: a rank-2 {@link Tensor} (row-major, as models
 * output it), a rank-1 tensor or a single array (one task), or a list of per-task columns of
 * length `N` each (the columnar layout of a data frame). No form is copied.
 *
 * @example `[clickProbs, saveProbs]` (two Float32Array columns) or `createTensor('float32', p, [n, 2])`
 */
export type MatrixInput = Tensor | ArrayLike<number> | readonly ArrayLike<number>[];

/**
 * One column of a {@link MatrixInput}, without copying: element `i` is `data[offset + i * stride]`.
 * A column of a row-major `[N, T]` tensor has `stride = T`; a plain column has `stride = 1`.
 */
export interface StridedColumn {
  readonly data: ArrayLike<number>;
  readonly offset: number;
  readonly stride: number;
  /** Number of elements `N`. */
  readonly length: number;
}

function tensorValues(tensor: Tensor, name: string): ArrayLike<number> {
  if (tensor.dtype === 'int64') {
    throw new TypeError(`${name} is an int64 tensor; convert it to float64 or int32 first`);
  }
  return tensor.data as ArrayLike<number>;
}

/**
 * A clear error for another library's tensor passed where values are expected: a TensorFlow.js
 * tensor (values behind `data()`/`dataSync()`) or an onnxruntime tensor (`dims`, `type`, `data`).
 * `undefined` when `input` is neither.
 */
function foreignTensorError(input: unknown, name: string): TypeError | undefined {
  if (input === null || typeof input !== 'object') return undefined;
  const arg = name.includes(': ') ? name.slice(name.indexOf(': ') + 2) : name;
  const value = input as { dataSync?: unknown; shape?: unknown; dims?: unknown; type?: unknown; data?: unknown };
  if (typeof value.dataSync === 'function' && Array.isArray(value.shape)) {
    return new TypeError(
      `${name} is a TensorFlow.js tensor; pass its values instead: await ${arg}.data() (or fromTfjs(${arg}) of @thaw/tfjs for a @thaw/tensor Tensor, which keeps the shape)`,
    );
  }
  if (Array.isArray(value.dims) && typeof value.type === 'string' && ArrayBuffer.isView(value.data)) {
    return new TypeError(`${name} is an onnxruntime tensor; pass ${arg}.data (or fromOrtTensor(${arg}) of @thaw/onnx/ort)`);
  }
  return undefined;
}

/**
 * The values of a {@link NumericInput} as an array-like (no copy). A tensor must be rank 1 or
 * `[N, 1]`.
 *
 * @param name names the argument in errors, e.g. `'prAuc: scores'`.
 * @throws TypeError for an int64 tensor, a tensor of another shape, or a value that is not an array.
 */
export function readVector(input: NumericInput, name: string): ArrayLike<number> {
  if (isTensor(input)) {
    const shape = input.shape;
    if (!(shape.length === 1 || (shape.length === 2 && shape[1] === 1))) {
      throw new TypeError(`${name} must be a rank-1 tensor or [N, 1] (got shape ${formatShape(shape)})`);
    }
    return tensorValues(input, name);
  }
  if (input === null || typeof input !== 'object' || typeof (input as ArrayLike<number>).length !== 'number') {
    const foreign = foreignTensorError(input, name);
    if (foreign) throw foreign;
    throw new TypeError(
      `${name} must be an array, a typed array or a @thaw/tensor Tensor ({ dtype, shape, data }) (got ${input === null ? 'null' : typeof input})`,
    );
  }
  return input;
}

function isColumnList(input: MatrixInput): input is readonly ArrayLike<number>[] {
  return Array.isArray(input) && input.length > 0 && typeof input[0] === 'object' && input[0] !== null;
}

/**
 * The per-task columns of a {@link MatrixInput}, as strided views (no copy).
 *
 * @param rows the expected row count `N`, or `undefined` to take it from the input.
 * @throws TypeError for an unsupported value or tensor rank; RangeError when a column's length
 * differs from `rows` or from the first column.
 */
export function readColumns(input: MatrixInput, name: string, rows?: number): StridedColumn[] {
  let columns: StridedColumn[];
  if (isTensor(input)) {
    const data = tensorValues(input, name);
    if (input.shape.length === 1) {
      columns = [{ data, offset: 0, stride: 1, length: data.length }];
    } else if (input.shape.length === 2) {
      const [n, t] = input.shape as [number, number];
      columns = Array.from({ length: t }, (_, task) => ({ data, offset: task, stride: t, length: n }));
    } else {
      throw new TypeError(`${name} must be a tensor of shape [N] or [N, T] (got shape ${formatShape(input.shape)})`);
    }
  } else if (isColumnList(input)) {
    columns = input.map((column, task) => {
      const data = readVector(column as NumericInput, `${name}[${task}]`);
      return { data, offset: 0, stride: 1, length: data.length };
    });
  } else {
    const data = readVector(input as NumericInput, name);
    columns = [{ data, offset: 0, stride: 1, length: data.length }];
  }
  const expected = rows ?? columns[0]?.length ?? 0;
  columns.forEach((column, task) => {
    if (column.length !== expected) {
      throw new RangeError(
        `${name} column ${task} has ${column.length} rows but ${expected} are expected; every column needs one value per row`,
      );
    }
  });
  return columns;
}

/** Element `i` of a strided column. */
export function columnAt(column: StridedColumn, i: number): number {
  return column.data[column.offset + i * column.stride] as number;
}

/**
 * Checks that two vectors have the same length.
 *
 * @throws RangeError naming both arguments and their lengths.
 */
export function assertSameLength(fn: string, a: ArrayLike<unknown>, aName: string, b: ArrayLike<unknown>, bName: string): void {
  if (a.length !== b.length) {
    throw new RangeError(
      `${fn}: ${aName} has ${a.length} values but ${bName} has ${b.length}; pass one ${bName} value per ${aName}`,
    );
  }
}

/**
 * Checks that every label is 0 or 1.
 *
 * @throws RangeError naming the first offending position and value.
 */
export function assertBinaryLabels(fn: string, labels: ArrayLike<number>, name = 'labels'): void {
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y !== 0 && y !== 1) {
      throw new RangeError(`${fn}: ${name}[${i}] must be 0 or 1 (got ${y}); binarise soft labels first`);
    }
  }
}
