import { resolveSimulationOptions, type SimulationInput } from '../resolve-options.js';
import type { SimulationOptions } from '../simulation-options.js';

/**
 * The knobs of an online A/B environment (`createOnlineEnvironment`): the world and its warm-up,
 * then the A/B traffic — how many requests, how deep the feed, how far users scroll, how often
 * the features refresh.
 */
export interface OnlineOptions {
  /**
   * The world and its warm-up log: a simulator preset or a preset with overrides. Its warm-up,
   * training and calibration days are simulated with the logging policy (the warm-up log the
   * initial models train on); its `evalDays` is replaced by `days` (item arrivals continue through
   * the A/B days), and no oracle probe requests are drawn in any window.
   */
  readonly world: SimulationInput;
  /** A/B days simulated after the warm-up (run past 28 so fresh items age out). */
  readonly days: number;
  /** Mean A/B requests per day (Poisson), the same in every arm. */
  readonly requestsPerDay: number;
  /** Candidates retrieved and ranked per request: the feed's length (≥ 100 fills Table 5's buckets). */
  readonly candidates: number;
  /** Items scored by each retrieval source per request (should exceed `candidates`). */
  readonly poolSize: number;
  /**
   * Scroll depth: positions a user views, `⌈exp(N(ln median, spread²))⌉` clamped to [1,
   * `candidates`] — a log-normal with median `scrollMedian` and log-sd `scrollSpread`, the same
   * for a request in every arm. Every viewed position is an impression.
   */
  readonly scrollMedian: number;
  readonly scrollSpread: number;
  /**
   * Hours between feature refreshes: the model ranks with item history and user profiles as of
   * the last refresh (a batch feature pipeline), and logs the features it ranked with. 24 divides
   * by it.
   */
  readonly refreshHours: number;
  /** Requests of the pilot (drawn at the A/B start from their own stream; ranked, never shown). */
  readonly pilotRequests: number;
  /** Fresh = created within this many days at the request (the spec's `coldStart.coldDays`; paper 28). */
  readonly freshDays: number;
  /** eq 12 weights of grid-click, save, click for the oracle utility of a slate. */
  readonly utility: readonly [number, number, number];
}

/** Names of the built-in online presets. */
export type OnlinePreset = 'tiny' | 'demo';

const base = {
  poolSize: 256,
  scrollMedian: 12,
  scrollSpread: 1,
  refreshHours: 1,
  freshDays: 28,
  utility: [1, 1, 0.5] as const,
};

/**
 * The presets: `tiny` (tests: the tiny world, 8 days, 30 candidates, hourly refresh) and `demo`
 * (the demo world: 30 A/B days after its 28 warm-up + 27 training + 1 calibration days, 100
 * requests a day, 100 candidates, median scroll 12 positions, features refreshed every 2 hours).
 */
export const ONLINE_PRESETS: Readonly<Record<OnlinePreset, OnlineOptions>> = {
  tiny: {
    ...base,
    world: 'tiny',
    days: 8,
    requestsPerDay: 16,
    candidates: 30,
    poolSize: 64,
    scrollMedian: 6,
    pilotRequests: 40,
  },
  demo: {
    ...base,
    world: 'demo',
    days: 30,
    requestsPerDay: 100,
    candidates: 100,
    refreshHours: 2,
    pilotRequests: 400,
  },
};

/** An online preset name, or a preset plus overrides. */
export type OnlineInput = OnlinePreset | (Partial<OnlineOptions> & { readonly preset?: OnlinePreset });

/** Resolved options: the online knobs and the world's simulator options. */
export interface ResolvedOnlineOptions extends OnlineOptions {
  /** The world's options, as its warm-up is simulated: `evalDays` = `days`, no oracle requests. */
  readonly simulation: SimulationOptions;
}

/**
 * Merges an online preset (default `demo`) with overrides and checks every value.
 *
 * @throws RangeError naming the option, its value and what is allowed.
 * @example `resolveOnlineOptions({ preset: 'tiny', days: 3 }).days // 3`
 */
export function resolveOnlineOptions(input: OnlineInput = 'demo'): ResolvedOnlineOptions {
  const { preset = 'demo', ...overrides } = typeof input === 'string' ? { preset: input } : input;
  const presetOptions = ONLINE_PRESETS[preset as OnlinePreset];
  if (!presetOptions) {
    throw new RangeError(
      `online: preset must be one of ${Object.keys(ONLINE_PRESETS).join(', ')} (got ${JSON.stringify(preset)})`,
    );
  }
  const options: OnlineOptions = { ...presetOptions, ...overrides };
  const fail = (key: string, what: string, value: unknown): never => {
    throw new RangeError(`online: options.${key} must be ${what} (got ${JSON.stringify(value)})`);
  };
  const integer = (key: keyof OnlineOptions, min: number) => {
    const v = options[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) fail(key, `an integer ≥ ${min}`, v);
  };
  integer('days', 1);
  integer('candidates', 2);
  integer('poolSize', 1);
  integer('pilotRequests', 0);
  for (const key of ['requestsPerDay', 'scrollSpread'] as const) {
    const v = options[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(key, 'a finite number ≥ 0', v);
  }
  for (const key of ['scrollMedian', 'freshDays'] as const) {
    const v = options[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(key, 'a finite number > 0', v);
  }
  const hours = options.refreshHours;
  if (!(typeof hours === 'number' && hours > 0 && Number.isInteger(24 / hours))) {
    fail('refreshHours', 'a number of hours that divides 24 (1, 2, 3, 4, 6, 8, 12, 24, 0.5 …)', hours);
  }
  const u = options.utility;
  if (!Array.isArray(u) || u.length !== 3 || !u.every((w) => Number.isFinite(w) && w >= 0)) {
    fail('utility', 'three finite weights ≥ 0 (grid-click, save, click)', u);
  }
  const worldInput = typeof options.world === 'string' ? { preset: options.world } : options.world;
  const simulation = resolveSimulationOptions({
    ...worldInput,
    evalDays: options.days,
    oracleRequestsPerDay: 0,
    oracleCalibrationRequestsPerDay: 0,
    oracleWindows: [],
  });
  if (simulation.initialItems <= options.candidates) {
    fail('candidates', `< the world's initial catalogue (${simulation.initialItems} items)`, options.candidates);
  }
  return { ...options, simulation };
}
