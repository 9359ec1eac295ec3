import type { FeatureGroup } from '@thaw/spec';
import { isTensor, type Tensor } from '@thaw/tensor';

/** Which features to track and their group: `spec.features`, or `{ [name]: group }`. */
export type TrackedFeatures =
  | readonly { readonly name: string; readonly group: FeatureGroup }[]
  | Readonly<Record<string, FeatureGroup>>;

/** Options of {@link gradientNormTracker}. */
export interface GradientNormTrackerOptions {
  readonly groups: TrackedFeatures;
}

/**
 * One step's gradients, by feature name: the per-row gradient of the predictions w.r.t. the
 * feature's embedding, a tensor `[N, width]` (or `[N]`), or an already reduced mean row l2-norm.
 */
export type StepGradients = Readonly<Record<string, Tensor | number>>;

/** One recorded step. Edge cases: see {@link gradientNormTracker}. */
export interface GradientNormPoint {
  readonly step: number;
  /** Mean over historical features of their mean row l2-norm; `NaN` when no tracked feature is historical. */
  readonly historical: number;
  /** Mean over non-historical features of their mean row l2-norm; `NaN` when none is tracked. */
  readonly nonHistorical: number;
  /**
   * `nonHistorical / historical` (Fig 2b, 6b); below 1 when historical features dominate. Plain
   * IEEE division: `Infinity` when only the historical gradients are 0, `NaN` when both are 0 or
   * a group is empty.
   */
  readonly ratio: number;
  /** Mean row l2-norm per feature (`NaN` for a gradient of 0 rows). */
  readonly features: Readonly<Record<string, number>>;
}

/** The recorded steps as columns, ready to plot or serialise. */
export interface GradientNormSeries {
  readonly step: number[];
  readonly historical: number[];
  readonly nonHistorical: number[];
  readonly ratio: number[];
  readonly features: Record<string, number[]>;
}

/** Records gradient l2-norms per step; see {@link gradientNormTracker}. */
export interface GradientNormTracker {
  /** Reduces and records one step's gradients (every tracked feature must be present). */
  record(step: number, gradients: StepGradients): GradientNormPoint;
  /** Calls the caller's gradient function (e.g. a tfjs `tf.grads` wrapper) and records its result. */
  track(step: number, gradientFn: () => StepGradients | Promise<StepGradients>): Promise<GradientNormPoint>;
  /** The recorded steps, in recording order. */
  readonly points: readonly GradientNormPoint[];
  /** The recorded steps as columns. */
  series(): GradientNormSeries;
  /** The series as CSV: `step,historical,nonHistorical,ratio,<feature>…`. */
  toCsv(): string;
}

/** Mean over rows of the l2 norm of each row of `gradient` (`[N, …]`; a rank-0/1 value counts per element). */
function meanRowNorm(gradient: Tensor, name: string): number {
  if (gradient.dtype === 'int64') throw new TypeError(`gradientNormTracker: gradient of '${name}' is an int64 tensor`);
  const data = gradient.data as ArrayLike<number>;
  const rows = gradient.shape.length === 0 ? 1 : (gradient.shape[0] as number);
  if (rows === 0) return Number.NaN;
  const width = data.length / rows;
  let total = 0;
  for (let i = 0; i < rows; i++) {
    let squares = 0;
    for (let j = 0; j < width; j++) {
      const g = data[i * width + j] as number;
      squares += g * g;
    }
    total += Math.sqrt(squares);
  }
  return total / rows;
}

function toGroupMap(groups: TrackedFeatures): Map<string, FeatureGroup> {
  const entries: [string, FeatureGroup][] = Array.isArray(groups)
    ? (groups as readonly { name: string; group: FeatureGroup }[]).map((f) => [f.name, f.group])
    : Object.entries(groups as Readonly<Record<string, FeatureGroup>>);
  if (entries.length === 0)
    throw new TypeError('gradientNormTracker: options.groups must name at least one feature (pass spec.features)');
  for (const [name, group] of entries) {
    if (group !== 'historical' && group !== 'nonHistorical') {
      throw new TypeError(
        `gradientNormTracker: group of '${name}' must be 'historical' or 'nonHistorical' (got ${String(group)})`,
      );
    }
  }
  return new Map(entries);
}

