/**
 * Every knob of the simulator (see the package README for the generative process and its
 * equations). Presets fill them; any field can be overridden.
 */
export interface SimulationOptions {
  /** Number of users. */
  readonly users: number;
  /** Items that exist before the warm-up starts (created uniformly over `initialItemAgeDays`). */
  readonly initialItems: number;
  /** Mean number of items created per day (Poisson), during warm-up and the emitted days. */
  readonly newItemsPerDay: number;
  /** Mean number of requests per day (Poisson). */
  readonly requestsPerDay: number;
  /** Candidates retrieved per request, before the logging policy picks what is shown. */
  readonly candidatesRetrieved: number;
  /** Candidates shown per request (impressions, positions 1…K). */
  readonly impressionsPerRequest: number;
  /** Emitted days in the training window (paper: 27). */
  readonly trainDays: number;
  /** Emitted days in the calibration window (paper: 1). */
  readonly calibrationDays: number;
  /** Emitted days in the evaluation window (paper: 3). */
  readonly evalDays: number;
  /** Days simulated before the emitted window, feeding history only (not emitted). */
  readonly warmupDays: number;
  /** Ages (days) of the initial catalogue at the start of the warm-up: uniform in [0, this). */
  readonly initialItemAgeDays: number;
  /** Start of the emitted window, seconds since the epoch. */
  readonly startTime: number;
  /** Width `d` of the latent tastes and of the content vectors (the spec's content dims). */
  readonly latentDim: number;
  /** Number of item categories (the spec's `item_category.vocabSize`). */
  readonly categories: number;
  /** Buckets of the hashed item id (the spec's `item_id.buckets`). */
  readonly itemBuckets: number;
  /** Spread σ_w of an item latent around its category centroid. */
  readonly itemSpread: number;
  /** Spread σ_u of a user taste around the centroid of the user's home category. */
  readonly userSpread: number;
  /** Noise σ_c of the content vector around the item latent (the "semantic gap"). */
  readonly contentNoise: number;
  /** Probability that an item's observed category is drawn at random instead of its true one. */
  readonly categoryNoise: number;
  /** Std of the per-item quality q_i (engagement propensity beyond the latent match). */
  readonly qualityStd: number;
  /**
   * Share ν ∈ [0, 1] of the variance of the quality q_i that is visible in the item's content:
   * `q_i = σ_q (√ν ĉ_i + √(1 − ν) b_i)`, with `ĉ_i` the standardised projection of the content
   * `x_i` on a fixed random direction and `b_i ~ N(0, 1)` hidden. 0 (the default): quality is
   * invisible in content — only history reveals it; at ν the best linear read of content recovers a
   * share ν of it (R² = ν). Content, retrieval and the logging policy do not change with ν.
   */
  readonly qualityVisibility: number;
  /** Std of the per-item save and click propensities s_i, l_i. */
  readonly actionStd: number;
  /** Weight α_u of user–item affinity in the relevance ρ. */
  readonly userWeight: number;
  /** Weight α_q of query–item affinity in the relevance ρ. */
  readonly queryWeight: number;
  /** Position decay η: examination probability of position k is k^(−η). */
  readonly positionDecay: number;
  /** Task intercepts β: grid-click, save given grid-click, click given grid-click. */
  readonly bias: { readonly gridClick: number; readonly save: number; readonly click: number };
  /** Shares of the retrieved candidates from each source (normalised to sum 1). */
  readonly retrieval: { readonly content: number; readonly engagement: number; readonly fresh: number };
  /** Items scored by each retrieval source per request. */
  readonly poolSize: number;
  /** The fresh source draws items created within this many days. */
  readonly freshWindowDays: number;
  /** Recent grid-clicks kept for the engagement source and query sampling. */
  readonly engagementBuffer: number;
  /**
   * Logging-policy weights: score = similarity·cos(x_q, x_i) + ctr·logit(smoothed grid-click rate)
   * + popularity·log(1 + impressions) + noise·Gumbel. Favouring history → exposure bias.
   */
  readonly policy: { readonly similarity: number; readonly ctr: number; readonly popularity: number; readonly noise: number };
  /** Pseudo-count of the smoothed rates in `item_stats` (and the policy). */
  readonly historySmoothing: number;
  /**
   * Oracle "probe" requests per day (Poisson) in the evaluation window (and in the calibration window
   * unless `oracleCalibrationRequestsPerDay` says otherwise): drawn
   * like real requests (user, query, retrieval, a policy draw) from their own random stream, never
   * shown, never logged, never changing history — extra evaluation requests with ground truth that
   * leave the logged frame bit-identical. 0 = none.
   */
  readonly oracleRequestsPerDay: number;
  /**
   * Probe requests per day in the calibration window, when it should differ from
   * `oracleRequestsPerDay` (which then applies to the evaluation window only); `undefined`: the same.
   */
  readonly oracleCalibrationRequestsPerDay?: number | undefined;
  /** Monte Carlo draws of the logging policy per request for the oracle's propensities (see `topKPropensity`). */
  readonly propensitySamples: number;
  /**
   * Windows whose real requests keep every retrieved candidate in `Simulation.oracle` (probe
   * requests are always kept). Default all three; the `paper` preset keeps calibration and eval.
   */
  readonly oracleWindows: readonly OracleWindow[];
}

