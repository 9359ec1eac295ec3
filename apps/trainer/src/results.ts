/**
 * The contract of `results.json`, written by `thaw-train experiment` and read by the report, by
 * users' notebooks and by CI. Additive changes only within `schemaVersion: 1`.
 *
 * Numbers that are undefined — a metric on a slice without positives, a per-seed lift over a
 * baseline seed that scored 0 — are `NaN` in memory and `null` in the JSON file.
 */

/** Hits@K uses this K: the paper's Hits@3. */
export const HITS_K = 3;

/** The key of Hits@{@link HITS_K} in a {@link MetricSet} (`'hits@3'`), spelled from `HITS_K` so the two cannot drift. */
export const HITS_METRIC = `hits@${HITS_K}` as const;

/** Per-task values keyed by task name. */
export type PerTask<V> = Record<string, V>;

/** One metric family for one slice (fresh items or all items), per task. */
export interface MetricSet {
  /** Hits@{@link HITS_K} per request (eq 12 ranking), the paper's headline metric. */
  readonly [HITS_METRIC]: PerTask<number>;
  readonly prAuc: PerTask<number>;
  readonly rocAuc: PerTask<number>;
  readonly logLoss: PerTask<number>;
}

/** A lift of a variant over the baseline, in %, with its noise. */
export interface Lift {
  /** Point estimate: 100·(B − A)/A, with A and B averaged over seeds. */
  readonly value: number;
  /**
   * 95% interval from a bootstrap over users (every request of a user together) and training
   * seeds paired across arms (see {@link LiftStatistics}); before issue 11, over requests.
   */
  readonly ci95: readonly [number, number];
  /** Two-sided bootstrap p-value of "no difference" (share of replicates on the other side of 0, +1-smoothed). */
  readonly p: number;
  /** The difference B − A in Hits@3 points (× 100), with its interval. */
  readonly points?: number;
  readonly pointsCi95?: readonly [number, number];
  /** A primary cell, declared before any run (fresh items, first task, `all` and each single paper technique): judged on `p`. */
  readonly primary?: boolean;
  /** Holm-adjusted p over every non-primary cell of the table (absent for a primary cell). */
  readonly pHolm?: number;
  /** Primary cell: `p < 0.05`; other cells: `pHolm < 0.05` (files before issue 11: `ci95` excludes 0). */
  readonly significant: boolean;
  /** The lift of each seed pair on the full evaluation set (seed-to-seed spread). */
  readonly perSeed: readonly number[];
}

/** How the lift table's noise was measured (absent in files before issue 11). */
export interface LiftStatistics {
  /** The resampled unit: users, all their requests together (and training seeds, paired across arms). */
  readonly unit: 'user';
  /** Users in the evaluation window. */
  readonly users: number;
  /** Kish's effective number of users of the requests that count, per slice and task. */
  readonly effectiveUsers: { readonly fresh: PerTask<number>; readonly all: PerTask<number> };
  /** The primary cells, `variant / slice / task`. */
  readonly primaryCells: readonly string[];
  /** Cells corrected together by Holm. */
  readonly holmFamily: number;
  readonly bootstrapSamples: number;
}

/** A shared choice tuned on the calibration window (never the evaluation window). */
export interface TunedChoiceResult {
  /** The spec path tuned, e.g. `training.learningRate`. */
  readonly name: string;
  /** The variant trained per candidate. */
  readonly variant: string;
  readonly candidates: readonly number[];
  /** The deciding metric, e.g. `calibration Hits@3, all items, engage (baseline, seed 0)`. */
  readonly criterion: string;
  /** The deciding metric per candidate. */
  readonly scores: readonly number[];
  readonly chosen: number;
}

/** Warm/cold mean score per task and label (Fig 2c, 6c). */
export interface ScoreGapEntry {
  readonly warm: number;
  readonly cold: number;
  /** (warm − cold) / warm. */
  readonly gapRatio: number;
}
export type ScoreGap = PerTask<{ readonly positive: ScoreGapEntry; readonly negative: ScoreGapEntry }>;

/** PCA of the representation z̄ on evaluation rows (Fig 7). */
export interface ExplainedVariance {
  readonly ratio: readonly number[];
  readonly cumulative: readonly number[];
  readonly effectiveRank: number;
}

