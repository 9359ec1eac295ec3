import {
  aggregatePerRequest,
  bootstrapInterval,
  clusterBootstrap,
  effectiveClusterCount,
  type PerRequestValues,
  type TaskBiasPerRequest,
} from '@thaw/metrics';
import type { ModelSpec } from '@thaw/spec';
import type { EvaluationOracle } from './data-source.js';
import { freshBoostComparison } from './fresh-boost-frontier.js';
import type { OracleScores, OracleWindow } from './oracle-window.js';
import type { Difference, Estimate, OracleResults, OracleScorerResult, OracleVariantResult } from './results.js';

/** What one trained model (variant, seed) left for the oracle evaluation. */
export interface OracleSeedOutcome {
  /** Scores on the calibration window (probabilities kept for the baseline only: the frontier boosts them). */
  readonly calibration: OracleScores;
  /** Scores on the evaluation window. */
  readonly evaluation: OracleScores;
  readonly values: { readonly all: PerRequestValues; readonly fresh: PerRequestValues };
  readonly bias: readonly TaskBiasPerRequest[];
}

/** Inputs of {@link oracleResults}. */
export interface OracleResultsInput {
  readonly spec: ModelSpec;
  readonly oracle: EvaluationOracle;
  readonly windows: { readonly calibration: OracleWindow; readonly evaluation: OracleWindow };
  /** Per variant (baseline first), one outcome per training seed. */
  readonly outcomes: ReadonlyMap<string, readonly OracleSeedOutcome[]>;
  readonly baseline: string;
  /** Reference rankers' per-row scores of the candidates frame: name → [description, scores]. */
  readonly referenceScores: readonly {
    readonly name: string;
    readonly description: string;
    readonly scores: ArrayLike<number>;
  }[];
  readonly samples: number;
  readonly seed: number;
}

const estimate = (
  values: PerRequestValues | readonly PerRequestValues[],
  clusters: Int32Array,
  samples: number,
  seed: number,
): Estimate => {
  const r = bootstrapInterval(values as PerRequestValues[], { clusters, samples, seed });
  return { value: r.value, ci95: [r.ci[0], r.ci[1]] };
};

const difference = (
  a: readonly PerRequestValues[],
  b: readonly PerRequestValues[],
  clusters: Int32Array,
  samples: number,
  seed: number,
): Difference => {
  const r = clusterBootstrap(a, b, { clusters, samples, seed });
  return {
    value: r.difference,
    ci95: [r.differenceCi[0], r.differenceCi[1]],
    p: r.pValue,
    significant: r.differenceCi[0] > 0 || r.differenceCi[1] < 0,
  };
};

/**
 * The oracle table and the fresh-boost frontier of an experiment: per variant the all-items
 * utility ratio @3 and the fresh oracle recall @3 on every evaluation candidate (probe requests
 * included) with intervals from a cluster bootstrap over users (and seeds), the difference to the
 * baseline (seeds paired), the fresh/warm prediction bias per task; the same metrics for the
 * reference rankers; and every variant placed against the baseline-plus-boost frontier, each
 * boost chosen on the calibration window.
 */
export function oracleResults(input: OracleResultsInput): OracleResults {
  const { spec, windows, outcomes, samples } = input;
  const clusters = windows.evaluation.clusters;
  const baseline = outcomes.get(input.baseline);
  if (!baseline) throw new RangeError(`oracleResults: no outcomes for the baseline ${input.baseline}`);
  const variants = [...outcomes].map(([name, seeds], i): OracleVariantResult => {
    const all = seeds.map((s) => s.values.all);
    const fresh = seeds.map((s) => s.values.fresh);
    const seed = input.seed + 10 * i;
    const bias = Object.fromEntries(
      spec.tasks.map((task, t) => [
        task.name,
        {
          fresh: estimate(
            seeds.map((s) => (s.bias[t] as TaskBiasPerRequest).fresh),
            clusters,
            samples,
            seed + 2,
          ),
          warm: estimate(
            seeds.map((s) => (s.bias[t] as TaskBiasPerRequest).warm),
            clusters,
            samples,
            seed + 3,
          ),
        },
      ]),
    );
    return {
      name,
      utilityRatio: estimate(all, clusters, samples, seed),
      freshRecall: estimate(fresh, clusters, samples, seed + 1),
      perSeed: { utilityRatio: all.map(aggregatePerRequest), freshRecall: fresh.map(aggregatePerRequest) },
      bias,
      ...(name === input.baseline
        ? {}
        : {
            vsBaseline: {
              utilityRatio: difference(
                baseline.map((s) => s.values.all),
                all,
                clusters,
                samples,
                seed + 4,
              ),
              freshRecall: difference(
                baseline.map((s) => s.values.fresh),
                fresh,
                clusters,
                samples,
                seed + 5,
              ),
            },
          }),
    };
  });
  const referenceScorers = input.referenceScores.map(({ name, description, scores }, i): OracleScorerResult => {
    const values = windows.evaluation.evaluate(windows.evaluation.pick(scores));
    return {
      name,
      description,
      utilityRatio: estimate(values.all, clusters, samples, input.seed + 500 + 2 * i),
      freshRecall: estimate(values.fresh, clusters, samples, input.seed + 501 + 2 * i),
    };
  });
  const utility = spec.tasks.map((t) => spec.utility[t.name] as number);
  const window = (w: OracleWindow, pick: (o: OracleSeedOutcome) => OracleScores) => ({
    evaluate: (scores: Float64Array) => w.evaluate(scores),
    baselineProbs: baseline.map((o) => pick(o).probs),
    isCold: w.isCold,
    variantScores: new Map([...outcomes].map(([name, seeds]) => [name, seeds.map((o) => pick(o).scores)])),
  });
  const frontier = freshBoostComparison({
    metric: { all: 'oracle utility ratio@3', fresh: 'oracle fresh recall@3' },
    utility,
    calibration: window(windows.calibration, (o) => o.calibration),
    evaluation: window(windows.evaluation, (o) => o.evaluation),
    evaluationClusters: clusters,
    bootstrapSamples: samples,
    bootstrapSeed: input.seed + 1000,
  });
  const requests = input.oracle.requests;
  return {
    k: 3,
    evaluation: {
      realRequests: requests.eval.real,
      probeRequests: requests.eval.probe,
      candidates: windows.evaluation.rows.length,
      users: new Set(clusters).size,
      effectiveUsers: effectiveClusterCount(baseline[0]?.values.all as PerRequestValues, clusters),
    },
    calibration: {
      realRequests: requests.calibration.real,
      probeRequests: requests.calibration.probe,
      candidates: windows.calibration.rows.length,
    },
    variants,
    referenceScorers,
    frontier,
  };
}
