import { assertSameLength, type NumericInput, readVector } from './numeric-input.js';
import { radixSortFloat64 } from './radix-sort.js';

/** Scores split by label, each sorted ascending: the basis of the AUC metrics. */
export interface ClassSplit {
  readonly positives: Float64Array;
  readonly negatives: Float64Array;
}

/**
 * Splits `scores` by binary `labels` and sorts each side with a radix sort on the float bits (no
 * comparator, no index array): at most 6 linear passes over 64-bit keys, so O(n).
 *
 * @throws RangeError for a label other than 0/1, a NaN score or mismatched lengths.
 */
export function splitByClass(fn: string, labels: NumericInput, scores: NumericInput): ClassSplit {
  const y = readVector(labels, `${fn}: labels`);
  const s = readVector(scores, `${fn}: scores`);
  assertSameLength(fn, y, 'labels', s, 'scores');
  let positiveCount = 0;
  for (let i = 0; i < y.length; i++) {
    const label = y[i];
    if (label === 1) positiveCount++;
    else if (label !== 0) throw new RangeError(`${fn}: labels[${i}] must be 0 or 1 (got ${label}); binarise soft labels first`);
    if (Number.isNaN(s[i])) throw new RangeError(`${fn}: scores[${i}] is NaN; every score must be a number`);
  }
  const positives = new Float64Array(positiveCount);
  const negatives = new Float64Array(y.length - positiveCount);
  let p = 0;
  let n = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] === 1) positives[p++] = s[i] as number;
    else negatives[n++] = s[i] as number;
  }
  radixSortFloat64(positives);
  radixSortFloat64(negatives);
  return { positives, negatives };
}

/**
 * Visits every distinct score from the highest to the lowest with the number of positives and
 * negatives that have exactly that score (a tie group, i.e. one threshold of the curve).
 */
export function forEachThresholdDescending(split: ClassSplit, visit: (positives: number, negatives: number) => void): void {
  const { positives, negatives } = split;
  let i = positives.length - 1;
  let j = negatives.length - 1;
  while (i >= 0 || j >= 0) {
    const top =
      i < 0
        ? (negatives[j] as number)
        : j < 0
          ? (positives[i] as number)
          : Math.max(positives[i] as number, negatives[j] as number);
    let groupPositives = 0;
    let groupNegatives = 0;
    while (i >= 0 && positives[i] === top) {
      groupPositives++;
      i--;
    }
    while (j >= 0 && negatives[j] === top) {
      groupNegatives++;
      j--;
    }
    visit(groupPositives, groupNegatives);
  }
}
