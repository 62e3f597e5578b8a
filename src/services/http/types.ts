/**
 * Types shared by the HTTP API and the web dashboard (web/ imports only this file from src/).
 */

export type Role = 'viewer' | 'analyst' | 'admin';

export const ROLE_RANK: Readonly<Record<Role, number>> = { viewer: 1, analyst: 2, admin: 3 };

export interface TokenInfo {
  id: string;
  name: string;
  role: Role;
}

export interface ApiError {
  error: { code: string; message: string; details: Record<string, unknown> };
}

export interface JobInfo {
  id: string;
  kind: string;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  progress: number;
  message: string;
  startedAt: string;
  finishedAt: string | null;
  result: unknown;
  error: ApiError['error'] | null;
}

export interface Page<T> {
  rows: T[];
  total: number;
  offset: number;
  limit: number;
}

/*
 * Response bodies of the routes the dashboard reads. Each route's handler is declared to return its type (so
 * the API cannot drop or rename a field the dashboard uses without a type error), and the dashboard's pages
 * `import type` them (so a page cannot read a field the API does not send). Only fields the dashboard or the
 * documented API relies on are listed; a handler may send more.
 */

/** GET /api/overview */
export interface OverviewResponse {
  asOf: string;
  activeDays: number;
  /**
   * customers: customer records that are not prospects; buyers: customers with a counted order before asOf
   * (= active + lapsed). revenue is net revenue (the revenue rule); grossSales is before discounts and returns.
   */
  kpis: {
    customers: number;
    prospects: number;
    buyers: number;
    orders: number;
    revenue: number;
    grossSales: number;
    discounts: number;
    returns: number;
    margin: number;
    active: number;
    lapsed: number;
  };
  byMonth: { month: string; orders: number; customers: number; revenue: number; margin: number | null }[];
  byWeekday: { weekday: number; orders: number; customers: number; revenue: number }[];
}

/** A row of GET /api/customers (a Page of these). */
export interface CustomerRow {
  customer_id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  city: string | null;
  country: string | null;
  orders: number;
  revenue: number;
  last_order: string | null;
}

export interface TimelineEntry {
  at: string;
  kind: 'order' | 'campaign' | 'contact' | 'text';
  label: string;
  detail: Record<string, unknown>;
}

/** GET /api/customers/:id (customer 360) */
export interface Customer360Response {
  profile: Record<string, unknown>;
  orders: Record<string, unknown>[];
  events: Record<string, unknown>[];
  contacts: Record<string, unknown>[];
  texts: Record<string, unknown>[];
  timeline: TimelineEntry[];
}

/** GET /api/customers/:id/offers */
export interface CustomerOffersResponse {
  asOf: string;
  customerId: string;
  history: number;
  offers: { item: string; label: string; probability: number; reason: string; source: string }[];
}

export interface ScoreReason {
  text: string;
}

/** GET /api/customers/:id/scores */
export interface CustomerScoresResponse {
  customerId: string;
  scores: {
    model: string;
    target: string;
    score: number;
    band: string;
    bandLabel: string;
    reasons: ScoreReason[];
  }[];
}

/** GET /api/rfm */
export interface RfmResponse {
  scored: number;
  notScored: number;
  /** Customers per (R, F) cell; null for a viewer when 1 to k−1 (minimum cell size). */
  cells: (number | null)[][];
  /** Viewers: segments left out because they hold fewer than k customers. */
  suppressedSegments?: number;
  segments: {
    segment: string;
    /** The segment's name in the caller's language (`segment` stays the name expressions use). */
    label: string;
    customers: number;
    share: number;
    meanRecencyDays: number;
    meanFrequency: number;
    meanValue: number;
    valueShare: number;
  }[];
  params: { asOf: string; kind: string };
}

/**
 * GET /api/rfm?kind=rfo|rfc: the e-mail engagement profile, the same JSON as `clientele rfm --kind rfo|rfc
 * --json` (recency and frequency of the opens or clicks themselves; `kind` names the grid in focus).
 */
