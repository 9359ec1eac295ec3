import { join } from 'node:path';
import { onnxSignature, SCORE_OUTPUT, taskOutputName } from '@thaw/onnx';
import { fromOrtTensor, toOrtTensor } from '@thaw/onnx/ort';
import { ARTIFACT_FILES, type ModelSpec } from '@thaw/spec';
import { InferenceSession, type Tensor as OrtTensor } from 'onnxruntime-node';
import { type Artifacts, ArtifactsError, readArtifacts } from './artifacts.js';
import { buildFeeds } from './feeds.js';
import { contextFeatures, type EncodedValue, type RankRequest } from './rank-request.js';

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

/** A context of neutral values (zeros, OOV, id row 0) to warm the session up. */
function warmUpRequest(spec: ModelSpec): RankRequest {
  const context: Record<string, EncodedValue> = {};
  for (const f of contextFeatures(spec)) {
    context[f.name] = f.kind === 'dense' ? new Float32Array(f.dim) : f.kind === 'categorical' ? f.vocabSize : 0;
  }
  const candidates = Array.from({ length: 8 }, (_, i) => ({ itemId: `thaw-warm-up-${i}`, features: {} }));
  return { context, candidates, topK: candidates.length };
}

/**
 * A loaded model: the spec, the items table and an onnxruntime session, ready to rank. Counts the
 * requests in flight so a model replaced by a reload is released only after they finish.
 */
export class ServingModel {
  readonly identity: ModelIdentity;
  private inFlight = 0;
  private retired = false;
  private released: Promise<void> | undefined;

  private constructor(
    readonly artifacts: Artifacts,
    private readonly session: InferenceSession,
  ) {
    this.identity = { name: artifacts.spec.name, version: artifacts.version, specHash: artifacts.specHash };
  }

  get spec(): ModelSpec {
    return this.artifacts.spec;
  }

  /**
   * Reads and validates an artifacts directory, opens the session, checks its inputs and outputs
   * against the spec, and warms it up with one inference whose outputs must be finite.
   *
   * @throws ArtifactsError naming the file at fault.
   */
  static async load(dir: string, options: ServingModelOptions): Promise<ServingModel> {
    const artifacts = await readArtifacts(dir);
    const modelPath = join(artifacts.dir, ARTIFACT_FILES.onnx);
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
    const model = new ServingModel(artifacts, session);
    try {
      const signature = onnxSignature(artifacts.spec);
      const want = signature.inputs.map((i) => i.name).sort();
      const have = [...session.inputNames].sort();
      if (want.join() !== have.join()) {
        throw new ArtifactsError(modelPath, `has inputs [${have.join(', ')}] but spec.json needs [${want.join(', ')}]`);
      }
      const missing = signature.outputs.find((o) => !session.outputNames.includes(o.name));
      if (missing) throw new ArtifactsError(modelPath, `has no output '${missing.name}'`);
      const warm = await model.rank(warmUpRequest(artifacts.spec));
      if (warm.length !== 8 || !warm.every((item) => Number.isFinite(item.score))) {
        throw new ArtifactsError(modelPath, 'the warm-up inference gave non-finite scores');
      }
    } catch (error) {
      await session.release();
      throw error;
    }
    return model;
  }

  /**
   * Ranks the candidates of a validated request with one onnxruntime `run` for all of them:
   * highest score first (ties keep request order), the first `topK`.
   */
  async rank(request: RankRequest): Promise<RankedItem[]> {
    if (this.retired && this.inFlight === 0) throw new Error('ServingModel.rank: this model was retired by a reload');
    this.inFlight += 1;
    try {
      const spec = this.artifacts.spec;
      const { feeds, cold } = buildFeeds(spec, this.artifacts.items, request);
      const ortFeeds: Record<string, OrtTensor> = {};
      for (const [name, tensor] of Object.entries(feeds)) ortFeeds[name] = toOrtTensor(tensor);
      const results = await this.session.run(ortFeeds);
      const read = (name: string) => {
        const value = results[name];
        if (value === undefined) throw new Error(`ServingModel.rank: the session returned no '${name}'`);
        return fromOrtTensor(value).data as Float32Array;
      };
      const probs = spec.tasks.map((t) => read(taskOutputName(t.name)));
      let scores: ArrayLike<number> = read(SCORE_OUTPUT);
      const utility = request.utility;
      if (utility) {
        scores = Float64Array.from(request.candidates, (_, i) =>
          probs.reduce((s, p, t) => s + (utility[t] as number) * (p[i] as number), 0),
        );
      }
      const order = request.candidates.map((_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
      return order.slice(0, request.topK).map((i) => ({
        itemId: request.candidates[i]?.itemId as string,
        score: scores[i] as number,
        tasks: Object.fromEntries(spec.tasks.map((t, k) => [t.name, probs[k]?.[i] as number])),
        cold: cold[i] === 1,
      }));
    } finally {
      this.inFlight -= 1;
      if (this.retired && this.inFlight === 0) void this.release();
    }
  }

  /** Requests currently running on this model. */
  get pending(): number {
    return this.inFlight;
  }

  /** Stops taking requests; the session is released once the ones in flight finish. */
  retire(): Promise<void> {
    this.retired = true;
    return this.inFlight === 0 ? this.release() : Promise.resolve();
  }

  private release(): Promise<void> {
    this.released ??= this.session.release();
    return this.released;
  }
}
