import { join } from 'node:path';
import { onnxSignature, SCORE_OUTPUT, taskOutputName } from '@thaw/onnx';
import { fromOrtTensor, toOrtTensor } from '@thaw/onnx/ort';
import { ARTIFACT_FILES, type ModelSpec } from '@thaw/spec';
import { InferenceSession, type Tensor as OrtTensor } from 'onnxruntime-node';
import { type Artifacts, ArtifactsError, readArtifacts } from './artifacts.js';
import { FeedBuilder } from './feeds.js';
import {
  contextFeatures,
  type EncodedValue,
  type RankRequest,
  type RankRequestSchema,
  rankRequestSchema,
} from './rank-request.js';
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
}

const WARM_UP_CANDIDATES = 8;

/** A context of neutral values (zeros, OOV, id row 0) to warm the session up. */
function warmUpRequest(spec: ModelSpec): RankRequest {
  const context: Record<string, EncodedValue> = {};
  for (const f of contextFeatures(spec)) {
    context[f.name] = f.kind === 'dense' ? new Float32Array(f.dim) : f.kind === 'categorical' ? f.vocabSize : 0;
  }
  const candidates = Array.from({ length: WARM_UP_CANDIDATES }, (_, i) => ({ itemId: `thaw-warm-up-${i}`, features: {} }));
  return { context, candidates, topK: candidates.length };
}

/**
 * A loaded model: the spec, the items table and an onnxruntime session, ready to rank, with what
 * every request needs from the spec and the table prepared once (`requestSchema`, the feed
 * builder). Counts the requests in flight so a model replaced by a reload is released only after
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
    private readonly session: InferenceSession,
    private readonly feeds: FeedBuilder,
  ) {
    this.identity = { name: artifacts.spec.name, version: artifacts.version, specHash: artifacts.specHash };
    this.requestSchema = rankRequestSchema(artifacts.spec);
  }

  get spec(): ModelSpec {
    return this.artifacts.spec;
  }

  /**
   * Reads and validates an artifacts directory, opens the session, checks its inputs and outputs
   * against the spec, and warms it up with one inference whose outputs must be finite.
   *
   * @throws ArtifactsError naming the file at fault (an onnxruntime error during the warm-up too:
   *   the model then cannot serve).
   */
  static async load(dir: string, options: ServingModelOptions): Promise<ServingModel> {
    const artifacts = await readArtifacts(dir);
    const modelPath = join(artifacts.dir, ARTIFACT_FILES.onnx);
    let feeds: FeedBuilder;
    try {
      feeds = new FeedBuilder(artifacts.spec, artifacts.items);
    } catch (error) {
      throw new ArtifactsError(join(artifacts.dir, ARTIFACT_FILES.items), (error as Error).message);
    }
    let session: InferenceSession;
    try {
      session = await InferenceSession.create(artifacts.modelBytes, {
        intraOpNumThreads: options.threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
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
      let warm: RankedItem[];
      try {
        warm = await model.rank(warmUpRequest(artifacts.spec));
      } catch (error) {
        throw new ArtifactsError(modelPath, `the warm-up inference failed (${(error as Error).message})`);
      }
      if (warm.length !== WARM_UP_CANDIDATES || !warm.every((item) => Number.isFinite(item.score))) {
        throw new ArtifactsError(modelPath, 'the warm-up inference gave non-finite scores');
      }
    } catch (error) {
      // The load error is what matters; a failed release of a session never used must not hide it.
      await session.release().catch(() => undefined);
      throw error;
    }
    return model;
  }

  /**
   * Ranks the candidates of a validated request with one onnxruntime `run` for all of them:
   * highest score first (ties keep request order), the first `topK`.
   */
  async rank(request: RankRequest): Promise<RankedItem[]> {
    if (this.retirement && this.inFlight === 0) throw new Error('ServingModel.rank: this model was retired by a reload');
    this.inFlight += 1;
    try {
      const spec = this.artifacts.spec;
      const { feeds, cold } = this.feeds.build(request);
      const ortFeeds: Record<string, OrtTensor> = {};
      for (const [name, tensor] of Object.entries(feeds)) ortFeeds[name] = toOrtTensor(tensor);
      const results = await this.session.run(ortFeeds);
      const read = (name: string) => {
        const value = results[name];
        if (value === undefined) throw new Error(`ServingModel.rank: the session returned no '${name}'`);
        return fromOrtTensor(value).data as Float32Array;
      };
      const probs = spec.tasks.map((t) => read(taskOutputName(t.name)));
      const scores = request.utility ? utilityScores(probs, request.utility) : read(SCORE_OUTPUT);
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

/** eq 12 with the request's weights: `Σ_t u_t · p_t` per candidate. */
function utilityScores(probs: readonly Float32Array[], utility: readonly number[]): Float64Array {
  const n = probs[0]?.length ?? 0;
  const scores = new Float64Array(n);
  probs.forEach((p, t) => {
    const u = utility[t] as number;
    for (let i = 0; i < n; i++) scores[i] = (scores[i] as number) + u * (p[i] as number);
  });
  return scores;
}