export interface RfmEngagementResponse {
  kind: 'rfo' | 'rfc';
  asOf: string;
  windowDays: number;
  recentDays: number;
  channel: string;
  contacts: number;
  openPrior: {
    alpha: number;
    beta: number;
    mean: number;
    strength: number;
    converged: boolean;
    contacts: number;
  };
  clickPrior: {
    alpha: number;
    beta: number;
    mean: number;
    strength: number;
    converged: boolean;
    contacts: number;
  };
  quadrants: {
    quadrant: string;
    contacts: number;
    share: number;
    meanOpenProbability: number;
    meanClickProbability: number;
    /** Mean days since the last open (null when nobody in the quadrant opened). */
    meanOpenRecencyDays: number | null;
    declining: number;
  }[];
  /** Viewers: quadrants left out because they hold fewer than k contacts. */
  suppressedQuadrants?: number;
  /** Contacts per (R, F) cell of opens and of clicks; null for a viewer when 1 to k−1. */
  rfo: (number | null)[][];
  rfc: (number | null)[][];
  monthly: { month: string; delivered: number; opens: number; openRate: number; clickRate: number }[];
  declining: number;
  saved: number | null;
  warnings: string[];
}

/** GET /api/rfm/movement */
export interface RfmMovementResponse {
  states: string[];
  /** Customers moving from → to; null for a viewer when 1 to k−1 (minimum cell size). */
  matrix: (number | null)[][];
  stayed: number;
}

/** POST /api/segments/preview (analysts: personal data) */
export interface SegmentPreviewResponse {
  members: {
    customerId: string;
    name: string | null;
    city: string | null;
    orders: number;
    revenue: number;
    recencyDays: number | null;
  }[];
}

/** GET /api/segments/columns */
export interface SegmentColumnsResponse {
  /** `label` and `description` from the field dictionary, in the caller's language (`?lang=`/Accept-Language). */
  columns: { name: string; kind: string; label: string; description: string | null }[];
}

/** GET /api/fields: the field dictionary in one language. */
export interface FieldsResponse {
  lang: string;
  fields: { name: string; label: string; unit: string; unitLabel: string; description: string }[];
}

/** POST /api/segments/count */
export interface SegmentCountResponse {
  /** null when suppressed (a viewer's cell under the minimum size). */
  count: number | null;
  total: number;
  share: number | null;
  asOf: string;
  expression: string;
  /** Viewers: true when the segment (or its complement) has fewer than `minCellSize` customers. */
  suppressed?: boolean;
  minCellSize?: number;
  /** Text values no customer has, naming the known values (they would count 0 silently). */
  warnings?: string[];
  unknownValues?: { column: string; values: string[]; known: string[] }[];
}

/** POST /api/segments/profile and GET /api/segments/:name */
export interface SegmentProfileResponse {
  /** null when suppressed (a viewer's cell under the minimum size): then no figures at all. */
  size: number | null;
  total: number;
  share: number | null;
  revenueShare: number | null;
  marginShare: number | null;
  suppressed?: boolean;
  minCellSize?: number;
  averages: { column: string; segment: number | null; base: number | null; lift: number | null }[];
  /** The attributes that most distinguish the segment, by standardised difference. */
  distinctions: {
    attribute: string;
    /** For a category: the value; absent for numbers. */
    value?: string;
    segment: number;
    base: number;
    lift: number | null;
    effect: number;
    inDefinition: boolean;
  }[];
}

/** GET /api/segments */
export interface SegmentListResponse {
  segments: {
    name: string;
    definition: string;
    lastSize: number | null;
    lastAsOf: string | null;
    /** Recorded sizes, oldest first (null for a viewer under the minimum cell size). */
    history: { asOf: string; measuredAt: string; size: number | null }[];
  }[];
}

