/**
 * Holm's step-down adjustment of a family of p-values (controls the family-wise error rate at
 * any level α: reject the hypotheses whose adjusted p-value is < α). Sorting the `m` finite
 * p-values ascending, `p̃_(i) = max_{j ≤ i} min(1, (m − j + 1) · p_(j))`. Use it for the secondary
 * cells of a results table (every slice × task × variant judged beside the cells declared
 * primary in advance). `NaN` entries stay `NaN` and do not count in `m`.
 *
 * @param pValues raw p-values in [0, 1] (or `NaN`).
 * @returns the adjusted p-values, in the input order.
 * @throws RangeError for a value outside [0, 1].
 * @example
 * ```ts
 * holmAdjust([0.01, 0.04, 0.03, 0.005]); // [0.03, 0.06, 0.06, 0.02]
 * ```
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  pValues.forEach((p, i) => {
    if (!Number.isNaN(p) && !(p >= 0 && p <= 1)) throw new RangeError(`holmAdjust: pValues[${i}] must be in [0, 1] (got ${p})`);
  });
  const finite = pValues.map((p, i) => ({ p, i })).filter(({ p }) => !Number.isNaN(p));
  finite.sort((a, b) => a.p - b.p || a.i - b.i);
  const m = finite.length;
  const adjusted = pValues.map(() => Number.NaN);
  let running = 0;
  finite.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
