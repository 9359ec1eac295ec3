/**
 * `@thaw/data` — feature frames, the cold-start simulator, CSV/Parquet/MovieLens loaders,
 * leakage-free as-of historical features, the temporal split and batching.
 *
 * @packageDocumentation
 */
export { type BatchOptions, batches } from './batch/batches.js';
export { type FrameBatch, toFeatureBatch } from './batch/frame-batch.js';
export { requestOrder } from './batch/request-order.js';
export { type ChunkBatch, streamBatches } from './batch/stream-batches.js';
export { concatFrames } from './frame/concat-frames.js';
export {
  type FeatureColumn,
  type FeatureFrame,
  type FrameKeys,
  type ItemHistoryColumns,
  SECONDS_PER_DAY,
} from './frame/feature-frame.js';
export { type FeatureWriter, FrameBuilder, type FrameBuilderOptions } from './frame/frame-builder.js';
export { coldMask, type ItemAgeColumns, itemAgeDays, itemAgeFeature } from './frame/item-age.js';
export { selectRows } from './frame/select-rows.js';
export { validateFrame } from './frame/validate-frame.js';
export { HistoryState, type HistoryStateOptions } from './history/history-state.js';
export { computeItemHistory } from './history/item-history.js';
export { type AsOfReplay, replayAsOf } from './history/replay-as-of.js';
export {
  type CandidateGroupRates,
  formatLeakageReport,
  type LeakageRates,
  leakageReport,
} from './leakage/leakage-report.js';
export { type ReferenceScores, referenceScores } from './leakage/reference-scores.js';
export {
  type ColumnMapping,
  type FeatureColumnMapping,
  type ResolvedFeature,
  type ResolvedMapping,
  resolveColumnMapping,
  type TimeColumn,
  type TimeFormat,
} from './loaders/column-mapping.js';
export { type CsvOptions, loadCsvFrame, streamCsvFrames } from './loaders/csv-frames.js';
export { DataError, type DataErrorLocation } from './loaders/data-error.js';
export { deriveFromRows } from './loaders/derive-from-rows.js';
export { expandFilePattern, type FileSource } from './loaders/file-pattern.js';
export { type InferVocabulariesOptions, inferVocabularies } from './loaders/infer-vocabularies.js';
export { loadParquetFrame, type ParquetOptions, streamParquetFrames } from './loaders/parquet-frames.js';
export { frameParquetMapping, type WriteParquetOptions, writeFrameParquet } from './loaders/write-frame-parquet.js';
export {
  CANDIDATE_STATUS,
  type CandidateStatusInput,
  MOVIELENS_MATCH,
  type MovieLensMatch,
  movieLensCandidateStatus,
} from './movielens/candidate-status.js';
export { loadMovieLens, movieLensFrame } from './movielens/load-movielens.js';
export {
  MOVIELENS_SPLIT,
  type MovieLensCreatedAt,
  type MovieLensData,
  type MovieLensOptions,
} from './movielens/movielens-options.js';
export { type MovieLensSpecInfo, movieLensSpec } from './movielens/movielens-spec.js';
export {
  MOVIELENS_NEGATIVES,
  type MovieLensNegatives,
  type NegativeShortfall,
  shortfallPerWindow,
} from './movielens/negatives-per-window.js';
export {
  ML100K_GENRES,
  type MovieLensLayout,
  type MovieLensTables,
  readMovieLens,
  releaseFromYear,
} from './movielens/read-movielens.js';
export {
  type NegativeSampling,
  type NegativeSamplingInput,
  type SampledCandidates,
  sampleNegatives,
} from './negatives/sample-negatives.js';
export {
  drawEngagement,
  type EngagementProbabilities,
  engagementFromUniforms,
  engagementProbabilities,
  examinationProbability,
  type LoggedEngagement,
  relevance,
  SIMULATED_TASKS,
  trueProbabilities,
} from './simulator/engagement.js';
export { drawPolicyRanking, plackettLuceFirst, policyBaseScores, topKPropensity } from './simulator/logging-policy.js';
export { keyedHash, keyedRng, keyedUniform } from './simulator/online/keyed-uniform.js';
export { createOnlineEnvironment, type OnlineArm, type OnlineEnvironment } from './simulator/online/online-environment.js';
export {
  type DayMetrics,
  emptyDayMetrics,
  FreshItemCounters,
  POSITION_BUCKET_LIMITS,
  POSITION_BUCKETS,
  positionBucket,
  type TaskCounts,
} from './simulator/online/online-metrics.js';
export {
  ONLINE_PRESETS,
  type OnlineInput,
  type OnlineOptions,
  type OnlinePreset,
  type ResolvedOnlineOptions,
  resolveOnlineOptions,
} from './simulator/online/online-options.js';
export {
  type ArmDay,
  type CandidateChunk,
  type DaySource,
  type Ranker,
  rankCandidates,
  retrieveChunk,
  serveDay,
} from './simulator/online/serve-day.js';
export {
  catalogueAt,
  dayRequests,
  ONLINE_STREAMS,
  type OnlineRequest,
  pilotRequests,
  REQUESTS_PER_DAY_LIMIT,
  scrollDepth,
  type TrafficSource,
} from './simulator/online/traffic.js';
export { resolveSimulationOptions, type SimulationInput } from './simulator/resolve-options.js';
export { type Simulation, simulate } from './simulator/simulate.js';
export { type ImpressionLog, SimulatedItems } from './simulator/simulated-items.js';
export { replayImpressions, SimulationHistory } from './simulator/simulation-history.js';
export {
  type OracleWindow,
  SIMULATION_PRESETS,
  type SimulationOptions,
  type SimulationPreset,
} from './simulator/simulation-options.js';
export type { SimulationOracle } from './simulator/simulation-oracle.js';
export { simulatorSpec } from './simulator/simulator-spec.js';
export type { SimulatedWorld } from './simulator/world.js';
export type { ItemSnapshot } from './snapshot/item-snapshot.js';
export { type ItemSnapshotFromRowsOptions, itemSnapshotFromRows } from './snapshot/item-snapshot-from-rows.js';
export { type FrameSplit, SPLIT_NAMES, type SplitName, type TimeWindow } from './split/frame-split.js';
export { type ItemHoldoutOptions, itemHoldoutSplit } from './split/item-holdout-split.js';
export { formatSplitCounts, type SplitCounts, splitCounts } from './split/split-counts.js';
export { temporalSplit } from './split/temporal-split.js';
export { type TemporalSplitOptions, temporalWindows } from './split/temporal-windows.js';
