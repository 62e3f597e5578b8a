import type { AnyRoute } from '../route.js';
import { basketRoutes } from './baskets.js';
import { campaignRoutes } from './campaigns.js';
import { cohortRoutes } from './cohorts.js';
import { customerRoutes } from './customers.js';
import { fieldRoutes } from './fields.js';
import { forecastRoutes } from './forecast.js';
import { geoRoutes } from './geo.js';
import { importRoutes } from './imports.js';
import { importUploadRoutes } from './imports-upload.js';
import { lifeEventRoutes } from './lifeevents.js';
import { overviewRoutes } from './overview.js';
import { pricingRoutes } from './pricing.js';
import { reportRoutes } from './report.js';
import { rfmRoutes } from './rfm.js';
import { riskRoutes } from './risk.js';
import { salesRoutes } from './sales.js';
import { segmentRoutes } from './segments.js';
import { systemRoutes } from './system.js';
import { textsRoutes } from './texts.js';
import { valueRoutes } from './value.js';

/** Every API route; each resource file exports its own list. */
export const ROUTES: readonly AnyRoute[] = [
  ...systemRoutes,
  ...overviewRoutes,
  ...customerRoutes,
  ...importRoutes,
  ...importUploadRoutes,
  ...segmentRoutes,
  ...rfmRoutes,
  ...valueRoutes,
  ...basketRoutes,
  ...riskRoutes,
  ...forecastRoutes,
  ...salesRoutes,
  ...cohortRoutes,
  ...pricingRoutes,
  ...lifeEventRoutes,
  ...textsRoutes,
  ...geoRoutes,
  ...campaignRoutes,
  ...fieldRoutes,
  ...reportRoutes,
];
