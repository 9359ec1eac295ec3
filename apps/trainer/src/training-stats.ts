import { coldMask, type FeatureFrame } from '@thaw/data';
import type { DenseFeatureSpec, ModelSpec } from '@thaw/spec';

/**
 * Normalised dense values are clipped to ±this many standard deviations: a rare indicator (e.g. a
 * "year unknown" flag set on 13 of 9,742 movies has std 0.002, so a 1 becomes 450) must not blow
 * up the logits of the rows that carry it.
 */
export const NORMALISED_CLIP = 5;

/**
 * The spec the trainer writes: the data's spec with, for every dense feature, normalisation
 * `stats` (mean and standard deviation over the training rows; a constant dimension keeps std 1)
 * (clipped to ±{@link NORMALISED_CLIP}) and, for dense item features, the `fill` a new item gets
 * at serving time when the request does not carry the value: for historical features their mean
 * over training rows whose item had no history yet (else over cold rows, else 0) — "historical
 * features as the model saw them for cold items in training"; for non-historical ones the
 * training mean (0 after normalisation).
 */
export function withTrainingStats(spec: ModelSpec, frame: FeatureFrame, trainRows: ArrayLike<number>): ModelSpec {
  const cold = coldMask(frame, spec.coldStart.coldDays);
  const events = frame.itemHistory?.events;
  const fillRows: number[] = [];
  for (let i = 0; i < trainRows.length; i++) {
    const r = trainRows[i] as number;
    if (events ? events[r] === 0 : cold[r] === 1) fillRows.push(r);
  }
  if (fillRows.length === 0) {
    for (let i = 0; i < trainRows.length; i++) if (cold[trainRows[i] as number] === 1) fillRows.push(trainRows[i] as number);
  }
  const features = spec.features.map((feature) => {
    if (feature.kind !== 'dense') return feature;
    const column = frame.features[feature.name];
    if (!(column instanceof Float32Array)) {
      throw new TypeError(`withTrainingStats: frame column '${feature.name}' must be float32 for a dense feature`);
    }
    const d = feature.dim;
    const n = Math.max(trainRows.length, 1);
    // Two passes (mean, then squared deviations): E[x²] − mean² cancels badly for large values.
    const sum = new Float64Array(d);
    for (let i = 0; i < trainRows.length; i++) {
      const base = (trainRows[i] as number) * d;
      for (let k = 0; k < d; k++) sum[k] = (sum[k] as number) + (column[base + k] as number);
    }
    const mean = Array.from(sum, (s) => s / n);
    const squares = new Float64Array(d);
    for (let i = 0; i < trainRows.length; i++) {
      const base = (trainRows[i] as number) * d;
      for (let k = 0; k < d; k++) squares[k] = (squares[k] as number) + ((column[base + k] as number) - (mean[k] as number)) ** 2;
    }
    const std = Array.from(squares, (s) => (s / n > 1e-12 ? Math.sqrt(s / n) : 1));
    const out: DenseFeatureSpec = { ...feature, stats: { mean, std, clip: NORMALISED_CLIP } };
    if ((feature.source ?? 'item') === 'item') {
      if (feature.group === 'historical') {
        const fill = new Float64Array(d);
        for (const r of fillRows) for (let k = 0; k < d; k++) fill[k] = (fill[k] as number) + (column[r * d + k] as number);
        out.fill = Array.from(fill, (v) => (fillRows.length > 0 ? v / fillRows.length : 0));
      } else {
        // A new item sent without its content: the training mean, i.e. 0 after normalisation.
        out.fill = mean;
      }
    }
    return out;
  });
  return { ...spec, features };
}