/** GET /api/segments/:name/history */
export interface SegmentHistoryResponse {
  name: string;
  /** Oldest first; `size` null for a viewer when under the minimum cell size. */
  history: { asOf: string; measuredAt: string; size: number | null; total: number }[];
}

/** The result of the POST /api/clusters/run job. */
export interface ClusterRunResult {
  k: number;
  customers: number;
  chosenBy: string;
  silhouettes: { k: number; silhouette: number }[];
  clusters: {
    cluster: number;
    name: string;
    size: number;
    share: number;
    features: { feature: string; z: number; mean: number | null; baseMean: number | null }[];
  }[];
}

/** GET /api/clusters/latest: the datamart's latest saved cluster run (null before the first). */
export interface ClusterLatestResponse {
  run: (ClusterRunResult & { asOf: string; ranAt: string }) | null;
}

/** GET /api/profit */
export interface ProfitResponse {
  asOf: string;
  /** The cost-to-serve model used, in the datamart's currency. */
  cost: {
    perOrder: number;
    shippingPerOrder: number;
    perReturn: number;
    perServiceContact: number;
    campaignCostEvent: string;
  };
  /** Every customer with an order or a contact up to asOf. */
  customers: number;
  /** Customers with a counted order up to asOf. */
  buyers: number;
  totals: {
    grossSales: number;
    discounts: number;
    returns: number;
    /** The revenue rule's net revenue: the same figure as the overview's revenue. */
    netRevenue: number;
    cogs: number;
    fulfilmentCost: number;
    serviceCost: number;
    campaignCost: number;
    profit: number;
  };
  pareto: {
    customers: number;
    points: { customerShare: number; profitShare: number }[];
    negative: { customers: number; profit: number };
  };
  /** The most and least profitable customers; empty for viewers (customer lists are personal data). */
  top: { customerId: string; profit: number; netRevenue: number; marginRatio: number | null }[];
  bottom: { customerId: string; profit: number; netRevenue: number; marginRatio: number | null }[];
}

/** GET /api/clv */
export interface ClvResponse {
  modelId: string;
  asOf: string;
  /** `label`: the tier's name in the caller's language (`tier` stays the name expressions use). */
  tiers: {
    tier: string;
    label: string;
    customers: number;
    clv: number;
    minClv: number;
    meanPAlive: number;
  }[];
  histogram: { bucket: number; customers: number }[];
  /**
   * Customers with a negative CLV (kept, not floored: their own margin ratio is below 0, so their expected
   * purchases are expected to cost money) and their CLV in total.
   */
  negative: { customers: number; clv: number };
}

export interface BaselineAuc {
  feature: string;
  auc: number;
}

/** GET /api/predict/models */
export interface ModelListResponse {
  models: {
    id: string;
    kind: string;
    target: string;
    rows: number;
    auc: number | null;
    baseline: BaselineAuc | null;
    /** The data's as-of the model was trained on. */
    asOf: string;
    /** Cross-validated AUC minus the baseline's. */
    aucGain: number | null;
    /** Weighted mean |predicted − observed| over calibration bins (0 = perfect). */
    calibrationError: number | null;
    /** Days from the model's as-of to the latest order. */
    ageDays: number | null;
    verdict: 'barely beats its baseline' | 'adds to its baseline' | 'no evaluation';
  }[];
}

/** GET /api/predict/models/:id */
export interface ModelDetailResponse {
  id: string;
  kind: string;
  asOf: string;
  rows: number;
  report: {
    auc: number | null;
    aucGain: number | null;
    baseline: BaselineAuc | null;
    lift: { decile: number; lift: number; cumulativeGain: number }[];
    calibration: { meanPredicted: number; observedRate: number; rows: number }[];
  } | null;
}

/** GET /api/predict/models/:id/top */
export interface ModelTopResponse {
  id: string;
  asOf: string;
  scored: number;
  /** `band`: high ≥ 0.7, medium ≥ 0.3, else low; `bandLabel` in the caller's language. */
  rows: { customerId: string; score: number; band: string; bandLabel: string; reasons: ScoreReason[] }[];
}