/** ΔPR-AUC feature ablation (Fig 2a, 6a). */
export interface Ablation {
  /** One entry per feature: ΔPR-AUC (ablated − intact) per task. */
  readonly features: readonly {
    readonly name: string;
    readonly group: 'historical' | 'nonHistorical';
    readonly deltaPrAuc: PerTask<number>;
  }[];
  /** ΔPR-AUC(remove all non-historical) / ΔPR-AUC(remove all historical), per task (Fig 2a). */
  readonly ratio: PerTask<number>;
}

/** One trained variant (mean over its seeds) and its comparison with the baseline. */
export interface VariantResult {
  readonly name: string;
  /** Trainable parameters served (embeddings included). */
  readonly params: number;
  /** Parameter increase over the baseline, in %. */
  readonly paramsIncreasePct: number;
  /** Mean wall-clock training time per seed. */
  readonly trainSeconds: number;
  readonly examplesPerSecond: number;
  readonly seeds: readonly number[];
  readonly metrics: { readonly fresh: MetricSet; readonly all: MetricSet };
  /** Absent for the baseline itself. */
  readonly liftPct?: {
    readonly fresh: { readonly [HITS_METRIC]: PerTask<Lift> };
    readonly all: { readonly [HITS_METRIC]: PerTask<Lift> };
  };
  readonly scoreGap?: ScoreGap;
  /** [training step, ratio of mean gradient l2-norms non-historical / historical] (Fig 2b, 6b). */
  readonly gradNormRatio?: readonly (readonly [number, number])[];
  readonly explainedVariance?: ExplainedVariance;
  readonly ablation?: Ablation;
}

/** A trivial scorer evaluated like a variant: could a shortcut win this benchmark? */
export interface ReferenceScorerResult {
  readonly name: 'random' | 'popularity' | 'noHistoryFirst';
  readonly description: string;
  readonly metrics: { readonly fresh: Pick<MetricSet, typeof HITS_METRIC>; readonly all: Pick<MetricSet, typeof HITS_METRIC> };
}

/** A metric value with its 95% cluster-bootstrap interval (users resampled with all their requests, and seeds). */
export interface Estimate {
  readonly value: number;
  readonly ci95: readonly [number, number];
}

/** A difference between two rankers in metric units (× 100 = points), with its interval and p-value. */
export interface Difference extends Estimate {
  readonly p: number;
  /** True when `ci95` excludes 0. */
  readonly significant: boolean;
}

/** One ranker scored against the simulator's ground truth on every retrieved candidate. */
export interface OracleScorerResult {
  readonly name: string;
  readonly description?: string;
  /** All items: true eq 12 utility of the top-3 over the best top-3's (1.0 is perfect). */
  readonly utilityRatio: Estimate;
  /** Fresh items: of the fresh candidates in the oracle's top 3, the share in the ranker's top 3. */
  readonly freshRecall: Estimate;
}

/** A trained variant against the ground truth. */
export interface OracleVariantResult extends OracleScorerResult {
  /** Per training seed (seed order): the two metrics on the whole evaluation window. */
  readonly perSeed: { readonly utilityRatio: readonly number[]; readonly freshRecall: readonly number[] };
  /** Mean (ŷ − p*) of the calibrated probabilities on fresh and warm candidates, per task (Fig 2c against the truth). */
  readonly bias: PerTask<{ readonly fresh: Estimate; readonly warm: Estimate }>;
  /** Variant − baseline (absent for the baseline), users and seeds resampled, seeds paired. */
  readonly vsBaseline?: { readonly utilityRatio: Difference; readonly freshRecall: Difference };
}

/** One point of a fresh-boost frontier. */
export interface FrontierPointResult {
  readonly boost: number;
  readonly all: number;
  readonly fresh: number;
}

/** A variant against the baseline boosted by one matched boost, on the evaluation window (see `freshBoostComparison`). */
export interface FrontierComparisonResult {
  /** The baseline boost in logits, chosen on the calibration window. */
  readonly boost: number;
  /** `matched`, or `peak` / `end` when the target lies beyond the efficient branch (see `matchBoost`). */
  readonly match: 'matched' | 'peak' | 'end';
  /** Means over seeds on the evaluation window: the variant, and the baseline boosted by `boost`. */
  readonly evaluation: {
    readonly variant: { readonly all: number; readonly fresh: number };
    readonly boosted: FrontierPointResult;
  };
  /** variant − boosted baseline, users and seeds resampled (seeds paired). */
  readonly freshDifference: Difference;
  readonly allDifference: Difference;
  /**
   * Fresh-matched: `above` (Δ all > 0: warmer for less), `below`, `colder` (colder than the
   * all-items maximiser yet better on all items), `on`, `tradeoff`. All-matched: `above` (Δ fresh >
   * 0), `below`, `on`, `tradeoff`. See `FrontierComparison` in fresh-boost-frontier.ts.
   */
  readonly verdict: 'above' | 'below' | 'on' | 'tradeoff' | 'colder';
}

