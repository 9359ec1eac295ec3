import { join } from 'node:path';
import { utilityScores } from '@thaw/model';
import { onnxSignature, SCORE_OUTPUT, taskOutputName } from '@thaw/onnx';
import { ARTIFACT_FILES, type ModelSpec } from '@thaw/spec';
import { referenceOps } from '@thaw/tensor';
import { type Artifacts, ArtifactsError, readArtifacts } from './artifacts.js';
import { capEcho } from './echo-cap.js';
import { FeedBuilder } from './feeds.js';
import { NonFiniteScoreError } from './non-finite-score-error.js';
import {
  contextFeatures,
  type EncodedValue,
  type RankRequest,
  type RankRequestSchema,
  rankRequestSchema,
} from './rank-request.js';
import { type ScoringThreadCrashError, SessionThread } from './session-thread.js';
import { topKIndices } from './top-k.js';

/** One ranked candidate of a response. */
export interface RankedItem {
  readonly itemId: string;
  /** eq 12: `Σ_t u_t · p_t` (the request's `utility` when given, else the spec's). */
  readonly score: number;
  /** Per-task probability (Platt-calibrated when the model was exported with a calibration). */
  readonly tasks: Readonly<Record<string, number>>;
  /** Scored as a cold item: unknown to the items table, or cold in it. */
  readonly cold: boolean;
}

/** `{ name, version, specHash }` of the model being served. */
export interface ModelIdentity {
  readonly name: string;
  readonly version: string;
  readonly specHash: string;
}

/** Options of {@link ServingModel.load}. */
export interface ServingModelOptions {
  /** onnxruntime intra-op threads. */
  readonly threads: number;
  /** Let onnxruntime's intra-op threads spin while waiting for work (see `onnxSessionOptions`). Default false. */
  readonly spinWait?: boolean;
  /** The models root: the directory and its files must resolve inside it (see `readArtifacts`). */
  readonly root?: string;
  /**
   * Called when the worker thread running the session crashes (the requests in flight were
   * refused with a `ScoringThreadCrashError`, 503; a new thread is already starting): log it.
   */
  readonly onThreadCrash?: (error: ScoringThreadCrashError) => void;
}

/** Unknown items scored at load (the cold template and hashed ids), besides every items-table row. */
const UNKNOWN_PROBES = 8;
/** Items-table rows per `run` of the load-time check (bounded memory, and the event loop breathes between runs). */
const CHECK_BATCH = 2048;

/** A context of neutral values (zeros, OOV, id row 0), for the load-time check. */
function neutralContext(spec: ModelSpec): Record<string, EncodedValue> {
  const context: Record<string, EncodedValue> = {};
  for (const f of contextFeatures(spec)) {
    context[f.name] = f.kind === 'dense' ? new Float32Array(f.dim) : f.kind === 'categorical' ? f.vocabSize : 0;
  }
  return context;
}

/** The raw outputs of one `run`: the score and per-task probabilities of every candidate, in request order. */
interface Scored {
  readonly scores: Float32Array | Float64Array;
  readonly probs: readonly Float32Array[];
  readonly cold: Uint8Array;
}

/** Index of the first candidate whose score or any task probability is NaN or ±Infinity, else -1. */
function firstNonFinite({ scores, probs }: Scored): number {
  for (let i = 0; i < scores.length; i++) {
    let ok = (scores[i] as number) - (scores[i] as number) === 0;
    for (const p of probs) ok &&= (p[i] as number) - (p[i] as number) === 0;
    if (!ok) return i;
  }
  return -1;
}

/** `NaN`, `Infinity`… — what candidate `i` got (its score, else the first bad task probability). */
function badValue({ scores, probs }: Scored, i: number): number {
  const score = scores[i] as number;
  if (!Number.isFinite(score)) return score;
  return (probs.map((p) => p[i] as number).find((p) => !Number.isFinite(p)) ?? score) as number;
}

/**
 * A loaded model: the spec, the items table and an onnxruntime session in a worker thread
 * (`SessionThread`: a run never blocks the event loop, so requests are parsed and answered while
 * another is scored), ready to rank, with what every request needs from the spec and the table
 * prepared once (`requestSchema`, the feed builder). Counts the requests in flight so a model replaced by a reload is released only after
 * they finish.
 */
