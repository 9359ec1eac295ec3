import type { ModelSpec } from '@thaw/spec';
import { SECONDS_PER_DAY } from '../../frame/feature-frame.js';
import { type Simulation, simulate } from '../simulate.js';
import { SimulatedItems } from '../simulated-items.js';
import { replayImpressions, SimulationHistory } from '../simulation-history.js';
import type { SimulationOptions } from '../simulation-options.js';
import type { SimulatedWorld } from '../world.js';
import { FreshItemCounters } from './online-metrics.js';
import { type OnlineInput, type ResolvedOnlineOptions, resolveOnlineOptions } from './online-options.js';
import { dayRequests, type OnlineRequest, pilotRequests, type TrafficSource } from './traffic.js';

/**
 * One arm of an online A/B test: its own copy of the surface's memory (item tallies, user
 * profiles, recent grid-clicks), grown from its own impressions only, and its per-item counters.
 */
export interface OnlineArm {
  readonly history: SimulationHistory;
  readonly fresh: FreshItemCounters;
}

/**
 * A world for online A/B tests in simulation: the warm-up (the simulator's logging policy over
 * its warm-up, training and calibration days — the log the initial models train on), the state
 * of the surface at the end of it, and the A/B traffic that every arm shares.
 */
export interface OnlineEnvironment extends TrafficSource {
  /** The warm-up simulation: `frame`/`split` (train, calibration) train the initial models. Its eval window is unused. */
  readonly warmup: Simulation;
  readonly spec: ModelSpec;
  readonly world: SimulatedWorld;
  /** The world's options with the A/B retrieval (`candidatesRetrieved` = `candidates`, `poolSize`). */
  readonly retrieval: SimulationOptions;
  readonly itemFeatures: SimulatedItems;
  /** The surface's memory at the A/B start (do not record into it: arms take clones). */
  readonly startHistory: SimulationHistory;
  /** A new arm starting from the warm-up state. */
  newArm(): OnlineArm;
  /** The requests of A/B day `day` (shared by every arm). */
  dayRequests(day: number): OnlineRequest[];
  /** The pilot requests (ranked at the A/B start, never shown). */
  pilotRequests(): OnlineRequest[];
}

/**
 * Creates the online environment of world `seed`: simulates the warm-up, replays its impressions
 * into the surface's memory as of the A/B start (the end of the calibration day), and freezes the
 * grid-clicks of that moment as the query source.
 *
 * Random streams: the world and the warm-up are exactly `simulate(options.simulation, seed)`'s;
 * the A/B traffic, the pilot, each request's retrieval and each engagement draw use generators
 * keyed by the seed (`keyedRng` / `keyedUniform`), so no arm's choices move another's draws.
 *
 * @throws RangeError for an invalid option.
 * @example
 * ```ts
 * const env = createOnlineEnvironment('tiny', 1);
 * const control = env.newArm();
 * const day = await serveDay(env, control, 0, (chunk) => contentScores(chunk));
 * ```
 */
export function createOnlineEnvironment(input: OnlineInput, seed: number): OnlineEnvironment {
  const options: ResolvedOnlineOptions = resolveOnlineOptions(input);
  const warmup = simulate(options.simulation, seed);
  const sim = warmup.options;
  const start = sim.startTime + (sim.trainDays + sim.calibrationDays) * SECONDS_PER_DAY;
  const startHistory = new SimulationHistory(warmup.world, sim);
  replayImpressions(startHistory, warmup.impressions, start);
  const queryPool = startHistory.engaged.slice(0, startHistory.engagedCount);
  const itemFeatures = new SimulatedItems(warmup.world, sim.itemBuckets, sim.historySmoothing);
  const env: OnlineEnvironment = {
    options,
    seed,
    start,
    queryPool,
    warmup,
    spec: warmup.spec,
    world: warmup.world,
    retrieval: { ...sim, candidatesRetrieved: options.candidates, poolSize: options.poolSize },
    itemFeatures,
    startHistory,
    newArm: () => ({ history: startHistory.clone(), fresh: new FreshItemCounters(warmup.world.itemCount) }),
    dayRequests: (day) => dayRequests(env, day),
    pilotRequests: () => pilotRequests(env),
  };
  return env;
}