/**
 * Tracks the paper's gradient analysis over training (Fig 2b, 6b): at each recorded step, the
 * average l2-norm of the gradient of the predictions w.r.t. each input feature's embedding, its
 * mean over the historical and over the non-historical features, and the ratio
 * non-historical / historical. No tfjs: the caller supplies the gradients (or a function that
 * computes them), e.g. from `@thaw/tfjs`' `inputGradients(model, batch, true).gradients`.
 *
 * A feature's value is the mean over batch rows of `‖g_i‖₂`; a group's value is the mean of its
 * features' values (each feature weighs the same, whatever its width).
 *
 * Edge cases (the contract other gradient reports, e.g. `@thaw/tfjs`' `inputGradients`, follow):
 * - a group with no tracked feature is **`NaN`**, not 0: "no features" is not "zero gradient";
 * - a gradient with 0 rows gives the feature `NaN` (a mean over nothing);
 * - `ratio = nonHistorical / historical` as IEEE division, never special-cased: a historical
 *   value of exactly 0 gives `Infinity` (or `NaN` when the non-historical value is 0 too); a `NaN`
 *   group gives `NaN`. So a ratio is finite only when both groups are present and the historical
 *   gradients are non-zero; check `Number.isFinite(point.ratio)` before plotting.
 *
 * @throws TypeError for an empty or invalid `groups`.
 * @example
 * ```ts
 * const tracker = gradientNormTracker({ groups: spec.features });
 * tracker.record(100, { item_id: gradItemId, item_content: gradContent }); // tensors [N, width]
 * tracker.series().ratio; // one value per recorded step
 * ```
 */
export function gradientNormTracker(options: GradientNormTrackerOptions): GradientNormTracker {
  const groups = toGroupMap(options?.groups ?? []);
  const names = [...groups.keys()];
  const points: GradientNormPoint[] = [];
  const groupMean = (features: Record<string, number>, group: FeatureGroup) => {
    const members = names.filter((name) => groups.get(name) === group);
    return members.length === 0
      ? Number.NaN
      : members.reduce((sum, name) => sum + (features[name] as number), 0) / members.length;
  };
  const record = (step: number, gradients: StepGradients): GradientNormPoint => {
    if (!Number.isFinite(step)) throw new TypeError(`gradientNormTracker.record: step must be a finite number (got ${step})`);
    for (const name of Object.keys(gradients)) {
      if (!groups.has(name))
        throw new RangeError(`gradientNormTracker.record: '${name}' is not a tracked feature (tracked: ${names.join(', ')})`);
    }
    const features: Record<string, number> = {};
    for (const name of names) {
      const gradient = gradients[name];
      if (gradient === undefined) throw new RangeError(`gradientNormTracker.record: step ${step} has no gradient for '${name}'`);
      if (typeof gradient === 'number') features[name] = gradient;
      else if (isTensor(gradient)) features[name] = meanRowNorm(gradient, name);
      else throw new TypeError(`gradientNormTracker.record: gradient of '${name}' must be a Tensor or a number`);
    }
    const historical = groupMean(features, 'historical');
    const nonHistorical = groupMean(features, 'nonHistorical');
    const point = { step, historical, nonHistorical, ratio: nonHistorical / historical, features };
    points.push(point);
    return point;
  };
  const series = (): GradientNormSeries => ({
    step: points.map((p) => p.step),
    historical: points.map((p) => p.historical),
    nonHistorical: points.map((p) => p.nonHistorical),
    ratio: points.map((p) => p.ratio),
    features: Object.fromEntries(names.map((name) => [name, points.map((p) => p.features[name] as number)])),
  });
  return {
    record,
    track: async (step, gradientFn) => record(step, await gradientFn()),
    points,
    series,
    toCsv: () =>
      [
        ['step', 'historical', 'nonHistorical', 'ratio', ...names].join(','),
        ...points.map((p) =>
          [p.step, p.historical, p.nonHistorical, p.ratio, ...names.map((name) => p.features[name])].join(','),
        ),
      ].join('\n'),
  };
}
