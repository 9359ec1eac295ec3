import type { OnlineOptions, OnlinePreset } from '@thaw/data';

/** The role of an arm in the comparison. */
export type ArmRole = 'control' | 'treatment' | 'aa' | 'boost';

/**
 * One arm of `simulate-ab`: a training recipe (a trainer variant and a training seed per world),
 * optionally served with a constant logit boost on fresh candidates.
 */
export interface ArmPlan {
  /** Stable identifier (file names, ab.json keys): the variant, `<control>-aa`, `<control>+boost`. */
  readonly id: string;
  /** What the report calls it. */
  readonly label: string;
  readonly role: ArmRole;
  /** The trainer variant it trains (`baseline`, `all`, `residual+mixup` …). */
  readonly variant: string;
  /** Training seed in world `w`: `w + seedOffset` (the A/A arm uses another seed than the control). */
  readonly seedOffset: number;
  /** The boost arm: its constant boost is matched on the pilot to this arm's fresh impression share. */
  readonly boostTarget?: string;
}

/** Offset of the A/A arm's training seed: world `w` trains it with seed `1000 + w`. */
export const AA_SEED_OFFSET = 1000;

/**
 * The arms of a run: the first of `variants` is the control, the others treatments; `aa` adds the
 * control's recipe with another training seed (its lift is a check on the noise); `boost` adds the
 * control served with a constant cold-logit boost matched to `boostTarget`'s fresh impression share
 * (default: the first treatment).
 *
 * @throws RangeError for an empty or repeated list, or a boost target that is not a treatment.
 * @example `armPlans(['baseline', 'all'], { aa: true, boost: true }).map((a) => a.id)` → `['baseline', 'all', 'baseline-aa', 'baseline+boost']`
 */
export function armPlans(variants: readonly string[], options: { aa: boolean; boost: boolean; boostTarget?: string }): ArmPlan[] {
  const [control, ...treatments] = variants;
  if (control === undefined) throw new RangeError('simulate-ab: --arms needs at least one arm (the control)');
  if (new Set(variants).size !== variants.length)
    throw new RangeError(`simulate-ab: --arms lists an arm twice (${variants.join(',')})`);
  const arms: ArmPlan[] = [
    { id: control, label: `${control} (control)`, role: 'control', variant: control, seedOffset: 0 },
    ...treatments.map((v) => ({ id: v, label: v, role: 'treatment' as const, variant: v, seedOffset: 0 })),
  ];
  if (options.aa) {
    arms.push({
      id: `${control}-aa`,
      label: `${control}, A/A (training seed 1000 + world)`,
      role: 'aa',
      variant: control,
      seedOffset: AA_SEED_OFFSET,
    });
  }
  if (options.boost) {
    const target = options.boostTarget ?? treatments[0];
    if (target === undefined) {
      throw new RangeError('simulate-ab: the fresh-boost arm needs a treatment to match; list one in --arms or pass --no-boost');
    }
    if (!treatments.includes(target)) {
      throw new RangeError(
        `simulate-ab: --boost-target ${target} must be a treatment arm (one of ${treatments.join(', ') || 'none'})`,
      );
    }
    arms.push({
      id: `${control}+boost`,
      label: `${control} + fresh boost matched to ${target}`,
      role: 'boost',
      variant: control,
      seedOffset: 0,
      boostTarget: target,
    });
  }
  return arms;
}

/** A built-in size of `simulate-ab`. */
export interface AbPreset {
  /** The online environment: preset and overrides. */
  readonly online: Partial<OnlineOptions> & { readonly preset: OnlinePreset };
  /** Replicated worlds (world seeds 1…worlds): the unit the intervals resample. */
  readonly worlds: number;
  /** Days between fine-tunes of every arm on its own log (0 = never). */
  readonly retrainEvery: number;
  /** Days of the arm's own log a fine-tune trains on (its last day calibrates). */
  readonly trainWindow: number;
  /** Table 3 thresholds: unique fresh items with ≥ N impressions, ≥ N saves (paper: 10 and 10). */
  readonly itemThresholds: { readonly impressions: readonly number[]; readonly saves: readonly number[] };
}

/** Names of the built-in `simulate-ab` presets. */
export type AbPresetName = 'tiny' | 'demo';

/**
 * The presets. `demo` (what the README reports; sized to finish in about 10 minutes on this shared
 * 2-core machine): the online `demo` environment — the demo world (its 28 warm-up + 27 training +
 * 1 calibration days are the warm-up log), then 30 A/B days (past 28, so items fresh at the start
 * age out), 100 requests a day, 100 candidates, median scroll 12, features refreshed every 2 hours
 * — a fine-tune of every arm every 10 days on its last 7 days, 4 worlds. Table 3 reports the paper's 10+ impressions and 10+ saves and, because at demo traffic
 * few fresh items reach 10 saves, 1+ save — declared here before any model result.
 */
export const AB_PRESETS: Readonly<Record<AbPresetName, AbPreset>> = {
  tiny: {
    online: { preset: 'tiny' },
    worlds: 3,
    retrainEvery: 3,
    trainWindow: 3,
    itemThresholds: { impressions: [10], saves: [1, 10] },
  },
  demo: {
    online: { preset: 'demo' },
    worlds: 4,
    retrainEvery: 10,
    trainWindow: 7,
    itemThresholds: { impressions: [10], saves: [1, 10] },
  },
};
