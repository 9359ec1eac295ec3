/** Evenly spaced bands for categories (bar groups, strip-plot rows). */
export interface BandScale {
  /** Start pixel of a category's band. */
  (category: string): number;
  /** Width of one band in pixels. */
  readonly bandwidth: number;
  /** Distance between the starts of neighbouring bands. */
  readonly step: number;
  readonly categories: readonly string[];
}

/**
 * Splits `range` into `n` bands: `step = (r1 − r0) / (n − paddingInner + 2·paddingOuter)`,
 * `bandwidth = step·(1 − paddingInner)`, the first band starting at `r0 + step·paddingOuter`
 * (the d3-scale band rule). Padding is a fraction of the step.
 *
 * @example bandScale(['a', 'b', 'c', 'd'], [0, 100], { paddingInner: 0.2, paddingOuter: 0.1 })('b') // 27.5
 */
export function bandScale(
  categories: readonly string[],
  range: readonly [number, number],
  { paddingInner = 0.2, paddingOuter = 0.1 }: { paddingInner?: number; paddingOuter?: number } = {},
): BandScale {
  if (categories.length === 0) throw new RangeError('bandScale: categories must not be empty (got [])');
  if (new Set(categories).size !== categories.length) {
    throw new RangeError(`bandScale: categories must be distinct (got ${JSON.stringify(categories)})`);
  }
  if (!(paddingInner >= 0 && paddingInner < 1))
    throw new RangeError(`bandScale: paddingInner must be in [0, 1) (got ${paddingInner})`);
  if (!(paddingOuter >= 0)) throw new RangeError(`bandScale: paddingOuter must be ≥ 0 (got ${paddingOuter})`);
  const [r0, r1] = range;
  const step = (r1 - r0) / (categories.length - paddingInner + 2 * paddingOuter);
  const index = new Map(categories.map((c, i) => [c, i]));
  const scale = (category: string): number => {
    const i = index.get(category);
    if (i === undefined)
      throw new RangeError(`bandScale: unknown category ${JSON.stringify(category)}; known: ${categories.join(', ')}`);
    return r0 + step * (paddingOuter + i);
  };
  return Object.assign(scale, { bandwidth: step * (1 - paddingInner), step, categories: [...categories] });
}
