/**
 * "Nice" axis ticks: steps of 1, 2 or 5 × 10ⁿ chosen so about `count` ticks cover `[min, max]`
 * (the classic Heckbert / d3-array rule: the raw step is rounded to 10ⁿ, then ×2 if its error is
 * ≥ √2, ×5 if ≥ √10, ×10 if ≥ √50).
 *
 * @example tickStep(0, 1, 5) // 0.2
 */
export function tickStep(min: number, max: number, count: number): number {
  checkRange(min, max, count);
  const raw = Math.abs(max - min) / count;
  if (raw === 0) return 0;
  let step = 10 ** Math.floor(Math.log10(raw));
  const error = raw / step;
  if (error >= Math.sqrt(50)) step *= 10;
  else if (error >= Math.sqrt(10)) step *= 5;
  else if (error >= Math.sqrt(2)) step *= 2;
  return step;
}

/**
 * The multiples of {@link tickStep} inside `[min, max]`, computed as `i / (1/step)` for steps < 1 so
 * `0.1 · 3` shows as `0.3`, not `0.30000000000000004`.
 *
 * @example niceTicks(-0.037, 0.012, 5) // [-0.03, -0.02, -0.01, 0, 0.01]
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  const step = tickStep(min, max, count);
  if (step === 0) return [min];
  const lo = Math.min(min, max);
  const hi = Math.max(min, max);
  const ticks: number[] = [];
  if (step < 1) {
    const inverse = Math.round(1 / step);
    for (let i = Math.ceil(lo * inverse); i <= Math.floor(hi * inverse); i++) ticks.push(i / inverse + 0);
  } else {
    for (let i = Math.ceil(lo / step); i <= Math.floor(hi / step); i++) ticks.push(i * step + 0);
  }
  return ticks;
}

/**
 * Widens `[min, max]` outward to multiples of the tick step so the axis starts and ends on a tick;
 * repeats until the step is stable (widening can change it). A zero-width domain `[v, v]` becomes
 * `[v − 1, v + 1]` (or `±|v|/10`), since a scale needs a non-empty domain.
 *
 * @example niceDomain(0.13, 0.87, 5) // [0, 1]
 */
export function niceDomain(min: number, max: number, count = 5): [number, number] {
  checkRange(min, max, count);
  let lo = Math.min(min, max);
  let hi = Math.max(min, max);
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) / 10;
    lo -= pad;
    hi += pad;
  }
  let previous = Number.NaN;
  for (let i = 0; i < 10; i++) {
    const step = tickStep(lo, hi, count);
    if (step === previous) break;
    const inverse = step < 1 ? Math.round(1 / step) : 0;
    lo = inverse ? Math.floor(lo * inverse) / inverse : Math.floor(lo / step) * step;
    hi = inverse ? Math.ceil(hi * inverse) / inverse : Math.ceil(hi / step) * step;
    previous = step;
  }
  return [lo + 0, hi + 0];
}

function checkRange(min: number, max: number, count: number): void {
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    throw new RangeError(`ticks: min and max must be finite numbers (got ${min}, ${max}); filter NaN values out first`);
  }
  if (!(count >= 1)) throw new RangeError(`ticks: count must be ≥ 1 (got ${count})`);
}
