import type { Command } from '../command.js';

/**
 * One CLI verb as the registry knows it before its module is loaded: the name and the one-line summary that
 * `clientele --help` lists, and a loader that imports the command's module (and so its analytics, DuckDB,
 * exceljs ...) only when that verb runs. A test checks that each entry's name and summary equal the loaded
 * command's, so the two cannot drift apart.
 */
export interface CommandEntry {
  readonly name: string;
  /** One line for `clientele --help`: the same text as the loaded command's `summary`. */
  readonly summary: string;
  load(): Promise<Command>;
}

/**
 * Every CLI verb, in the order `clientele --help` lists them. To add a command, add one entry here (name,
 * summary copied from the command, lazy `import()` of its module); nothing imports command modules eagerly,
 * which keeps `clientele --help` and small queries fast to start (issue 20, item 6).
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'init',
    summary: 'create (or upgrade) the datamart file',
    load: async () => (await import('./init.js')).initCommand,
  },
  {
    name: 'import',
    summary:
      'load CSV/Excel/Parquet/JSON files into the datamart (validated, rejects kept, idempotent upsert)',
    load: async () => (await import('./import.js')).importCommand,
  },
  {
    name: 'status',
    summary: 'tables, row counts, date ranges, recent loads and rejects',
    load: async () => (await import('./status.js')).statusCommand,
  },
  {
    name: 'sql',
    summary: 'run a read-only SQL query on the datamart (sandboxed)',
    load: async () => (await import('./sql.js')).sqlCommand,
  },
  {
    name: 'serve',
    summary: 'serve the HTTP API and the web dashboard',
    load: async () => (await import('./serve.js')).serveCommand,
  },
  {
    name: 'token',
    summary: 'create, list and revoke API tokens (roles: viewer, analyst, admin)',
    load: async () => (await import('./token.js')).tokenCommand,
  },
  {
    name: 'basket',
    summary: 'association rules and frequent itemsets (market-basket analysis)',
    load: async () => (await import('./basket.js')).basketCommand,
  },
  {
    name: 'demo',
    summary: 'generate a realistic demo shop, import it and show what Clientele finds',
    load: async () => (await import('./demo.js')).demoCommand,
  },
  {
    name: 'recommend',
    summary: 'next best offers per customer, with reasons; holdout evaluation against popularity',
    load: async () => (await import('./recommend.js')).recommendCommand,
  },
  {
    name: 'features',
    summary: 'build the customer feature view (customer_features) as of a date',
    load: async () => (await import('./features.js')).featuresCommand,
  },
  {
    name: 'rfm',
    summary: 'RFM / RFO / RFC scores, segments and segment movement',
    load: async () => (await import('./rfm.js')).rfmCommand,
  },
  {
    name: 'segment',
    summary: 'count, store, profile and export customer segments (filter language)',
    load: async () => (await import('./segment.js')).segmentCommand,
  },
  {
    name: 'predict',
    summary: 'train, evaluate, score and explain churn / response / propensity models',
    load: async () => (await import('./predict.js')).predictCommand,
  },
  {
    name: 'lookalike',
    summary: 'find prospects or customers who look like a seed segment ("statistical twins")',
    load: async () => (await import('./lookalike.js')).lookalikeCommand,
  },
  {
    name: 'geo',
    summary: 'customers against their areas: profile vs national average, penetration, areas with potential',
    load: async () => (await import('./geo.js')).geoCommand,
  },
  {
    name: 'clv',
    summary: 'customer lifetime value: BG/NBD, Pareto/NBD, Gamma-Gamma, sBG; predictions, tiers, validation',
    load: async () => (await import('./clv.js')).clvCommand,
  },
  {
    name: 'profit',
    summary: 'customer profitability: margin after goods, discounts, returns and cost to serve; Pareto curve',
    load: async () => (await import('./profit.js')).profitCommand,
  },
  {
    name: 'cluster',
    summary: 'k-means / k-prototypes customer clusters with generated names; behaviour groups',
    load: async () => (await import('./cluster.js')).clusterCommand,
  },
  {
    name: 'campaign',
    summary:
      'campaign evaluation: lift against the control group with intervals, p-values, incremental revenue and ROI',
    load: async () => (await import('./campaign.js')).campaignCommand,
  },
  {
    name: 'pressure',
    summary:
      'marketing pressure: response against recent sends, saturation point, saturated / on target / under-solicited contacts',
    load: async () => (await import('./pressure.js')).pressureCommand,
  },
  {
    name: 'audit',
    summary: 'check the hash-chained audit log (`audit verify`) or list its last entries',
    load: async () => (await import('./audit.js')).auditCommand,
  },
  {
    name: 'settings',
    summary: 'show or change privacy and limit settings (minimum cell size, retention, viewer limits)',
    load: async () => (await import('./audit.js')).settingsCommand,
  },
  {
    name: 'erase',
    summary: 'erase a person: remove their personal data everywhere and keep them out of later imports',
    load: async () => (await import('./erase.js')).eraseCommand,
  },
  {
    name: 'texts',
    summary: 'Social listening: language, sentiment and topics of customer texts',
    load: async () => (await import('./texts.js')).textsCommand,
  },
  {
    name: 'forecast',
    summary: 'sales forecasts (ETS, Theta, combination) with intervals and a backtest against seasonal naive',
    load: async () => (await import('./forecast.js')).forecastCommand,
  },
  {
    name: 'sales',
    summary:
      'the sales cube: revenue, orders, customers, units, margin, AOV by any dimension, vs previous period and last year',
    load: async () => (await import('./sales.js')).salesCommand,
  },
  {
    name: 'cohorts',
    summary: 'retention and value triangles by first-order month, channel or category',
    load: async () => (await import('./cohorts.js')).cohortsCommand,
  },
  {
    name: 'whatif',
    summary:
      'price elasticity per category/product and what a price change does to units, revenue and margin',
    load: async () => (await import('./whatif.js')).whatifCommand,
  },
  {
    name: 'lifeevents',
    summary:
      'life events and behaviour changes per customer (new baby, moving, channel switch), usable in segments',
    load: async () => (await import('./lifeevents.js')).lifeeventsCommand,
  },
  {
    name: 'report',
    summary: 'a self-contained HTML (and PDF) report for marketing experts, or one campaign’s evaluation',
    load: async () => (await import('./report.js')).reportCommand,
  },
];
