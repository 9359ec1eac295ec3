import { utilityScores } from '@thaw/model';
import { createTensor, referenceOps } from '@thaw/tensor';
import { type FeatureFrame, SECONDS_PER_DAY } from '../../frame/feature-frame.js';
import { FrameBuilder } from '../../frame/frame-builder.js';
import {
  engagementFromUniforms,
  engagementProbabilities,
  examinationProbability,
  SIMULATED_TASKS,
  trueProbabilities,
} from '../engagement.js';
import { retrieveCandidates } from '../retrieve.js';
import type { SimulationHistory } from '../simulation-history.js';
import { keyedRng, keyedUniform } from './keyed-uniform.js';
import type { OnlineArm, OnlineEnvironment } from './online-environment.js';
import { type DayMetrics, emptyDayMetrics, positionBucket, type TaskCounts } from './online-metrics.js';
import { catalogueAt, ONLINE_STREAMS, type OnlineRequest } from './traffic.js';

/** The candidates of the requests of one feature-refresh period, ready to be ranked. */
export interface CandidateChunk {
  readonly requests: readonly OnlineRequest[];
  /** Candidate items, request after request, each request's in retrieval order. */
  readonly items: Int32Array;
  /** Request `j`'s candidates are `items[offsets[j] … offsets[j + 1])` (length `requests.length + 1`). */
  readonly offsets: Int32Array;
  /** 1 = the candidate is fresh at its request (created within `freshDays`). */
  readonly fresh: Uint8Array;
  /**
   * The candidates as frame rows in the spec's layout — row `r` is candidate `r` — with the
   * features **as of the refresh** (item history, user profile) and `item_age` at the request.
   * Labels are 0. Built on first call.
   */
  frame(): FeatureFrame;
}

/** Scores every candidate of a chunk (higher = shown first; ties keep retrieval order). */
export type Ranker = (chunk: CandidateChunk) => Promise<ArrayLike<number>> | ArrayLike<number>;

/** One arm's A/B day: metrics, what it showed and what it logged. */
export interface ArmDay {
  readonly metrics: DayMetrics;
  /** Items shown, request after request in time order, positions 1…depth each — enough to replay the day. */
  readonly slates: Int32Array;
  /** The impressions logged (request after request, in slate order) with the features the model ranked with and the labels drawn. */
  readonly log: FeatureFrame;
}

/** How a day is ranked: live by a ranker, or replayed from the slates an earlier run stored. */
export type DaySource = { readonly ranker: Ranker } | { readonly slates: Int32Array };

/**
 * The slate order of one request's candidates `scores[from … to)`: indices relative to `from`,
 * highest score first, ties in retrieval order.
 *
 * @throws RangeError for a NaN score.
 * @example `rankCandidates([0.2, 0.9, 0.2], 0, 3) // [1, 0, 2]`
 */
export function rankCandidates(scores: ArrayLike<number>, from: number, to: number): number[] {
  const order = Array.from({ length: to - from }, (_, i) => i);
  for (const i of order) {
    const s = scores[from + i] as number;
    if (Number.isNaN(s)) throw new RangeError(`serveDay: the ranker scored candidate ${from + i} NaN`);
  }
  return order.sort((a, b) => (scores[from + b] as number) - (scores[from + a] as number) || a - b);
}

/**
 * The candidate chunk of `requests` (one feature-refresh period) for a surface whose memory is
 * `history`: each request's candidates retrieved with its own keyed generator (the engagement
 * source reads `history`'s recent grid-clicks), their fresh flags, and — built on demand — the
 * feature rows as of now (item history and user profiles from `history`).
 */
