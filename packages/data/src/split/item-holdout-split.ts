import { createRng } from '@thaw/tensor';
import type { FeatureFrame } from '../frame/feature-frame.js';
import type { FrameSplit } from './frame-split.js';

/** Options of {@link itemHoldoutSplit}. */
export interface ItemHoldoutOptions {
  /** Share of the distinct items held out (default 0.1). */
  readonly fraction?: number;
  /** Share of the held-out requests used for calibration, the rest for evaluation (default 0.2). */
  readonly calibrationFraction?: number;
  readonly seed?: number;
}

/**
 * A random item hold-out split, for data whose time range is too short for time windows: a
 * seeded `fraction` of the items is held out; every request showing a held-out item goes to
 * calibration or evaluation (whole, at random by `calibrationFraction`), every other request to
 * training — so held-out items are never seen in training, as truly new items.
 *
 * @throws RangeError when a fraction is outside (0, 1) / [0, 1).
 * @example `const split = itemHoldoutSplit(frame, { fraction: 0.1, seed: 1 });`
 */
export function itemHoldoutSplit(frame: FeatureFrame, options: ItemHoldoutOptions = {}): FrameSplit {
  const { fraction = 0.1, calibrationFraction = 0.2, seed = 0 } = options;
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`itemHoldoutSplit: fraction must be in (0, 1) (got ${fraction})`);
  if (!(calibrationFraction >= 0 && calibrationFraction < 1)) {
    throw new RangeError(`itemHoldoutSplit: calibrationFraction must be in [0, 1) (got ${calibrationFraction})`);
  }
  const rng = createRng(seed);
  const items = Int32Array.from(new Set(frame.itemId)).sort();
  rng.shuffle(items);
  const heldOut = items.slice(0, Math.max(1, Math.round(fraction * items.length))).sort();
  const held = new Set(heldOut);
  const touched = new Set<number>();
  for (let r = 0; r < frame.size; r++) if (held.has(frame.itemId[r] as number)) touched.add(frame.requestId[r] as number);
  const calibration = new Set<number>();
  for (const q of [...touched].sort((a, b) => a - b)) if (rng.uniform() < calibrationFraction) calibration.add(q);
  const parts = { train: [] as number[], calibration: [] as number[], eval: [] as number[] };
  for (let r = 0; r < frame.size; r++) {
    const q = frame.requestId[r] as number;
    (touched.has(q) ? (calibration.has(q) ? parts.calibration : parts.eval) : parts.train).push(r);
  }
  return {
    kind: 'itemHoldout',
    rows: {
      train: Int32Array.from(parts.train),
      calibration: Int32Array.from(parts.calibration),
      eval: Int32Array.from(parts.eval),
    },
    heldOutItems: heldOut,
  };
}
