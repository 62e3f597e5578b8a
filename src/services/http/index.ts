/** The HTTP service's public entry (also the package's `./server` export). */
export { type AppOptions, type ClienteleApp, createApp } from './app.js';
export {
  type CreateTokenOptions,
  createToken,
  DEFAULT_TOKEN_DAYS,
  listTokens,
  parseRole,
  ROLES,
  revokeSessionTokens,
  revokeToken,
} from './auth.js';
export type { AnyRoute } from './route.js';
export { warmRiskRankings } from './routes/risk.js';
export type { ApiError, JobInfo, Page, Role, TokenInfo } from './types.js';