export function retrieveChunk(
  env: OnlineEnvironment,
  history: SimulationHistory,
  requests: readonly OnlineRequest[],
): CandidateChunk & { writeRows(builder: FrameBuilder, j: number, shown: readonly number[]): number[] } {
  const { world, options, retrieval, spec, itemFeatures } = env;
  const candidateLists = requests.map((request) => {
    const catalogue = catalogueAt(world, request.time, retrieval.freshWindowDays);
    const rng = keyedRng(env.seed, ONLINE_STREAMS.retrieval, request.id);
    const state = { ...catalogue, engaged: history.engaged, engagedCount: history.engagedCount };
    return retrieveCandidates(world, retrieval, state, rng, request.query);
  });
  const offsets = new Int32Array(requests.length + 1);
  candidateLists.forEach((list, j) => {
    offsets[j + 1] = (offsets[j] as number) + list.length;
  });
  const items = Int32Array.from(candidateLists.flat());
  const fresh = new Uint8Array(items.length);
  const freshLimit = options.freshDays * SECONDS_PER_DAY;
  requests.forEach((request, j) => {
    for (let r = offsets[j] as number; r < (offsets[j + 1] as number); r++) {
      fresh[r] = request.time - (world.itemCreatedAt[items[r] as number] as number) < freshLimit ? 1 : 0;
    }
  });
  const profile = new Float64Array(world.d);
  const writeRows = (builder: FrameBuilder, j: number, shown: readonly number[]) => {
    const request = requests[j] as OnlineRequest;
    history.users.writeProfile(request.user, profile, 0);
    const meta = { requestId: request.id, user: request.user, query: request.query, time: request.time };
    return shown.map((item) => {
      const r = builder.addRow();
      itemFeatures.writeCandidate(builder, r, meta, item, history.items, profile);
      return r;
    });
  };
  let built: FeatureFrame | undefined;
  return {
    requests,
    items,
    offsets,
    fresh,
    writeRows,
    frame: () => {
      if (!built) {
        const builder = new FrameBuilder(spec, { capacity: items.length + 16 });
        requests.forEach((_, j) => {
          writeRows(builder, j, Array.from(items.subarray(offsets[j] as number, offsets[j + 1] as number)));
        });
        built = builder.build();
      }
      return built;
    },
  };
}

/**
 * Serves A/B day `day` to one arm: for each feature-refresh period (`refreshHours`) the arm
 * retrieves every request's candidates (its own recent grid-clicks feed the engagement source),
 * ranks them (`source.ranker`, or the stored `source.slates` of a replay), shows each request the
 * top `depth` (its scroll depth, ≤ the candidates retrieved), and draws the outcomes: a shown item
 * at 1-based position `k` is grid-clicked when `U_g < e_k·p*_g`, saved / clicked after a
 * grid-click when `U_s < P(save | g)` / `U_c < P(click | g)`, with `U` keyed by (request, item,
 * task) — the same item at the same position of the same request draws the same outcome in every
 * arm. At the end of the period the outcomes enter the arm's memory (its history features, user
 * profiles and retrieval), so the next period ranks with them.
 *
 * @throws RangeError when the ranker returns the wrong number of scores or a NaN, or when a
 * replay's slates do not match the candidates (the replayed state diverged).
 */
