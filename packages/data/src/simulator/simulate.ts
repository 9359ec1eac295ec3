import type { ModelSpec } from '@thaw/spec';
import { createRng } from '@thaw/tensor';
import { type FeatureFrame, SECONDS_PER_DAY } from '../frame/feature-frame.js';
import { FrameBuilder } from '../frame/frame-builder.js';
import type { ItemSnapshot } from '../snapshot/item-snapshot.js';
import type { FrameSplit } from '../split/frame-split.js';
import { temporalSplit } from '../split/temporal-split.js';
import {
  drawEngagement,
  type EngagementProbabilities,
  engagementProbabilities,
  examinationProbability,
  SIMULATED_TASKS,
  trueProbabilities,
} from './engagement.js';
import { drawPolicyRanking, policyBaseScores } from './logging-policy.js';
import { pickQuery } from './pick-query.js';
import { resolveSimulationOptions, type SimulationInput } from './resolve-options.js';
import { retrieveCandidates } from './retrieve.js';
import { drawCumulative, poisson } from './sampling.js';
import { type ImpressionLog, SimulatedItems } from './simulated-items.js';
import { SimulationHistory } from './simulation-history.js';
import type { OracleWindow, SimulationOptions } from './simulation-options.js';
import { candidatePropensities, OracleBuilder, type SimulationOracle } from './simulation-oracle.js';
import { simulatorSpec } from './simulator-spec.js';
import { createWorld, type SimulatedWorld } from './world.js';

/** The result of {@link simulate}. */
export interface Simulation {
  /**
   * Impressions of the emitted days (warm-up excluded): what a real team would log. `truth[task]`
   * is the probability the row's label was drawn with — e_k · p*_t, **examination of the logged
   * position included**; the position-free truth of every retrieved candidate is in `oracle`.
   */
  readonly frame: FeatureFrame;
  /** The spec matching the frame's features (`demoSpec` for the default options). */
  readonly spec: ModelSpec;
  /** The temporal split on the simulated windows (train / calibration / eval days). */
  readonly split: FrameSplit;
  /** Ground truth for evaluation: every retrieved candidate, p*, propensities, probe requests. Never a training input. */
  readonly oracle: SimulationOracle;
  /** The latent world (for the engagement model: `engagementProbabilities(world, options, …)`). */
  readonly world: SimulatedWorld;
  readonly options: SimulationOptions;
  readonly seed: number;
  /**
   * Every impression of the run — **warm-up included**, which the frame leaves out — in time
   * order with its user and labels: what the surface's history is made of. Replaying it into a
   * `SimulationHistory` (`replayImpressions`) rebuilds the item tallies, user profiles and recent
   * grid-clicks as of any time (the start of an online A/B test).
   */
  readonly impressions: ImpressionLog;
  /**
   * The item-source features of every item as of `asOf` (seconds since the epoch) — for the
   * serving items table at the end of training, e.g. `itemSnapshot(split.windows.calibration.end)`:
   * every item created strictly before `asOf`; `item_stats` from every impression strictly before
   * `asOf` (warm-up included, the same tallies as the frame's rows); `item_age` at `asOf`;
   * `item_id`, `item_content`, `item_category` as in the frame. Keys are `String(itemId)`.
   *
   * @throws RangeError when `asOf` is not a finite number.
   */
  itemSnapshot(asOf: number): ItemSnapshot;
}

interface Shown {
  item: number;
  truth: [number, number, number];
  labels: [number, number, number];
}

/**
 * Simulates a Related-Pins-like "related items" surface with a known ground truth (the generative
 * process and its equations are in the package README): latent users and items, items created
 * continuously, a three-source retrieval stage that includes fresh items, a logging policy that
 * favours items with history (exposure bias), position-dependent examination, three tasks
 * (grid-click, save, click) and as-of historical features. `oracle` keeps every retrieved
 * candidate with its position-free true probabilities and propensity, plus probe requests.
 *
 * Random streams (forks of `createRng(seed)`): 1 the world, 2 the logged traffic, 3 the seed of
 * the propensity estimates, 4 the probe requests — so probes and propensities never change the log.
 * Deterministic by `seed`. Presets: `tiny` (tests), `demo` (`npm start`), `paper`.
 *
 * @throws RangeError for an unknown preset or an invalid option.
 * @example
 * ```ts
 * const { frame, spec, split, oracle } = simulate('tiny', 1);
 * split.rows.train.length;       // training impressions
 * oracle.candidates.truth?.save; // p*_save of every retrieved candidate
 * ```
 */