/** GET /api/basket/rules */
export interface BasketRulesResponse {
  transactions: number;
  minCount: number;
  itemsets: number;
  count: number;
  seconds: number;
  rules: {
    lhs: string[];
    rhs: string[];
    support: number;
    confidence: number;
    lift: number;
    count: number;
    leverage: number;
    conviction: number | null;
  }[];
  network: { nodes: string[]; edges: { source: string; target: string; lift: number; confidence: number }[] };
}

/** GET /api/status */
export interface StatusResponse {
  tables: { name: string; rows: number; from: string | null; to: string | null }[];
  loads: {
    loadId: number;
    source: string;
    target: string;
    status: string;
    read: number;
    loaded: number;
    rejected: number;
    duplicates: number;
    startedAt: string;
    /** How long the load took, in seconds (null while it runs or when it failed). */
    seconds: number | null;
  }[];
  rejects: { total: number };
}

/** A row of GET /api/rejects (a Page of these). */
export interface RejectRow {
  load_id: number;
  source: string;
  target: string;
  line: number | null;
  column_name: string | null;
  raw_value: string | null;
  reason: string;
  kind: string;
}

/** GET /api/forecast: net-revenue forecasts with intervals and a backtest against seasonal naive. */
export interface ForecastResponse {
  source: 'datamart' | 'table';
  measure: string;
  by: string;
  asOf: string;
  frequency: 'day' | 'week' | 'month';
  period: number;
  horizon: number;
  level: number;
  method: 'combination' | 'ets' | 'theta' | 'snaive';
  series: {
    series: string;
    model: string;
    method: 'combination' | 'ets' | 'theta' | 'snaive';
    intervals: 'analytic' | 'simulated' | 'mixed';
    history: { date: string; value: number }[];
    forecast: { date: string; forecast: number; lower: number; upper: number }[];
    backtest: {
      mase: number | null;
      smape: number | null;
      benchmarkMase: number | null;
      benchmarkSmape: number | null;
      relativeMase: number | null;
      verdict: 'better' | 'similar' | 'worse' | 'insufficient';
      origins: number;
    };
    explanation: {
      model: string;
      parameters: Record<string, number>;
      relativeMase: number | null;
      verdict: 'better' | 'similar' | 'worse' | 'insufficient';
      notes: string[];
    };
    /** Calendar effects used (factor per event: december, easter, black_friday), or null (monthly data). */
    calendar: Record<string, number> | null;
  }[];
  warnings: string[];
}

/** Measures of the sales cube. */
export interface SalesMeasuresDto {
  revenue: number;
  orders: number;
  customers: number;
  units: number;
  margin: number | null;
  aov: number | null;
}

/** A row of the sales cube. */
export interface SalesCubeRowDto {
  key: string;
  current: SalesMeasuresDto;
  previous: SalesMeasuresDto;
  lastYear: SalesMeasuresDto;
  share: number;
  change: number;
  changePct: number | null;
  changeLastYear: number;
  changeLastYearPct: number | null;
}

/** GET /api/sales: the sales cube. */
export interface SalesResponse {
  by: string | null;
  grain: 'day' | 'week' | 'month';
  windows: Record<'current' | 'previous' | 'lastYear', { from: string; to: string }>;
  totals: Record<'current' | 'previous' | 'lastYear', SalesMeasuresDto>;
  rows: SalesCubeRowDto[];
  omitted: number;
  movers: { up: SalesCubeRowDto[]; down: SalesCubeRowDto[] };
  trend: ({ period: string; key: string } & SalesMeasuresDto)[];
  /** `pre-aggregate` (sales_daily, up to date) or `order lines` (computed from the lines). */
  source: 'pre-aggregate' | 'order lines';
  warnings: string[];
}

