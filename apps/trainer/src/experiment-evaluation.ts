import { referenceScores } from '@thaw/data';
import type { ModelSpec } from '@thaw/spec';
import type { ThawModel } from '@thaw/tfjs';
import type { PlattFit } from './calibration.js';
import type { LoadedData } from './data-source.js';
import { predictionProbabilities, predictionScores } from './evaluate-predictions.js';
import { freshBoostComparison } from './fresh-boost-frontier.js';
import { LoggedWindow } from './logged-window.js';
import type { Logger } from './logger.js';
import { calibrationByTask } from './model-artifacts.js';
import { type OracleResultsInput, type OracleSeedOutcome, oracleResults } from './oracle-results.js';
import { OracleWindow } from './oracle-window.js';
import { predictRows, type RowPredictions } from './predict-rows.js';
import type { FrontierResultFile, OracleResults } from './results.js';

interface LoggedOutcome {
  readonly calibration: { readonly scores: Float64Array; readonly probs?: Float64Array };
  readonly evaluation: { readonly scores: Float64Array; readonly probs?: Float64Array };
}

/**
 * Collects, model by model, what the ground-truth table and the fresh-boost frontiers need — each
 * model's calibrated scores on the logged calibration and evaluation rows and, for a simulated
 * source, on every retrieved candidate of those windows (probe requests included) — and builds
 * them once every variant and seed is trained. Only the baseline's probabilities are kept (the
 * frontier boosts them); other models keep their eq 12 scores.
 */
export class ExperimentEvaluation {
  private readonly logged = new Map<string, LoggedOutcome[]>();
  private readonly oracle = new Map<string, OracleSeedOutcome[]>();
  private loggedWindows: { calibration: LoggedWindow; evaluation: LoggedWindow } | undefined;
  private oracleWindows: { calibration?: OracleWindow; evaluation?: OracleWindow } = {};

  constructor(
    private readonly data: LoadedData,
    private readonly baseline: string,
  ) {}

  /** Scores one trained model (its evaluation predictions already made) on the calibration rows and the oracle candidates. */
  async add(
    name: string,
    model: ThawModel,
    calibration: readonly PlattFit[],
    evaluation: RowPredictions,
    evaluationProbs: Float64Array,
    logger: Logger,
    label: string,
  ): Promise<void> {
    const { data } = this;
    const spec = model.spec;
    const keepProbs = name === this.baseline;
    const calibrationPredictions = await predictRows(model, data.frame, data.split.rows.calibration, {
      warn: (m) => logger.warn(m),
    });
    const calibrationProbs = predictionProbabilities(spec, calibrationPredictions, calibrationByTask(spec, calibration));
    this.loggedWindows ??= {
      calibration: new LoggedWindow(spec, data.frame, calibrationPredictions),
      evaluation: new LoggedWindow(spec, data.frame, evaluation),
    };
    if (!this.loggedWindows.calibration.sameRows(calibrationPredictions) || !this.loggedWindows.evaluation.sameRows(evaluation)) {
      throw new Error(`${label}: predictions cover other logged rows than the first model's`);
    }
    const list = this.logged.get(name) ?? [];
    list.push({
      calibration: {
        scores: predictionScores(spec, calibrationPredictions, calibrationProbs),
        ...(keepProbs ? { probs: calibrationProbs } : {}),
      },
      evaluation: {
        scores: predictionScores(spec, evaluation, evaluationProbs),
        ...(keepProbs ? { probs: evaluationProbs } : {}),
      },
    });
    this.logged.set(name, list);

    const oracle = data.oracle;
    if (!oracle) return;
    const score = async (window: OracleWindow | undefined, rows: Int32Array, what: string) => {
      const progress = logger.progress(`oracle ${what} ${label}`, rows.length);
      const result = await OracleWindow.score(window, model, oracle.candidates, rows, calibration, progress);
      progress.done();
      return result;
    };
    const cal = await score(this.oracleWindows.calibration, oracle.rows.calibration, 'calibration');
    const ev = await score(this.oracleWindows.evaluation, oracle.rows.eval, 'evaluation');
    this.oracleWindows = { calibration: cal.window, evaluation: ev.window };
    const dropProbs = (s: typeof cal.scores) => (keepProbs ? s : { probs: new Float32Array(0), scores: s.scores });
    const outcomes = this.oracle.get(name) ?? [];
    outcomes.push({
      calibration: dropProbs(cal.scores),
      evaluation: dropProbs(ev.scores),
      values: ev.window.evaluate(ev.scores.scores),
      bias: ev.window.bias(ev.scores.probs),
    });
    this.oracle.set(name, outcomes);
  }

  /** The oracle table and frontier (simulated sources) and the logged Hits@3 frontier of the first task. */
  results(spec: ModelSpec, samples: number, seed: number): { oracle?: OracleResults; loggedFrontier?: FrontierResultFile } {
    const out: { oracle?: OracleResults; loggedFrontier?: FrontierResultFile } = {};
    const baseline = this.logged.get(this.baseline);
    const windows = this.loggedWindows;
    if (baseline && windows) {
      const utility = spec.tasks.map((t) => spec.utility[t.name] as number);
      const window = (w: LoggedWindow, pick: (o: LoggedOutcome) => LoggedOutcome['calibration']) => ({
        evaluate: (scores: Float64Array) => w.evaluate(scores),
        baselineProbs: baseline.map((o) => pick(o).probs as Float64Array),
        isCold: w.predictions.isCold,
        variantScores: new Map([...this.logged].map(([name, seeds]) => [name, seeds.map((o) => pick(o).scores)])),
      });
      out.loggedFrontier = freshBoostComparison({
        metric: windows.evaluation.metric,
        utility,
        calibration: window(windows.calibration, (o) => o.calibration),
        evaluation: window(windows.evaluation, (o) => o.evaluation),
        evaluationClusters: windows.evaluation.clusters,
        bootstrapSamples: samples,
        bootstrapSeed: seed + 2000,
      });
    }
    const { calibration, evaluation } = this.oracleWindows;
    const oracle = this.data.oracle;
    if (oracle && calibration && evaluation && this.oracle.has(this.baseline)) {
      const reference = referenceScores(oracle.candidates, 0);
      const referenceInputs: OracleResultsInput['referenceScores'] = [
        {
          name: 'random',
          description: 'a uniformly random ranker: its exact expectation (every score tied, ties split evenly)',
          scores: new Float64Array(oracle.candidates.size),
        },
        { name: 'popularity', description: 'prior positives of the item as of the request', scores: reference.popularity },
        { name: 'noHistoryFirst', description: 'items with no history ranked first', scores: reference.noHistoryFirst },
        {
          name: 'loggingPolicy',
          description: "the logging policy's score without its noise (similarity, CTR, popularity)",
          scores: oracle.policyScore,
        },
      ];
      out.oracle = oracleResults({
        spec,
        oracle,
        windows: { calibration, evaluation },
        outcomes: this.oracle,
        baseline: this.baseline,
        referenceScores: referenceInputs,
        samples,
        seed,
      });
    }
    return out;
  }
}
