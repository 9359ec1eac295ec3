import { columnAt, type MatrixInput, type NumericInput, readColumns, readVector } from './numeric-input.js';

/** Mean predicted score of warm and of cold samples within one label class, and their gap. */
export interface GapStats {
  readonly warmMean: number;
  readonly coldMean: number;
  /** `(warmMean − coldMean) / warmMean`: 0.1365 means cold items score 13.65% below warm ones. */
  readonly gapRatio: number;
  readonly warmCount: number;
  readonly coldCount: number;
}

/** The score gap of one task, for positive and for negative samples (Fig 2c, 6c). */
export interface TaskScoreGap {
  /** Task name when `tasks` was given, else its index. */
  readonly task: string | number;
  readonly positive: GapStats;
  readonly negative: GapStats;
}

/** Options of {@link scoreGap}. */
export interface ScoreGapOptions {
  /** Task names in column order. */
  readonly tasks?: readonly string[];
}

function stats(warmSum: number, warmCount: number, coldSum: number, coldCount: number): GapStats {
  const warmMean = warmCount > 0 ? warmSum / warmCount : Number.NaN;
  const coldMean = coldCount > 0 ? coldSum / coldCount : Number.NaN;
  return { warmMean, coldMean, gapRatio: (warmMean - coldMean) / warmMean, warmCount, coldCount };
}

/**
 * The warm/cold prediction gap the paper plots in Fig 2c and 6c: per task and per label
 * (positive / negative), the mean predicted probability of warm samples, of cold samples, and the
 * gap ratio `(warm − cold) / warm`. A group without samples has mean `NaN` (and so a `NaN` ratio).
 *
 * @param probs predicted probabilities `[N, T]` (tensor or per-task columns).
 * @param labels 0/1 labels `[N, T]`.
 * @param isCold 1 for a cold ("fresh") sample, else 0, `[N]`.
 * @throws RangeError for mismatched shapes or a label / `isCold` value other than 0 or 1.
 * @example
 * ```ts
 * const [click] = scoreGap([[0.6, 0.2, 0.3, 0.1]], [[1, 1, 0, 0]], [0, 1, 0, 1]);
 * click.positive.gapRatio; // (0.6 − 0.2) / 0.6 ≈ 0.667
 * ```
 */
export function scoreGap(
  probs: MatrixInput,
  labels: MatrixInput,
  isCold: NumericInput,
  options: ScoreGapOptions = {},
): TaskScoreGap[] {
  const p = readColumns(probs, 'scoreGap: probs');
  const rows = p[0]?.length ?? 0;
  const y = readColumns(labels, 'scoreGap: labels', rows);
  const cold = readVector(isCold, 'scoreGap: isCold');
  if (y.length !== p.length) throw new RangeError(`scoreGap: labels has ${y.length} tasks but probs has ${p.length}`);
  if (cold.length !== rows) throw new RangeError(`scoreGap: isCold has ${cold.length} rows but probs has ${rows}`);
  if (options.tasks !== undefined && options.tasks.length !== p.length) {
    throw new RangeError(`scoreGap: options.tasks names ${options.tasks.length} tasks but probs has ${p.length}`);
  }
  return p.map((column, t) => {
    const labelColumn = y[t];
    // sums[label * 2 + cold] and counts likewise.
    const sums = [0, 0, 0, 0];
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < rows; i++) {
      const label = labelColumn === undefined ? 0 : columnAt(labelColumn, i);
      const c = cold[i];
      if (label !== 0 && label !== 1)
        throw new RangeError(`scoreGap: labels of task ${t} row ${i} must be 0 or 1 (got ${label})`);
      if (c !== 0 && c !== 1) throw new RangeError(`scoreGap: isCold[${i}] must be 0 or 1 (got ${c})`);
      const slot = label * 2 + c;
      sums[slot] = (sums[slot] as number) + columnAt(column, i);
      counts[slot] = (counts[slot] as number) + 1;
    }
    const group = (label: number) =>
      stats(
        sums[label * 2] as number,
        counts[label * 2] as number,
        sums[label * 2 + 1] as number,
        counts[label * 2 + 1] as number,
      );
    return { task: options.tasks?.[t] ?? t, positive: group(1), negative: group(0) };
  });
}