/** GET /api/texts (voice of the customer) */
export interface VoiceResponse {
  asOf: string | null;
  texts: number;
  analysed: number;
  languages: { language: string; texts: number; meanSentiment: number; shareNegative: number }[];
  monthly: { month: string; language: string; texts: number; meanSentiment: number; shareNegative: number }[];
  keywordTopics: VoiceTopicInfo[];
  discoveredTopics: VoiceTopicInfo[];
  segments: {
    segment: string;
    customers: number;
    texts: number;
    meanSentiment: number;
    shareNegative: number;
    trend: number | null;
    topTopics: string[];
  }[];
  segmentSource: 'rfm' | 'all';
  alerts: {
    customerId: string;
    name: string;
    revenue: number;
    valueRank: number;
    textId: string;
    time: string;
    language: string | null;
    text: string;
    sentiment: number;
    topics: string[];
  }[];
  alertDays: number;
  valuablePercentile: number;
}

export interface VoiceTopicInfo {
  topic: string;
  language: string | null;
  texts: number;
  meanSentiment: number | null;
  shareNegative: number;
  examples: {
    textId: string;
    customerId: string | null;
    time: string | null;
    language: string | null;
    text: string;
    sentiment: number;
  }[];
}

/** Result of the POST /api/texts/analyze job */
export interface TextsAnalyzeResult {
  rows: number;
  written: number;
  languages: { language: string; texts: number; meanSentiment: number }[];
  validation: { auc: number; lexiconAuc: number; rows: number } | null;
  warnings: string[];
}

/* --- geo and lookalikes (issue 14) --- */

/** One shown area cell (never fewer customers than the minimum cell size). */
export interface GeoCellInfo {
  level: 'area' | 'prefix' | 'region' | 'country';
  key: string;
  country: string;
  label: string;
  areas: number;
  households: number;
  customers: number;
  known: number;
  members: number;
  latitude: number | null;
  longitude: number | null;
  text: string;
}

export interface GeoSuppressedInfo {
  areas: number;
  households: number;
  count: number | null;
}

/** GET /api/geo/penetration */
export interface GeoPenetrationResponse {
  asOf: string;
  segment: string | null;
  counted: 'customers' | 'segment members';
  minCellSize: number;
  total: { count: number; households: number; penetration: number | null };
  cells: (GeoCellInfo & { penetration: number | null; index: number | null })[];
  suppressed: GeoSuppressedInfo;
  warnings: string[];
}

/** GET /api/geo/potential */
export interface GeoPotentialResponse {
  asOf: string;
  seed: string;
  valueColumn: string;
  value: number;
  overallRate: number;
  minCellSize: number;
  cells: (GeoCellInfo & { twinRate: number; potential: number; untapped: number })[];
  suppressed: GeoSuppressedInfo;
  warnings: string[];
}

/** GET /api/geo/profile */
export interface GeoProfileResponse {
  asOf: string;
  segment: string;
  members: number;
  minCellSize: number;
  suppressed: boolean;
  measures: {
    measure: string;
    segment: number | null;
    national: number | null;
    index: number | null;
    baseIndex: number | null;
  }[];
  warnings: string[];
}

/** POST /api/lookalike */
export interface LookalikeResponse {
  method: 'classifier' | 'neighbours';
  seedSize: number;
  populationSize: number;
  separation: number | null;
  baseRate: number;
  /** `label`: the field in plain words in the request's language (Accept-Language). */
  features: { name: string; label: string; group: string; kind: string; description: string }[];
  excluded: { name: string; reason: string }[];
  bands: {
    band: 'very similar' | 'similar' | 'somewhat similar' | 'not similar';
    customers: number;
    minLift: number;
    /** Upper end of the band's lift interval (null: none). */
    maxLift: number | null;
    /** Seed share among the held-out training rows in the band (inside [minLift, maxLift) × baseRate). */
    observedSeedRate: number | null;
    /** The same with each half of those rows banded by a calibration fitted on the other half. */
    checkedSeedRate: number | null;
  }[];
  drivers: {
    feature: string;
    /** The feature in plain words in the request's language. */
    label: string;
    importance: number;
    seedMean: number | null;
    populationMean: number | null;
    level: string | null;
    seedShare: number | null;
    populationShare: number | null;
    /** A sentence in the request's language. */
    text: string;
  }[];
  rows: { customerId: string; similarity: number; lift: number; band: string }[];
  saved: { segment: string; scoreColumn: string; expression: string; members: number } | null;
  warnings: string[];
}

