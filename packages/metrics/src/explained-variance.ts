import { isTensor, type Tensor } from '@thaw/tensor';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** A representation matrix, rows = samples: a rank-2 tensor, rows of numbers, or an ml-matrix `Matrix`. */
export type RepresentationInput = Tensor | readonly (readonly number[])[] | Matrix;

/** The PCA spectrum of a representation (Fig 7). */
export interface ExplainedVariance {
  /** Variance along each principal component, descending (`n − 1` denominator), `min(n, d)` values. */
  readonly variances: Float64Array;
  /** Each component's share of the total variance (Fig 7a). */
  readonly ratio: Float64Array;
  /** Running sum of `ratio` (Fig 7b). */
  readonly cumulative: Float64Array;
  /** `exp(−Σ p_i ln p_i)` with `p = ratio`: 1 for a rank-1 representation, `d` for an isotropic one. */
  readonly effectiveRank: number;
}

function toRows(input: RepresentationInput): { rows: number; cols: number; at: (i: number, j: number) => number } {
  if (input instanceof Matrix) return { rows: input.rows, cols: input.columns, at: (i, j) => input.get(i, j) };
  if (isTensor(input)) {
    if (input.shape.length !== 2 || input.dtype === 'int64') {
      throw new TypeError(
        `explainedVariance: matrix must be a [samples, dims] float tensor (got ${input.dtype} [${input.shape.join(', ')}])`,
      );
    }
    const [rows, cols] = input.shape as [number, number];
    const data = input.data as ArrayLike<number>;
    return { rows, cols, at: (i, j) => data[i * cols + j] as number };
  }
  if (!Array.isArray(input))
    throw new TypeError('explainedVariance: matrix must be a Tensor, an array of rows or an ml-matrix Matrix');
  const rows = input as readonly (readonly number[])[];
  const cols = rows[0]?.length ?? 0;
  rows.forEach((row, i) => {
    if (row.length !== cols) throw new RangeError(`explainedVariance: row ${i} has ${row.length} values but row 0 has ${cols}`);
  });
  return { rows: rows.length, cols, at: (i, j) => (rows[i] as readonly number[])[j] as number };
}

/**
 * PCA explained variance of a representation (rows = samples), as the paper's Fig 7 analyses
 * the mixup model's feature space: the eigenvalues of the sample covariance (computed with
 * ml-matrix's symmetric eigen-decomposition), their share of the total, the cumulative curve and
 * the effective rank. Matches scikit-learn's `PCA().explained_variance_ratio_`.
 *
 * @throws RangeError for fewer than 2 samples, no columns, ragged rows or a non-finite value.
 * @example
 * ```ts
 * const pca = explainedVariance([[1, 0], [-1, 0], [0, 0.5], [0, -0.5]]);
 * pca.ratio; // [0.8, 0.2]
 * ```
 */
export function explainedVariance(matrix: RepresentationInput): ExplainedVariance {
  const { rows, cols, at } = toRows(matrix);
  if (rows < 2 || cols < 1)
    throw new RangeError(`explainedVariance: needs ≥ 2 samples and ≥ 1 dimension (got ${rows} × ${cols})`);
  const means = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = at(i, j);
      if (!Number.isFinite(v))
        throw new RangeError(`explainedVariance: value at row ${i}, column ${j} is ${v}; values must be finite`);
      means[j] = (means[j] as number) + v;
    }
  }
  for (let j = 0; j < cols; j++) means[j] = (means[j] as number) / rows;
  const covariance = new Float64Array(cols * cols);
  const centred = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) centred[j] = at(i, j) - (means[j] as number);
    for (let a = 0; a < cols; a++) {
      const x = centred[a] as number;
      for (let b = a; b < cols; b++) covariance[a * cols + b] = (covariance[a * cols + b] as number) + x * (centred[b] as number);
    }
  }
  const cov = new Matrix(cols, cols);
  for (let a = 0; a < cols; a++) {
    for (let b = a; b < cols; b++) {
      const value = (covariance[a * cols + b] as number) / (rows - 1);
      cov.set(a, b, value);
      cov.set(b, a, value);
    }
  }
  const eigenvalues = new EigenvalueDecomposition(cov, { assumeSymmetric: true }).realEigenvalues
    .map((value) => Math.max(value, 0))
    .sort((x, y) => y - x);
  const total = eigenvalues.reduce((sum, value) => sum + value, 0);
  const variances = Float64Array.from(eigenvalues.slice(0, Math.min(rows, cols)));
  const ratio = variances.map((value) => (total > 0 ? value / total : Number.NaN));
  const cumulative = new Float64Array(ratio.length);
  let running = 0;
  let entropy = 0;
  ratio.forEach((p, i) => {
    running += p;
    cumulative[i] = running;
    if (p > 0) entropy -= p * Math.log(p);
  });
  return { variances, ratio, cumulative, effectiveRank: total > 0 ? Math.exp(entropy) : Number.NaN };
}
