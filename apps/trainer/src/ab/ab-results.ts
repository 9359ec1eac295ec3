import type { BoostCalibration } from './ab-boost.js';
import type { ArmRole } from './ab-plan.js';

/** Which of the report's tables a metric belongs to. */
export type AbTable = 'table2' | 'table3' | 'table5' | 'oracle' | 'guardrail' | 'exposure';

/** One arm's value of a metric over the worlds. */
export interface ArmValue {
  /** Mean over worlds. */
  readonly mean: number;
  /** Student-t interval of the mean over worlds (df = worlds − 1). */
  readonly ci: readonly [number, number];
  /** Per world, in world order. */
  readonly perWorld: readonly number[];
}

/** An arm's lift over the control on a metric, paired by world. */
export interface ArmLift {
  /** `(mean arm / mean control − 1) · 100`. */
  readonly lift: number;
  /** Student-t interval over worlds (linearised ratio of means) — the primary interval. */
  readonly ci: readonly [number, number];
  /** Percentile interval of a bootstrap resampling worlds (too narrow with few worlds; shown for comparison). */
  readonly bootstrapCi: readonly [number, number];
  /** Mean difference arm − control and its paired t interval. */
  readonly difference: number;
  readonly differenceCi: readonly [number, number];
  /** Paired t test p-value. */
  readonly p: number;
  /** The t interval excludes 0. */
  readonly significant: boolean;
}

/** One metric of the comparison: per arm, and lifts over the control. */
export interface AbMetric {
  readonly id: string;
  readonly table: AbTable;
  readonly label: string;
  /** Unit of the per-arm values, e.g. `grid-clicks per world`. */
  readonly unit: string;
  readonly arms: Readonly<Record<string, ArmValue>>;
  /** Per non-control arm. */
  readonly lifts: Readonly<Record<string, ArmLift>>;
  /** Per treatment arm, its lift over the fresh-boost arm (the heuristic it must beat), when there is one. */
  readonly versusBoost?: Readonly<Record<string, ArmLift>>;
}

/** A daily series: the mean over worlds, per arm, per A/B day. */
export interface AbSeries {
  readonly id: string;
  readonly label: string;
  readonly unit: string;
  readonly arms: Readonly<Record<string, readonly number[]>>;
}

/** `ab.json`: what `thaw-train simulate-ab` measured. */
export interface AbResults {
  readonly schemaVersion: 1;
  readonly kind: 'simulate-ab';
  readonly createdAt: string;
  /** What is estimated, in words (printed in every output). */
  readonly estimand: string;
  /** How the noise is measured, in words. */
  readonly variance: string;
  readonly settings: {
    readonly preset: string;
    readonly worlds: number;
    readonly days: number;
    readonly requestsPerDay: number;
    readonly candidates: number;
    readonly scroll: { readonly median: number; readonly spread: number };
    readonly refreshHours: number;
    readonly retrainEvery: number;
    readonly trainWindow: number;
    /** How the fresh-boost arm's boost follows its target: the day-0 pilot's for the run, or re-matched daily. */
    readonly boostMatch: 'pilot' | 'daily';
    readonly freshDays: number;
    readonly world: string;
    /** The world's knobs that shape what content can tell (see the simulator README). */
    readonly worldOptions: {
      readonly qualityVisibility: number;
      readonly warmupRequestsPerDay: number;
      readonly newItemsPerDay: number;
      readonly users: number;
      readonly initialItems: number;
    };
    readonly itemThresholds: { readonly impressions: readonly number[]; readonly saves: readonly number[] };
    readonly bootstrapSamples: number;
    readonly backend: string;
  };
  readonly control: string;
  readonly arms: readonly {
    readonly id: string;
    readonly label: string;
    readonly role: ArmRole;
    readonly variant: string;
    readonly trainingSeed: string;
  }[];
  /** Position buckets shown in Table 5 (those the feed reaches). */
  readonly positionBuckets: readonly string[];
  readonly metrics: readonly AbMetric[];
  readonly daily: readonly AbSeries[];
  /** Per world: the fresh-boost arm's day-0 pilot calibration and its boost on every day. */
  readonly boost?: readonly (BoostCalibration & { readonly world: number; readonly daily: readonly number[] })[];
  /** Requests, impressions per world (the same in every arm: checked). */
  readonly traffic: { readonly requests: readonly number[]; readonly impressions: readonly number[] };
  /** Wall seconds: in all, per world, and summed over worlds for the initial trainings, serving and fine-tunes. */
  readonly seconds: {
    readonly total: number;
    readonly perWorld: readonly number[];
    readonly initialTraining: number;
    readonly serving: number;
    readonly fineTunes: number;
  };
}
