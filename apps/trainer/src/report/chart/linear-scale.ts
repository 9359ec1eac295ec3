import { niceTicks } from './ticks.js';

/** A linear map from data values to pixels, with its ticks. */
export interface LinearScale {
  /** Pixel position of `value`. */
  (value: number): number;
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
  /** Nice tick values inside the domain (see `niceTicks`). */
  ticks(count?: number): number[];
}

/**
 * A linear scale `range[0] + (v − domain[0]) · (range[1] − range[0]) / (domain[1] − domain[0])`.
 * Pass a reversed range (`[bottom, top]`) for a y axis, since SVG y grows downward.
 *
 * @example linearScale([0, 10], [100, 0])(2.5) // 75
 */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): LinearScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (![d0, d1, r0, r1].every(Number.isFinite)) {
    throw new RangeError(`linearScale: domain and range must be finite (got domain [${d0}, ${d1}], range [${r0}, ${r1}])`);
  }
  if (d0 === d1) throw new RangeError(`linearScale: domain must not be empty (got [${d0}, ${d1}]); widen it with niceDomain`);
  const slope = (r1 - r0) / (d1 - d0);
  const scale = (value: number): number => r0 + (value - d0) * slope;
  return Object.assign(scale, {
    domain: [d0, d1] as const,
    range: [r0, r1] as const,
    ticks: (count = 5) => niceTicks(d0, d1, count),
  });
}
