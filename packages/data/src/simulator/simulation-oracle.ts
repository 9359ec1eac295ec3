import type { ModelSpec } from '@thaw/spec';
import type { Rng } from '@thaw/tensor';
import type { FeatureFrame } from '../frame/feature-frame.js';
import { FrameBuilder } from '../frame/frame-builder.js';
import type { HistoryState } from '../history/history-state.js';
import type { FrameSplit } from '../split/frame-split.js';
import { SIMULATED_TASKS } from './engagement.js';
import { topKPropensity } from './logging-policy.js';
import type { SimulatedItems } from './simulated-items.js';
import type { SimulatedWorld } from './world.js';

/**
 * The simulator's ground truth for evaluation: **every retrieved candidate** of every kept request
 * (real requests of `options.oracleWindows`, plus the probe requests), with the features a model
 * would see, the position-free true probabilities and the logging policy's propensities. Kept
 * apart from `Simulation.frame`, which stays exactly what a real team would log.
 *
 * Row `r` of every column describes the same candidate; a request's candidates are consecutive,
 * in retrieval order.
 */
export interface SimulationOracle {
  /**
   * The candidates as a frame laid out for the simulation's spec: features **as of the request**
   * (the same values a shown row of that request has), `requestId` (a real request keeps its
   * frame id; probe requests get ids after the last real one), `userId`, `itemId`, times, as-of
   * `itemHistory`. `truth[task]` = p*_t, the position-free true probability (examination = 1, no
   * sampling). `labels[task]` = the logged label on logged rows (`logged[r] = 1`), **0 on every other
   * row** — not an outcome: use `truth`.
   */
  readonly candidates: FeatureFrame;
  /** The candidates' rows by window (the simulation's windows; probes are in calibration and eval only). */
  readonly split: FrameSplit;
  /**
   * The deterministic part `a_i` of the logging policy's score (`policyBaseScores`): the policy
   * ranks the request's candidates by `a_i + w_ε·G_i`, `G_i ~ Gumbel`.
   */
  readonly policyScore: Float64Array;
  /**
   * P(shown) under the logging policy, per candidate: P(in the top `impressionsPerRequest`) of the
   * Gumbel-noise policy given the request's retrieved set and history — a Plackett–Luce top-K
   * inclusion probability with weights `exp(a_i / w_ε)`, estimated by Monte Carlo from `samples`
   * policy draws (default `options.propensitySamples`) of the simulation's own propensity stream
   * (standard error √(p(1 − p)/samples) ≤ 0.5/√samples; exactly `min(K, candidates)` per request).
   * Computed on first call (a few seconds for the demo preset), then cached per `samples`.
   * Deterministic by the simulation seed. See `topKPropensity`.
   */
  propensity(samples?: number): Float32Array;
  /**
   * The 1-based slate position the logging policy gave the candidate — for a real request where
   * it was shown; for a probe, where the policy's own draw would have put it (never shown) — and
   * 0 when it fell outside the top `impressionsPerRequest`.
   */
  readonly position: Int32Array;
  /** 1 when the candidate was shown and logged: it is row `frameRow[r]` of `Simulation.frame`. */
  readonly logged: Uint8Array;
  /** Row of `Simulation.frame` of a logged candidate, −1 otherwise. */
  readonly frameRow: Int32Array;
  /** 1 for a candidate of a probe request. */
  readonly probe: Uint8Array;
  /** The request's query item (world item index; `candidates.features.query_content` is its content). */
  readonly queryItem: Int32Array;
  /** Number of real and probe requests kept, per window. */
  readonly requests: Readonly<Record<'train' | 'calibration' | 'eval', { readonly real: number; readonly probe: number }>>;
}

/** One request's candidates, what the oracle records for it. */
export interface OracleRequest {
  readonly requestId: number;
  readonly user: number;
  readonly query: number;
  readonly time: number;
  readonly candidates: readonly number[];
  /** p*_t per candidate, 3 per candidate in task order. */
  readonly truth: Float64Array;
  readonly policyScore: Float64Array;
  /** 1-based policy position per candidate, 0 outside the top K. */
  readonly position: Int32Array;
  /** Frame row per candidate (−1 = not logged) and its logged labels (3 per candidate). */
  readonly frameRow?: Int32Array;
  readonly labels?: Uint8Array;
  readonly probe: boolean;
}