export function simulate(input: SimulationInput = 'demo', seed = 0): Simulation {
  const options = resolveSimulationOptions(input);
  const root = createRng(seed);
  const world = createWorld(options, root.fork(1));
  const rng = root.fork(2);
  const propensitySeed = root.fork(3).int(2 ** 31);
  const probeRng = root.fork(4);
  const spec = simulatorSpec(options);
  const d = world.d;
  const K = options.impressionsPerRequest;
  const D = SECONDS_PER_DAY;
  const emittedDays = options.trainDays + options.calibrationDays + options.evalDays;
  const builder = new FrameBuilder(spec, {
    truth: true,
    itemHistory: true,
    capacity: Math.ceil(emittedDays * options.requestsPerDay * K * 1.1) + 16,
  });
  const history = new SimulationHistory(world, options);
  const { items, users } = history;
  const itemFeatures = new SimulatedItems(world, options.itemBuckets, options.historySmoothing);
  const kept = new Set<OracleWindow>(options.oracleWindows);
  const oracle = new OracleBuilder(
    spec,
    world,
    itemFeatures,
    Math.ceil(
      ((kept.has('train') ? options.trainDays : 0) * options.requestsPerDay +
        (kept.has('calibration') ? options.calibrationDays : 0) * options.requestsPerDay +
        (kept.has('eval') ? options.evalDays : 0) * options.requestsPerDay +
        options.calibrationDays * (options.oracleCalibrationRequestsPerDay ?? options.oracleRequestsPerDay) +
        options.evalDays * options.oracleRequestsPerDay) *
        options.candidatesRetrieved *
        1.1,
    ),
  );
  const log = { time: [] as number[], user: [] as number[], item: [] as number[], labels: [] as number[] };
  const stats = new Float64Array(items.statsWidth);
  const profile = new Float64Array(d);
  const engaged = history.engaged;
  let pending: { user: number; shown: Shown[] }[] = [];
  let lastTime = Number.NEGATIVE_INFINITY;
  let existing = 0;
  let freshStart = 0;
  let requestId = 0;
  let probes = 0;
  const requests = { train: { real: 0, probe: 0 }, calibration: { real: 0, probe: 0 }, eval: { real: 0, probe: 0 } };
  const trainEnd = options.startTime + options.trainDays * D;
  const calibrationEnd = trainEnd + options.calibrationDays * D;
  const evalEnd = calibrationEnd + options.evalDays * D;
  const windowOf = (t: number): OracleWindow | undefined =>
    t < options.startTime
      ? undefined
      : t < trainEnd
        ? 'train'
        : t < calibrationEnd
          ? 'calibration'
          : t < evalEnd
            ? 'eval'
            : undefined;

  const flush = () => {
    for (const { user, shown } of pending) {
      for (const s of shown) history.record(user, s.item, s.labels);
    }
    pending = [];
  };
  /** Items existing at `t` and the start of the fresh window (both only move forward). */
  const advance = (t: number) => {
    while (existing < world.itemCount && (world.itemCreatedAt[existing] as number) <= t) existing++;
    while (freshStart < existing && (world.itemCreatedAt[freshStart] as number) < t - options.freshWindowDays * D) freshStart++;
  };
  /** Position-free truth of every candidate and the policy's score and positions. */
  const oracleColumns = (user: number, query: number, candidates: readonly number[], base: Float64Array, order: number[]) => {
    const truth = new Float64Array(3 * candidates.length);
    candidates.forEach((item, i) => {
      truth.set(trueProbabilities(engagementProbabilities(world, options, user, query, item)), 3 * i);
    });
    const position = new Int32Array(candidates.length);
    order.slice(0, K).forEach((i, k) => {
      position[i] = k + 1;
    });
    return { truth, position, policyScore: base };
  };

  /**
   * One request as of the current state: its user (by activity), query, retrieved candidates, the
   * logging policy's base scores and its drawn ranking — every draw from `random`, in this order.
   */
  const drawRequest = (random: typeof rng) => {
    const user = drawCumulative(random, world.userActivity);
    const { engagedCount } = history;
    const query = pickQuery(world, random, user, existing, engaged, engagedCount);
    const candidates = retrieveCandidates(world, options, { existing, freshStart, engaged, engagedCount }, random, query);
    const base = policyBaseScores(world, options, items, query, candidates, stats);
    const order = drawPolicyRanking(random, base, options.policy.noise);
    return { user, query, candidates, base, order };
  };

  const realRequest = (t: number) => {
    // As-of rule: events of earlier instants become history; same-instant events do not.
    if (t > lastTime) flush();
    lastTime = t;
    advance(t);
    if (existing < 2) return;
    const { user, query, candidates, base, order } = drawRequest(rng);
    const probabilities: EngagementProbabilities[] = [];
    const shown: Shown[] = order.slice(0, K).map((i, position) => {
      const item = candidates[i] as number;
      const p = engagementProbabilities(world, options, user, query, item);
      probabilities.push(p);
      return { item, ...drawEngagement(rng, p, examinationProbability(position + 1, options.positionDecay)) };
    });
    const window = windowOf(t);
    if (window !== undefined) {
      users.writeProfile(user, profile, 0);
      const rowOf = new Map<number, number>();
      for (const s of rng.shuffle([...shown])) {
        const r = builder.addRow();
        rowOf.set(s.item, r);
        const item = s.item;
        itemFeatures.writeCandidate(builder, r, { requestId, user, query, time: t }, item, items, profile);
        SIMULATED_TASKS.forEach((task, k) => {
          builder.setLabel(task, r, s.labels[k] as number);
          builder.setTruth(task, r, s.truth[k] as number);
        });
        builder.setHistory(r, items.count(item), items.positivesOf(item, 0));
      }
      if (kept.has(window)) {
        const frameRow = Int32Array.from(candidates, (item) => rowOf.get(item) ?? -1);
        const labels = new Uint8Array(3 * candidates.length);
        order.slice(0, K).forEach((i, k) => {
          labels.set((shown[k] as Shown).labels, 3 * i);
        });
        oracle.add(
          {
            requestId,
            user,
            query,
            time: t,
            candidates,
            ...oracleColumns(user, query, candidates, base, order),
            frameRow,
            labels,
            probe: false,
          },
          items,
          profile,
        );
        requests[window].real++;
      }
      requestId++;
    }
    pending.push({ user, shown });
    for (const s of shown) {
      log.time.push(t);
      log.user.push(user);
      log.item.push(s.item);
      log.labels.push(...s.labels);
    }
  };

  const probeRequest = (t: number, window: OracleWindow) => {
    // History as of t; the probe itself never enters it (nothing is pending from a probe).
    if (t > lastTime) flush();
    advance(t);
    if (existing < 2) return;
    const { user, query, candidates, base, order } = drawRequest(probeRng);
    users.writeProfile(user, profile, 0);
    oracle.add(
      {
        requestId: -1 - probes,
        user,
        query,
        time: t,
        candidates,
        ...oracleColumns(user, query, candidates, base, order),
        probe: true,
      },
      items,
      profile,
    );
    probes++;
    requests[window].probe++;
  };

  const warmStart = options.startTime - options.warmupDays * D;
  for (let day = 0; day < options.warmupDays + emittedDays; day++) {
    const times: number[] = [];
    for (let n = poisson(rng, options.requestsPerDay); n > 0; n--) times.push(warmStart + (day + rng.uniform()) * D);
    times.sort((a, b) => a - b);
    const dayWindow = windowOf(warmStart + day * D);
    const probeTimes: number[] = [];
    if (dayWindow === 'calibration' || dayWindow === 'eval') {
      const rate =
        dayWindow === 'calibration'
          ? (options.oracleCalibrationRequestsPerDay ?? options.oracleRequestsPerDay)
          : options.oracleRequestsPerDay;
      for (let n = poisson(probeRng, rate); n > 0; n--) {
        probeTimes.push(warmStart + (day + probeRng.uniform()) * D);
      }
      probeTimes.sort((a, b) => a - b);
    }
    for (let i = 0, j = 0; i < times.length || j < probeTimes.length; ) {
      if (j >= probeTimes.length || (i < times.length && (times[i] as number) <= (probeTimes[j] as number))) {
        realRequest(times[i++] as number);
      } else {
        probeRequest(probeTimes[j++] as number, dayWindow as OracleWindow);
      }
    }
  }
  const frame = builder.build();
  const windows = {
    train: { start: options.startTime, end: trainEnd },
    calibration: { start: trainEnd, end: calibrationEnd },
    eval: { start: calibrationEnd, end: evalEnd },
  };
  const split = temporalSplit(frame, { windows });
  const impressions: ImpressionLog = {
    time: Float64Array.from(log.time),
    user: Int32Array.from(log.user),
    item: Int32Array.from(log.item),
    labels: Uint8Array.from(log.labels),
  };
  const withPropensities = (built: Omit<SimulationOracle, 'requests' | 'propensity'>, counts: SimulationOracle['requests']) => {
    const cache = new Map<number, Float32Array>();
    return {
      ...built,
      requests: counts,
      propensity(samples = options.propensitySamples): Float32Array {
        let values = cache.get(samples);
        if (!values) {
          const draw = createRng(propensitySeed);
          values = candidatePropensities(built.candidates.requestId, built.policyScore, options.policy.noise, K, samples, draw);
          cache.set(samples, values);
        }
        return values;
      },
    };
  };
  return {
    frame,
    spec,
    split,
    oracle: withPropensities(
      oracle.build(requestId, (candidates) => temporalSplit(candidates, { windows })),
      requests,
    ),
    world,
    options,
    seed,
    impressions,
    itemSnapshot: (asOf: number) => itemFeatures.snapshot(spec, impressions, asOf),
  };
}