/** GET /api/campaigns (issue 13): each campaign's funnel and its lift against the holdout group. */
export interface CampaignsResponse {
  asOf: string;
  horizonDays: number;
  /** The one outcome definition behind conversions, orders, revenue and lift (page, CLI, API). */
  outcome: { base: string; windowDays: number; conversion: string; revenue: string };
  campaigns: {
    campaignId: string;
    name: string | null;
    channel: string | null;
    startDate: string | null;
    keywords: string[];
    sent: number;
    delivered: number;
    opens: number;
    clicks: number;
    /** Sent contacts with an order within the window, their orders and net revenue (revenue rule). */
    conversions: number;
    orders: number;
    revenue: number;
    control: number;
    rate: number | null;
    controlRate: number | null;
    lift: number | null;
    ciLow: number | null;
    ciHigh: number | null;
    pValue: number | null;
    revenueLift: number | null;
    revenueCiLow: number | null;
    revenueCiHigh: number | null;
    incrementalRevenue: number | null;
    cost: number | null;
    roi: number | null;
  }[];
  warnings: string[];
}

/** GET /api/campaigns/segments: one campaign's lift by a customer attribute (where it works). */
export interface CampaignSegmentsResponse {
  campaignId: string;
  by: string;
  rows: {
    segment: string;
    treated: number;
    control: number;
    rate: number;
    controlRate: number | null;
    lift: number | null;
    ciLow: number | null;
    ciHigh: number | null;
    pValue: number | null;
  }[];
  /** Viewers: segments left out because their sent or held-out contacts number 1 to k−1. */
  suppressedSegments?: number;
  warnings: string[];
}

/** GET /api/campaigns/pressure: response against recent sends and the pressure classes. */
export interface CampaignPressureResponse {
  asOf: string;
  channel: string;
  windowDays: number;
  curve: { sends: number; n: number; rate: number; adjustedRate: number; ciLow: number; ciHigh: number }[];
  saturationSends: number | null;
  peakSends: number | null;
  /** class is a key (saturated, on target, under-solicited); the dashboard shows it translated. */
  classes: {
    class: string;
    contacts: number;
    meanRecentSends: number;
    medianRecentSends: number | null;
    meanResponse: number;
  }[];
  /** Viewers: classes (1 to k−1 contacts) and curve points (1 to k−1 sends) left out. */
  suppressedClasses?: number;
  suppressedPoints?: number;
  warnings: string[];
}

/** GET /api/cohorts: retention and value triangles. */
export interface CohortsResponse {
  by: 'first_order_month' | 'first_channel' | 'first_category' | 'campaign';
  metric: 'customers' | 'orders' | 'revenue' | 'margin';
  periods: number;
  asOf: string;
  cohorts: {
    cohort: string;
    size: number;
    values: (number | null)[];
    rates: (number | null)[];
    cumulative: (number | null)[];
  }[];
  warnings: string[];
}

/** GET /api/texts/customers/:id */
export interface CustomerVoiceResponse {
  customerId: string;
  asOf: string | null;
  texts: number;
  meanSentiment: number | null;
  shareNegative: number | null;
  trend: number | null;
  lastTextTime: string | null;
  topTopics: { topic: string; texts: number }[];
}