export class ServingModel {
  readonly identity: ModelIdentity;
  /** What `parseRankRequest` checks a body against for this model. */
  readonly requestSchema: RankRequestSchema;
  private inFlight = 0;
  private retirement: Promise<void> | undefined;
  private drained: (() => void) | undefined;

  private constructor(
    readonly artifacts: Artifacts,
    private readonly session: SessionThread,
    private readonly feeds: FeedBuilder,
  ) {
    this.identity = { name: artifacts.spec.name, version: artifacts.version, specHash: artifacts.specHash };
    this.requestSchema = rankRequestSchema(artifacts.spec);
  }

  get spec(): ModelSpec {
    return this.artifacts.spec;
  }

  /**
   * Reads and validates an artifacts directory (see `readArtifacts`: SHA-256 against
   * `artifacts.json`, finite weights), opens the session, checks its inputs and outputs against
   * the spec, then scores every items-table row once (with a neutral context: zeros, OOV, row 0)
   * and a few unknown items: every output must be finite. This doubles as the warm-up; it takes
   * about one raw run per 2,048 items (a few seconds for 100,000 on ref-m).
   *
   * @throws ArtifactsError naming the file at fault (an onnxruntime error during the check too:
   *   the model then cannot serve).
   */
  static async load(dir: string, options: ServingModelOptions): Promise<ServingModel> {
    const artifacts = await readArtifacts(dir, options.root === undefined ? {} : { root: options.root });
    const modelPath = join(artifacts.dir, ARTIFACT_FILES.onnx);
    let feeds: FeedBuilder;
    try {
      feeds = new FeedBuilder(artifacts.spec, artifacts.items);
    } catch (error) {
      throw new ArtifactsError(join(artifacts.dir, ARTIFACT_FILES.items), (error as Error).message);
    }
    let session: SessionThread;
    try {
      session = await SessionThread.start(artifacts.modelBytes, {
        threads: options.threads,
        spinWait: options.spinWait ?? false,
        ...(options.onThreadCrash ? { onCrash: options.onThreadCrash } : {}),
      });
    } catch (error) {
      throw new ArtifactsError(modelPath, `onnxruntime cannot load it (${(error as Error).message})`);
    }
    const model = new ServingModel(artifacts, session, feeds);
    try {
      const signature = onnxSignature(artifacts.spec);
      const want = signature.inputs.map((i) => i.name).sort();
      const have = [...session.inputNames].sort();
      if (want.join() !== have.join()) {
        throw new ArtifactsError(modelPath, `has inputs [${have.join(', ')}] but spec.json needs [${want.join(', ')}]`);
      }
      const missing = signature.outputs.find((o) => !session.outputNames.includes(o.name));
      if (missing) throw new ArtifactsError(modelPath, `has no output '${missing.name}'`);
      await model.checkEveryItem();
    } catch (error) {
      // The load error is what matters; a failed release of a session never used must not hide it.
      await session.release().catch(() => undefined);
      throw error;
    }
    return model;
  }

  /** Scores a few unknown items and every items-table row once; all outputs must be finite. */
  private async checkEveryItem(): Promise<void> {
    const { spec, items, dir } = this.artifacts;
    const context = neutralContext(spec);
    const modelPath = join(dir, ARTIFACT_FILES.onnx);
    const scoreAll = async (ids: readonly string[]) => {
      const candidates = ids.map((itemId) => ({ itemId, features: {} }));
      try {
        const scored = await this.score({ context, candidates, topK: candidates.length });
        const bad = firstNonFinite(scored);
        return bad < 0 ? undefined : { bad, value: badValue(scored, bad) };
      } catch (error) {
        throw new ArtifactsError(modelPath, `the load-time inference failed (${(error as Error).message})`);
      }
    };
    const unknown = await scoreAll(Array.from({ length: UNKNOWN_PROBES }, (_, i) => `thaw-load-check-${i}`));
    if (unknown)
      throw new ArtifactsError(modelPath, `the model scores an unknown (cold) item as ${unknown.value} with a neutral context`);
    for (let start = 0; start < items.count; start += CHECK_BATCH) {
      const ids = items.itemIds.slice(start, start + CHECK_BATCH);
      const found = await scoreAll(ids);
      if (found) {
        throw new ArtifactsError(
          join(dir, ARTIFACT_FILES.items),
          `the model scores item '${capEcho(ids[found.bad] as string)}' (row ${start + found.bad}) as ${found.value} with a ` +
            'neutral context (zeros, OOV, row 0): its row holds values the model cannot score; write the items table again',
        );
      }
    }
  }

