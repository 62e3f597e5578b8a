import type { Command } from '../command.js';
import { auditCommand, settingsCommand } from './audit.js';
import { basketCommand } from './basket.js';
import { campaignCommand } from './campaign.js';
import { clusterCommand } from './cluster.js';
import { clvCommand } from './clv.js';
import { cohortsCommand } from './cohorts.js';
import { demoCommand } from './demo.js';
import { eraseCommand } from './erase.js';
import { featuresCommand } from './features.js';
import { forecastCommand } from './forecast.js';
import { geoCommand } from './geo.js';
import { importCommand } from './import.js';
import { initCommand } from './init.js';
import { lookalikeCommand } from './lookalike.js';
import { predictCommand } from './predict.js';
import { pressureCommand } from './pressure.js';
import { profitCommand } from './profit.js';
import { recommendCommand } from './recommend.js';
import { rfmCommand } from './rfm.js';
import { salesCommand } from './sales.js';
import { segmentCommand } from './segment.js';
import { serveCommand } from './serve.js';
import { sqlCommand } from './sql.js';
import { statusCommand } from './status.js';
import { textsCommand } from './texts.js';
import { tokenCommand } from './token.js';

/** Every CLI verb, in the order `clientele --help` lists them. */
export const COMMANDS: readonly Command[] = [
  initCommand,
  importCommand,
  statusCommand,
  sqlCommand,
  serveCommand,
  tokenCommand,
  basketCommand,
  demoCommand,
  recommendCommand,
  featuresCommand,
  rfmCommand,
  segmentCommand,
  predictCommand,
  lookalikeCommand,
  geoCommand,
  clvCommand,
  profitCommand,
  clusterCommand,
  campaignCommand,
  pressureCommand,
  auditCommand,
  settingsCommand,
  eraseCommand,
  textsCommand,
  forecastCommand,
  salesCommand,
  cohortsCommand,
];