/** Where one variant sits against a fresh-boost frontier, by both matching rules. */
export interface FrontierPlacementResult {
  readonly variant: string;
  /** The variant's (all, fresh) on the calibration window, means over seeds. */
  readonly calibration: { readonly all: number; readonly fresh: number };
  /** Boost matched to the variant's fresh-items metric; the test is the all-items difference (primary). */
  readonly freshMatched: FrontierComparisonResult;
  /** Boost matched to the variant's all-items metric; the test is the fresh-items difference (as first declared). */
  readonly allMatched: FrontierComparisonResult;
}

/** The fresh-boost frontier of one metric pair: the baseline plus a cold logit boost, and every variant against it. */
export interface FrontierResultFile {
  readonly metric: { readonly all: string; readonly fresh: string };
  readonly boosts: readonly number[];
  readonly calibration: readonly FrontierPointResult[];
  readonly evaluation: readonly FrontierPointResult[];
  readonly placements: readonly FrontierPlacementResult[];
}

/** The evaluation against the simulator's ground truth (present for simulated sources). */
export interface OracleResults {
  readonly k: number;
  /** Evaluation requests scored (real and probe), their candidates, and the users they come from. */
  readonly evaluation: {
    readonly realRequests: number;
    readonly probeRequests: number;
    readonly candidates: number;
    readonly users: number;
    /** Kish's effective number of users of the all-items metric (baseline). */
    readonly effectiveUsers: number;
  };
  readonly calibration: { readonly realRequests: number; readonly probeRequests: number; readonly candidates: number };
  readonly variants: readonly OracleVariantResult[];
  /** Trivial and reference rankers on the same candidates: could one win? */
  readonly referenceScorers: readonly OracleScorerResult[];
  /** The fresh-boost frontier on the oracle metrics. */
  readonly frontier: FrontierResultFile;
}

/** Counts of one window of the split. */
export interface SplitCounts {
  readonly requests: number;
  readonly impressions: number;
  readonly positives: PerTask<number>;
  readonly freshItems: number;
  readonly freshImpressions: number;
  /** Positive rate per task of warm, cold and no-history candidates (leakage check). */
  readonly positiveRate?: { readonly warm: PerTask<number>; readonly cold: PerTask<number>; readonly noHistory: PerTask<number> };
}

/** The whole file. */
export interface ResultsFile {
  readonly schemaVersion: 1;
  readonly createdAt: string;
  readonly settings: {
    readonly data: string;
    readonly spec: string;
    readonly specHash: string;
    readonly seeds: number;
    readonly seedsNote?: string;
    readonly epochs: number;
    readonly batchSize: number;
    readonly learningRate: number;
    readonly lambda1: number;
    readonly lambda2: number;
    readonly alpha: number;
    readonly coldDays: number;
    readonly k: number;
    readonly bootstrapSamples: number;
    readonly backend: string;
  };
  readonly dataset: {
    readonly name: string;
    readonly rows: number;
    readonly requests: number;
    readonly items: number;
    readonly users: number;
  };
  readonly split: { readonly train: SplitCounts; readonly calibration: SplitCounts; readonly evaluation: SplitCounts };
  readonly tasks: readonly string[];
  /** Name of the variant lifts are measured against. */
  readonly baseline: string;
  readonly variants: readonly VariantResult[];
  readonly referenceScorers: readonly ReferenceScorerResult[];
  /** Against the simulator's ground truth: every retrieved candidate, probe requests included (simulated sources). */
  readonly oracle?: OracleResults;
  /** The fresh-boost frontier on logged Hits@3 of the first task (what an offline team would see). */
  readonly loggedFrontier?: FrontierResultFile;
  /** How the lift intervals were measured: users, effective users per slice, primary cells, Holm family. */
  readonly liftStatistics?: LiftStatistics;
  /** Shared choices tuned on the calibration window before the variants were trained (absent with `--no-tune`). */
  readonly tuning?: readonly TunedChoiceResult[];
  readonly totalSeconds: number;
}