export async function serveDay(
  env: OnlineEnvironment,
  arm: OnlineArm,
  day: number,
  source: DaySource,
  requests: readonly OnlineRequest[] = env.dayRequests(day),
): Promise<ArmDay> {
  const { world, options, retrieval, spec } = env;
  const { history } = arm;
  const metrics = emptyDayMetrics(day);
  const expectedImpressions = requests.reduce((n, r) => n + r.depth, 0);
  const log = new FrameBuilder(spec, { capacity: expectedImpressions + 16 });
  const slates = new Int32Array(expectedImpressions);
  let shownSoFar = 0;
  const period = options.refreshHours * 3600;
  const dayStart = env.start + day * SECONDS_PER_DAY;
  /** The true utility of each candidate of a request: eq 12 (`utilityScores` of `@thaw/model`) of its `p*`. */
  const values = (user: number, query: number, candidates: ArrayLike<number>): Float64Array => {
    const truth = new Float64Array(candidates.length * 3);
    for (let i = 0; i < candidates.length; i++) {
      truth.set(trueProbabilities(engagementProbabilities(world, retrieval, user, query, candidates[i] as number)), 3 * i);
    }
    return utilityScores(referenceOps, options.utility, createTensor('float64', truth, [candidates.length, 3]))
      .data as Float64Array;
  };

  for (let first = 0; first < requests.length; ) {
    const refresh = Math.floor(((requests[first] as OnlineRequest).time - dayStart) / period);
    let end = first + 1;
    while (end < requests.length && Math.floor(((requests[end] as OnlineRequest).time - dayStart) / period) === refresh) end++;
    const chunkRequests = requests.slice(first, end);
    first = end;

    // Retrieval and features with the arm's memory as of the refresh.
    const chunk = retrieveChunk(env, history, chunkRequests);
    const { items, offsets, fresh } = chunk;

    // Ranking: live, or the stored slates of a replay.
    let orderOf: (j: number) => number[];
    if ('ranker' in source) {
      const scores = await source.ranker(chunk);
      if (scores.length !== items.length) {
        throw new RangeError(`serveDay: the ranker returned ${scores.length} scores for ${items.length} candidates`);
      }
      orderOf = (j) => rankCandidates(scores, offsets[j] as number, offsets[j + 1] as number);
    } else {
      orderOf = (j) => {
        const from = offsets[j] as number;
        const list = Array.from(items.subarray(from, offsets[j + 1] as number));
        const depth = Math.min((chunkRequests[j] as OnlineRequest).depth, list.length);
        const stored = source.slates.subarray(shownSoFar, shownSoFar + depth);
        const order = Array.from(stored, (item) => list.indexOf(item));
        if (stored.length !== depth || order.some((i) => i < 0)) {
          throw new RangeError(
            `serveDay: replay of day ${day} diverged at request ${(chunkRequests[j] as OnlineRequest).id}: its stored slate is not among its candidates`,
          );
        }
        return order;
      };
    }

    // Show, draw the outcomes, log, count.
    const outcomes: { user: number; item: number; labels: [number, number, number] }[] = [];
    chunkRequests.forEach((request, j) => {
      const from = offsets[j] as number;
      const count = (offsets[j + 1] as number) - from;
      const order = orderOf(j);
      const depth = Math.min(request.depth, count);
      const shown = order.slice(0, depth).map((i) => items[from + i] as number);
      const rows = chunk.writeRows(log, j, shown);
      const utility = values(request.user, request.query, items.subarray(from, from + count));
      const best = Array.from(utility).sort((a, b) => b - a);
      metrics.requests++;
      shown.forEach((item, k) => {
        const position = k + 1;
        const examined = examinationProbability(position, retrieval.positionDecay);
        const p = engagementProbabilities(world, retrieval, request.user, request.query, item);
        const uniforms = SIMULATED_TASKS.map((_, t) => keyedUniform(env.seed, ONLINE_STREAMS.engagement, request.id, item, t));
        const { labels } = engagementFromUniforms(p, examined, uniforms);
        const isFresh = fresh[from + (order[k] as number)] === 1;
        SIMULATED_TASKS.forEach((task, t) => {
          log.setLabel(task, rows[k] as number, labels[t] as number);
        });
        const bucket = positionBucket(position);
        metrics.impressions++;
        metrics.positions.impressions[bucket] = (metrics.positions.impressions[bucket] as number) + 1;
        if (isFresh) {
          metrics.freshImpressions++;
          arm.fresh.add(item, labels);
        }
        const { all, fresh: freshCounts } = metrics.engagements;
        const atBucket = metrics.positions.engagements[bucket] as TaskCounts;
        for (let t = 0; t < 3; t++) {
          const y = labels[t] as number;
          all[t] = (all[t] as number) + y;
          if (isFresh) freshCounts[t] = (freshCounts[t] as number) + y;
          atBucket[t] = (atBucket[t] as number) + y;
        }
        metrics.utility += examined * (utility[order[k] as number] as number);
        metrics.bestUtility += examined * (best[k] as number);
        slates[shownSoFar++] = item;
        outcomes.push({ user: request.user, item, labels });
      });
    });
    // The period is over: its outcomes become history.
    for (const o of outcomes) history.record(o.user, o.item, o.labels);
  }
  return { metrics, slates: slates.slice(0, shownSoFar), log: log.build() };
}