/** Appends oracle requests into the candidates frame and its columns. */
export class OracleBuilder {
  private readonly builder: FrameBuilder;
  private readonly policyScore: number[] = [];
  private readonly position: number[] = [];
  private readonly frameRow: number[] = [];
  private readonly logged: number[] = [];
  private readonly probe: number[] = [];
  private readonly queryItem: number[] = [];

  constructor(
    spec: ModelSpec,
    private readonly world: SimulatedWorld,
    private readonly itemFeatures: SimulatedItems,
    capacity: number,
  ) {
    this.builder = new FrameBuilder(spec, { truth: true, itemHistory: true, capacity: Math.max(16, capacity) });
  }

  /** Writes one request's candidates with features as of `request.time` (history and user profile as given). */
  add(request: OracleRequest, items: HistoryState, profile: Float64Array): void {
    const { builder, world } = this;
    const d = world.d;
    request.candidates.forEach((item, i) => {
      const r = builder.addRow();
      builder.setMeta(r, {
        requestId: request.requestId,
        itemId: item,
        userId: request.user,
        timestamp: request.time,
        itemCreatedAt: world.itemCreatedAt[item] as number,
      });
      this.itemFeatures.write(builder, r, item, request.time, items);
      builder.setDense('user_history', r, profile);
      builder.setDense('query_content', r, world.itemContent, request.query * d);
      const row = request.frameRow?.[i] ?? -1;
      SIMULATED_TASKS.forEach((task, k) => {
        builder.setTruth(task, r, request.truth[3 * i + k] as number);
        builder.setLabel(task, r, row >= 0 ? (request.labels?.[3 * i + k] as number) : 0);
      });
      builder.setHistory(r, items.count(item), items.positivesOf(item, 0));
      this.policyScore.push(request.policyScore[i] as number);
      this.position.push(request.position[i] as number);
      this.frameRow.push(row);
      this.logged.push(row >= 0 ? 1 : 0);
      this.probe.push(request.probe ? 1 : 0);
      this.queryItem.push(request.query);
    });
  }

  /**
   * The oracle: probe request ids (given as −1 − ordinal while building) become `realRequests +
   * ordinal`, so every id is unique and probes follow the real requests.
   */
  build(
    realRequests: number,
    split: (candidates: FeatureFrame) => FrameSplit,
  ): Omit<SimulationOracle, 'requests' | 'propensity'> {
    const candidates = this.builder.build();
    for (let r = 0; r < candidates.size; r++) {
      const id = candidates.requestId[r] as number;
      if (id < 0) candidates.requestId[r] = realRequests + (-1 - id);
    }
    return {
      candidates,
      split: split(candidates),
      policyScore: Float64Array.from(this.policyScore),
      position: Int32Array.from(this.position),
      logged: Uint8Array.from(this.logged),
      frameRow: Int32Array.from(this.frameRow),
      probe: Uint8Array.from(this.probe),
      queryItem: Int32Array.from(this.queryItem),
    };
  }
}

/**
 * Monte Carlo top-K propensities of every candidate row, request by request (a request's rows are
 * consecutive): one `topKPropensity` per request with `samples` draws from `rng`, in row order.
 */
export function candidatePropensities(
  requestId: Int32Array,
  policyScore: Float64Array,
  noise: number,
  k: number,
  samples: number,
  rng: Rng,
): Float32Array {
  const out = new Float32Array(requestId.length);
  for (let start = 0; start < requestId.length; ) {
    let end = start + 1;
    while (end < requestId.length && requestId[end] === requestId[start]) end++;
    out.set(topKPropensity(policyScore.subarray(start, end), noise, k, samples, rng), start);
    start = end;
  }
  return out;
}