  /** One onnxruntime `run` for every candidate of a validated request: raw scores and task probabilities. */
  private async score(request: RankRequest): Promise<Scored> {
    const spec = this.artifacts.spec;
    const { feeds, cold } = this.feeds.build(request);
    const results = await this.session.run(feeds);
    const read = (name: string) => {
      const value = results[name];
      if (value === undefined) throw new Error(`ServingModel.rank: the session returned no '${name}'`);
      return value.data as Float32Array;
    };
    const probs = spec.tasks.map((t) => read(taskOutputName(t.name)));
    const scores = request.utility ? requestScores(probs, request.utility) : read(SCORE_OUTPUT);
    return { scores, probs, cold };
  }

  /**
   * Ranks the candidates of a validated request with one onnxruntime `run` for all of them:
   * highest score first (ties keep request order), the first `topK`.
   *
   * @throws NonFiniteScoreError when a candidate's score or task probability is NaN or ±Infinity
   *   (features far outside the training range, or utility weights whose sum overflows);
   *   ScoringThreadCrashError when the session's worker thread crashed before answering.
   */
  async rank(request: RankRequest): Promise<RankedItem[]> {
    if (this.retirement && this.inFlight === 0) throw new Error('ServingModel.rank: this model was retired by a reload');
    this.inFlight += 1;
    try {
      const spec = this.artifacts.spec;
      const scored = await this.score(request);
      const { scores, probs, cold } = scored;
      const bad = firstNonFinite(scored);
      if (bad >= 0) throw nonFiniteError(request, scored, bad);
      return topKIndices(scores, request.topK).map((i) => ({
        itemId: request.candidates[i]?.itemId as string,
        score: scores[i] as number,
        tasks: Object.fromEntries(spec.tasks.map((t, k) => [t.name, probs[k]?.[i] as number])),
        cold: cold[i] === 1,
      }));
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) this.drained?.();
    }
  }

  /** Requests currently running on this model. */
  get pending(): number {
    return this.inFlight;
  }

  /**
   * Stops taking requests and releases the session once the ones in flight finish. The promise
   * settles when the session is released, and rejects if onnxruntime fails to release it: the
   * caller owns that rejection (log it). Calling it again returns the same promise.
   */
  retire(): Promise<void> {
    this.retirement ??= (
      this.inFlight === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            this.drained = resolve;
          })
    ).then(() => this.session.release());
    return this.retirement;
  }
}

/** The 422 of candidate `i`: `utility` when only the weighted sum overflowed, else the candidate. */
function nonFiniteError(request: RankRequest, scored: Scored, i: number): NonFiniteScoreError {
  const value = badValue(scored, i);
  const probsFinite = scored.probs.every((p) => Number.isFinite(p[i]));
  if (request.utility && probsFinite) {
    return new NonFiniteScoreError(
      'utility',
      `utility weights [${request.utility.join(', ')}] make the score Σ u_t · p_t = ${value} for candidate ${i}; use weights whose sum stays below 1e308`,
    );
  }
  const itemId = capEcho(request.candidates[i]?.itemId ?? '');
  return new NonFiniteScoreError(
    `candidates[${i}]`,
    `the model scores candidate ${i} ('${itemId}') as ${value}: the request's context or this candidate's features are far ` +
      'outside the range the model was trained on (float32 overflow); send values like those it was trained on',
  );
}

/** eq 12 (`utilityScores` of `@thaw/model`) with the request's weights: `Σ_t u_t · p_t` per candidate, in float64. */
function requestScores(probs: readonly Float32Array[], utility: readonly number[]): Float64Array {
  const n = probs[0]?.length ?? 0;
  const T = probs.length;
  const rows = new Float64Array(n * T);
  probs.forEach((p, t) => {
    for (let i = 0; i < n; i++) rows[i * T + t] = p[i] as number;
  });
  return utilityScores(referenceOps, utility, referenceOps.constant(rows, [n, T])).data as Float64Array;
}