/** A window of the simulated split: training, calibration or evaluation days. */
export type OracleWindow = 'train' | 'calibration' | 'eval';

/** Names of the built-in presets. */
export type SimulationPreset = 'tiny' | 'demo' | 'paper';

const base: Omit<
  SimulationOptions,
  | 'users'
  | 'initialItems'
  | 'newItemsPerDay'
  | 'requestsPerDay'
  | 'trainDays'
  | 'calibrationDays'
  | 'evalDays'
  | 'warmupDays'
  | 'itemBuckets'
> = {
  candidatesRetrieved: 20,
  impressionsPerRequest: 10,
  initialItemAgeDays: 365,
  startTime: Date.UTC(2025, 0, 1) / 1000,
  latentDim: 16,
  categories: 24,
  itemSpread: 0.8,
  userSpread: 0.8,
  contentNoise: 1,
  categoryNoise: 0.1,
  qualityStd: 0.6,
  qualityVisibility: 0,
  actionStd: 0.5,
  userWeight: 2.5,
  queryWeight: 1.5,
  positionDecay: 0.5,
  bias: { gridClick: -2.4, save: -2.6, click: -2.2 },
  retrieval: { content: 0.55, engagement: 0.35, fresh: 0.1 },
  poolSize: 64,
  freshWindowDays: 14,
  engagementBuffer: 2048,
  policy: { similarity: 2, ctr: 1, popularity: 0.3, noise: 0.5 },
  historySmoothing: 20,
  oracleRequestsPerDay: 0,
  propensitySamples: 256,
  oracleWindows: ['train', 'calibration', 'eval'],
};

/**
 * The presets: `tiny` (tests, well under a second), `demo` (`npm start`: ~63k impressions, the
 * paper's 27/1/3-day windows, trains a small DCNv2 + MMoE in seconds per variant; ~24,000 probe
 * requests for evaluation against the truth; ν = 0.3) and `paper` (the same windows at 10× the
 * traffic, ν = 0.3, no probes).
 */
export const SIMULATION_PRESETS: Readonly<Record<SimulationPreset, SimulationOptions>> = {
  tiny: {
    ...base,
    users: 150,
    initialItems: 300,
    newItemsPerDay: 10,
    requestsPerDay: 30,
    candidatesRetrieved: 12,
    impressionsPerRequest: 6,
    trainDays: 5,
    calibrationDays: 1,
    evalDays: 2,
    warmupDays: 7,
    itemBuckets: 8192,
  },
  demo: {
    ...base,
    users: 2000,
    initialItems: 2500,
    newItemsPerDay: 25,
    requestsPerDay: 200,
    trainDays: 27,
    calibrationDays: 1,
    evalDays: 3,
    warmupDays: 28,
    itemBuckets: 8192,
    qualityVisibility: 0.3,
    oracleRequestsPerDay: 7000,
    oracleCalibrationRequestsPerDay: 3000,
  },
  paper: {
    ...base,
    users: 20_000,
    initialItems: 20_000,
    newItemsPerDay: 250,
    requestsPerDay: 2000,
    trainDays: 27,
    calibrationDays: 1,
    evalDays: 3,
    warmupDays: 28,
    itemBuckets: 65_536,
    qualityVisibility: 0.3,
    oracleWindows: ['calibration', 'eval'],
  },
};
