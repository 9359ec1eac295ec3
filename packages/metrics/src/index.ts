/**
 * `@thaw/metrics` — the evaluation of the Warmer-for-Less paper: Hits@K per request on fresh and
 * all items (eq 12 ranking), PR-AUC exactly as scikit-learn, ROC-AUC, logloss, ECE, the warm/cold
 * score gap, PCA explained variance, the cluster bootstrap (users resampled with all their requests,
 * seeds paired across arms) of lifts and single metrics, Kish's effective number of clusters,
 * Holm's correction, and metrics against a known ground truth (oracle utility ratio, oracle fresh
 * recall, prediction bias) with the fresh-boost frontier they are judged against.
 * Inputs are plain arrays, typed arrays or `@thaw/tensor` tensors; no tfjs dependency.
 *
 * @packageDocumentation
 */
export type { ClusterIds } from './bootstrap-engine.js';
export { type CalibrationErrorOptions, expectedCalibrationError, expectedCalibrationErrorDetailed } from './calibration-error.js';
export {
  type ArmValues,
  bootstrapInterval,
  type ClusterBootstrapOptions,
  clusterBootstrap,
  type LiftInterval,
  type MetricInterval,
  type ResamplingSummary,
} from './cluster-bootstrap.js';
export { effectiveClusterCount } from './effective-clusters.js';
export { type ExplainedVariance, explainedVariance, type RepresentationInput } from './explained-variance.js';
export {
  type BoostMatch,
  boostFrontier,
  DEFAULT_BOOSTS,
  type FrontierPoint,
  freshBoostProbabilities,
  matchBoost,
} from './fresh-boost.js';
export { hitsAtK, hitsAtKPerRequest } from './hits-at-k.js';
export { holmAdjust } from './holm.js';
export type { LiftEstimate } from './lift-estimate.js';
export { type LogLossOptions, logLoss, logLossDetailed } from './log-loss.js';
export type { MetricOutcome, UndefinedReason } from './metric-outcome.js';
export { ndcgAtK, ndcgAtKPerRequest } from './ndcg-at-k.js';
export type { MatrixInput, NumericInput, StridedColumn } from './numeric-input.js';
export { oracleFreshRecall, oracleFreshRecallPerRequest } from './oracle-fresh-recall.js';
export { isOracleSet, type OracleColumns, type OracleSet, oracleSet, withScores } from './oracle-set.js';
export { oracleUtilityRatio, oracleUtilityRatioPerRequest, randomUtilityRatioPerRequest } from './oracle-utility-ratio.js';
export {
  type ArmMetric,
  type BootstrapArm,
  type BootstrapResult,
  type PairedBootstrapOptions,
  pairedBootstrap,
} from './paired-bootstrap.js';
export { type PairedLiftT, pairedLiftT } from './paired-lift-t.js';
export { aggregatePerRequest, isPerRequestValues, type PerRequestValues } from './per-request.js';
export { prAuc, prAucDetailed } from './pr-auc.js';
export {
  type PredictionBiasColumns,
  predictionBias,
  predictionBiasPerRequest,
  type TaskBias,
  type TaskBiasPerRequest,
} from './prediction-bias.js';
export { type RankingInput, type RankingRequest, type RankingShared, rankingSet } from './ranking-input.js';
export type { RankingOptions, Slice } from './ranking-options.js';
export { isRankingSet, type RankingColumns, type RankingSet, type RequestId, selectRequests } from './ranking-set.js';
export { recallAtK, recallAtKPerRequest } from './recall-at-k.js';
export { requestClusters } from './request-clusters.js';
export { rocAuc, rocAucDetailed } from './roc-auc.js';
export { type GapStats, type ScoreGapOptions, scoreGap, type TaskScoreGap } from './score-gap.js';
export { type SliceByOptions, type SliceCell, sliceBy } from './slice-by.js';
export { studentTCdf, studentTQuantile } from './student-t.js';
export { taskColumns } from './task-columns.js';
export { topKWeights } from './top-k-weights.js';
