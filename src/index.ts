/**
 * Clientele's public library API. Everything not listed here is internal.
 *
 * @example
 * ```ts
 * import { openDatamart } from 'clientele';
 * const engine = await openDatamart({ db: 'shop.duckdb' });
 * const rows = await engine.query('SELECT count(*) AS n FROM customers');
 * await engine.close();
 * ```
 */

// Baskets and next best offer (issue 6): arules-exact rules, FP-Growth itemsets, offers with reasons.
export {
  type AssociationRule,
  type BasketParams,
  type BasketSource,
  basketModule,
  encodeBaskets,
  evaluateHoldout,
  type FrequentItemset,
  fitNbo,
  type HoldoutResult,
  type ItemsetsResult,
  loadBaskets,
  METRICS,
  type MetricName,
  mineItemsets,
  mineRules,
  type NboParams,
  type NboScoreRow,
  type Offer,
  parseNboParams,
  type RulesResult,
  recommendFor,
  type Transactions,
} from './analytics/basket/index.js';
// Campaign intelligence (issue 13): lift against control groups with intervals, any experiment table.
export {
  type ArmResult,
  type ArmRow,
  type CampaignEvaluationParams,
  type ContactPolicy,
  type EngagementResult,
  type EvaluationGroup,
  type EvaluationResult,
  type ExperimentParams,
  engagementProfile,
  evaluateCampaigns,
  evaluateExperiment,
  type InterestResult,
  type PressureResult,
  parsePolicy,
  pressureReport,
  type TargetMatrix,
  targetMatrix,
  type UpliftOptions,
  type UpliftResult,
  upliftModels,
} from './analytics/campaigns/index.js';
export {
  adjustedRandIndex,
  analyseBehaviours,
  type BehaviourAnalysis,
  type BehaviourRule,
  type ClusterParams,
  type ClusterResult,
  type ClusterState,
  clusterCustomers,
  kMeans,
  parseBehaviourRules,
} from './analytics/clusters/index.js';
export {
  CLV_FORMAT_VERSION,
  CLV_MODELS,
  type ClvModel,
  type ClvModelKind,
  type ClvParams,
  type ClvPredictOptions,
  type ClvPredictResult,
  type ClvReportOptions,
  type ClvScoreRow,
  type ClvState,
  clvDefaults,
  clvModule,
  clvReport,
  DEFAULT_TIERS,
  fitClv,
  fitClvModels,
  loadCustomerSummary,
  parseClvModel,
  predictClv,
  type TierShares,
  type ValidationReport,
} from './analytics/clv/index.js';
// The sales cube and cohorts (issue 15).
export { type CohortParams, type CohortResult, cohorts } from './analytics/cohorts/index.js';
// Profiles and segments (issue 3): the customer feature view, RFM / RFO / RFC, the segment language.
export {
  type BuildFeaturesOptions,
  type BuildFeaturesResult,
  buildFeatures,
  describeFeatureTable,
  FEATURE_COLUMNS,
  type FeatureColumn,
  type FeaturesParams,
  featureParams,
  featuresSql,
} from './analytics/features/index.js';
// Sales forecasts (issue 15): ETS, Theta, seasonal naive, combination; intervals; rolling-origin backtest.
export {
  accuracy as forecastAccuracy,
  autoEts,
  type BacktestResult,
  backtestSeries,
  type EtsModel,
  type ForecastParams,
  type ForecastResult,
  type ForecastSeriesResult,
  forecastSales,
  forecastSeries,
  forecastTable,
  type SeriesForecast,
  type TableForecastOptions,
  writeForecast,
} from './analytics/forecast/index.js';
export {
  buildTrainingSet,
  CUSTOMER_SCORES_TABLE,
  type EvaluationReport,
  type ExplainedRow,
  explainLoaded,
  type FeatureImportance,
  findLookalikes,
  getModel,
  type LabelSpec,
  type LookalikeOptions,
  type LookalikeResult,
  listModels,
  loadTable,
  MODELS_TABLE,
  type PredictModel,
  type PredictParams,
  parsePredictParams,
  probabilitySql,
  type Reason,
  SCORES_TABLE,
  type ScoredRow,
  saveModel,
  scoreQuerySql,
  scoreTable,
  storeScores,
  type TrainingSetOptions,
  type TrainingSetResult,
  type TrainOptions,
  type TrainResult,
  trainModel,
} from './analytics/predict/index.js';
export {
  type CustomerProfitRow,
  customerProfit,
  type ParetoSummary,
  type ProfitOptions,
  type ProfitResult,
  paretoCurve,
} from './analytics/profit/index.js';
export {
  buildRfm,
  CLASSIC_MAP,
  type RfmKind,
  type RfmOptions,
  type RfmParams,
  type RfmResult,
  type RfmScore,
  type RfmTransitions,
  rfmSummary,
  rfmTransitions,
  type SegmentRule,
  scoreCore as rfmScoreCore,
  scoreSql as rfmScoreSql,
} from './analytics/rfm/index.js';
export { type SalesCube, type SalesParams, salesCube } from './analytics/sales/index.js';
export {
  countSegment,
  createSegment,
  deleteSegment,
  type ExportResult as SegmentExportResult,
  type Expr as SegmentExpr,
  exportSegment,
  listSegments,
  parseSegment,
  printSegment,
  profileSegment,
  type SegmentCount,
  type SegmentProfile,
  type StoredSegment,
} from './analytics/segments/index.js';
// Social listening: language, sentiment and topics of customer texts (issue 16).
export {
  type AnalyzeResult as TextsAnalyzeResult,
  analyzeTable as analyzeTexts,
  analyzeTexts as analyzeTextBatch,
  checkModel as checkTextsModel,
  detectLanguage as detectTextLanguage,
  explainText,
  type TextsModel,
  type TextsParams,
  type VoiceResult,
  voiceOfCustomer,
} from './analytics/texts/index.js';
export {
  AppError,
  ConfigError,
  ConnectorError,
  type ErrorCode,
  InputError,
  type Issue,
  ModelError,
  NotFoundError,
  QueryError,
} from './errors.js';
export {
  importMagento,
  type MagentoImportOptions,
  type MySqlSourceOptions,
  type PostgresSourceOptions,
  stageMySql,
  stagePostgres,
} from './ingest/index.js';
export {
  CANONICAL_TABLES,
  type CanonicalTable,
  type Columns,
  type Dialect,
  DuckDbEngine,
  type Engine,
  ident,
  migrate,
  NATURAL_KEYS,
  type OpenDatamartOptions,
  openDatamart,
  type Row,
  SqlFragment,
  sql,
  type WriteBackOptions,
  type WriteBackResult,
  writeBack,
} from './store/index.js';
export { type DatamartStatus, datamartStatus } from './store/status.js';
