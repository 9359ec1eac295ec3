import { element, tooltip } from './svg.js';

/** Five-number summary of a sample. */
export interface BoxStats {
  readonly min: number;
  readonly q1: number;
  readonly median: number;
  readonly q3: number;
  readonly max: number;
}

/**
 * The `p`-quantile with linear interpolation between order statistics (numpy's default, R type 7):
 * `h = (n − 1)·p`, `x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])` on the sorted sample.
 *
 * @example quantile([1, 2, 3, 4], 0.25) // 1.75
 */
export function quantile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('quantile: values must not be empty (got [])');
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile: p must be in [0, 1] (got ${p})`);
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (h - lo) * (b - a);
}

/** Min, quartiles (type 7, see {@link quantile}) and max of a non-empty sample. @example boxStats([1, 2, 3, 4]).q3 // 3.25 */
export function boxStats(values: readonly number[]): BoxStats {
  return {
    min: quantile(values, 0),
    q1: quantile(values, 0.25),
    median: quantile(values, 0.5),
    q3: quantile(values, 0.75),
    max: quantile(values, 1),
  };
}

/**
 * A horizontal box plot in a band `[y, y + height]`: whiskers from min to max, box from q1 to q3,
 * a line at the median. `x` maps values to pixels. Carries `data-mark="box"` and a tooltip with
 * the five numbers.
 */
export function boxMark(
  stats: BoxStats,
  x: (value: number) => number,
  band: { y: number; height: number },
  { series, label, format }: { series: number; label: string; format: (v: number) => string },
): string {
  const mid = band.y + band.height / 2;
  const summary = `${label}: min ${format(stats.min)}, q1 ${format(stats.q1)}, median ${format(stats.median)}, q3 ${format(stats.q3)}, max ${format(stats.max)}`;
  return element(
    'g',
    { class: `box s${series}`, 'data-mark': 'box', 'data-series': label },
    tooltip(summary),
    element('line', { class: 'whisker', x1: x(stats.min), x2: x(stats.max), y1: mid, y2: mid }),
    element('rect', { x: x(stats.q1), y: band.y, width: Math.max(x(stats.q3) - x(stats.q1), 1), height: band.height }),
    element('line', { class: 'median', x1: x(stats.median), x2: x(stats.median), y1: band.y, y2: band.y + band.height }),
  );
}
