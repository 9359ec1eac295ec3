import { countParameters, type ModelSpec } from '@thaw/spec';

/** The paper's ALDI parameter increase over its baseline (Table 1: +28.89%). */
export const PAPER_ALDI_INCREASE_PCT = 28.89;

/** Parameter increase in % of `spec` with ALDI's student of `units` over the same spec without ALDI. */
export function aldiIncreasePct(spec: ModelSpec, units: readonly number[]): number {
  const without = countParameters({
    ...spec,
    coldStart: { ...spec.coldStart, aldi: { ...spec.coldStart.aldi, enabled: false } },
  });
  const withStudent = countParameters({
    ...spec,
    coldStart: { ...spec.coldStart, aldi: { ...spec.coldStart.aldi, enabled: true, studentUnits: [...units] } },
  });
  return (100 * (withStudent.total - without.total)) / without.total;
}

/**
 * A paper-sized ALDI student for `spec`: two equal hidden layers, as ALDI's official code uses
 * (`[200, 200]`), of the smallest width whose parameter increase reaches `targetPct` (default the
 * paper's +28.89%). The small default student (`coldStart.aldi.studentUnits`, `[64]`) adds ~1%.
 *
 * @throws RangeError when no width up to 8,192 reaches the target.
 * @example `paperSizedStudentUnits(movieLensSpec)` → `[w, w]` with `aldiIncreasePct(spec, [w, w]) ≥ 28.89`
 */
export function paperSizedStudentUnits(spec: ModelSpec, targetPct = PAPER_ALDI_INCREASE_PCT): [number, number] {
  let low = 1;
  let high = 8192;
  if (aldiIncreasePct(spec, [high, high]) < targetPct) {
    throw new RangeError(
      `paperSizedStudentUnits: no student of two layers up to ${high} wide adds ${targetPct}% to spec '${spec.name}'`,
    );
  }
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (aldiIncreasePct(spec, [mid, mid]) >= targetPct) high = mid;
    else low = mid + 1;
  }
  return [low, low];
}