/** GET /api/campaigns/customer/:id: the saved campaign profiles of one customer (null where not saved yet). */
export interface CustomerCampaignsResponse {
  customerId: string;
  engagement: {
    quadrant: string;
    openProbability: number;
    clickProbability: number;
    openTrend: number;
    declining: boolean;
    delivered: number;
    opens: number;
    clicks: number;
  } | null;
  interests: { keyword: string; interest: number }[];
  sendTime: { bestIsoWeekday: number | null; bestHour: number | null; bestChannel: string | null } | null;
  pressure: { class: string; recentSends: number } | null;
}

/** GET /api/campaigns/engagement: RFO / RFC on opens and clicks, open × click quadrants. */
export interface CampaignEngagementResponse {
  asOf: string;
  contacts: number;
  openRate: number;
  clickRate: number;
  quadrants: {
    quadrant: string;
    contacts: number;
    share: number;
    meanOpenProbability: number;
    meanClickProbability: number;
    /** null for a viewer when 1 to k−1. */
    declining: number | null;
  }[];
  /** Viewers: quadrants left out because they hold 1 to k−1 contacts. */
  suppressedQuadrants?: number;
  /** Contacts per (R, F) cell; null for a viewer when 1 to k−1 (minimum cell size). */
  rfo: (number | null)[][];
  rfc: (number | null)[][];
  declining: number | null;
  warnings: string[];
}

/** One price elasticity with its interval (GET /api/pricing/elasticities, /api/pricing/whatif). */
export interface ElasticityFigure {
  elasticity: number;
  se: number;
  lower: number;
  upper: number;
}

/** GET /api/pricing/elasticities: price elasticity of units per category, and per product (pooled). */
export interface ElasticitiesResponse {
  asOf: string;
  from: string;
  to: string;
  level: number;
  categories: (ElasticityFigure & {
    category: string;
    supported: boolean;
    reason: string | null;
    products: number;
    weeks: number;
    cells: number;
    units: number;
    priceVariation: number;
    priceRange: [number, number];
    promoEffect: number;
    trafficEffect: number;
    dispersion: number;
    tau: number;
    converged: boolean;
    iterations: number;
  })[];
  products: (ElasticityFigure & {
    sku: string;
    category: string;
    raw: number;
    rawSe: number;
    shrinkage: number;
    weeks: number;
    units: number;
  })[];
  warnings: string[];
}

/** A simulated figure with its interval. */
export interface RangeFigure {
  value: number;
  lower: number;
  upper: number;
}

/** GET /api/pricing/whatif: what a price change does to units, net revenue and margin. */
export interface WhatIfResponse {
  asOf: string;
  level: 'category' | 'product';
  name: string;
  category: string;
  priceChange: number;
  supported: boolean;
  reason: string | null;
  elasticitySource: 'product' | 'category' | null;
  elasticity: ElasticityFigure | null;
  intervalLevel: number;
  baseline: { from: string; to: string; weeks: number; units: number; revenue: number; cost: number | null };
  simulated: { units: RangeFigure; revenue: RangeFigure; margin: RangeFigure | null } | null;
  summary: string;
  warnings: string[];
}

/** GET /api/profit/break-even: when customers became profitable, per RFM segment or acquisition quarter. */
export interface BreakEvenResponse {
  asOf: string;
  by: 'segment' | 'cohort';
  rows: {
    group: string;
    customers: number;
    profitable: number;
    profitableShare: number;
    daysToProfit: { p25: number | null; median: number | null; p75: number | null };
    profitableAtFirstOrder: number;
    profitPerCustomer: number;
  }[];
  warnings: string[];
}

/** One detected life event or behaviour change (GET /api/customers/:id/life-events, /api/life-events). */
export interface LifeEventEntry {
  customerId: string;
  /** new_baby, moving, wedding, channel_switch, or a rule's own type. */
  type: string;
  date: string;
  /** The evidence in plain words (English, as stored). */
  evidence: string;
  pValue: number;
}

/** POST /api/life-events/run: detection summary. */
export interface LifeEventRunResponse {
  asOf: string;
  counts: Record<string, number>;
  customers: number;
  candidates: number;
  events: number;
  warnings: string[];
}
