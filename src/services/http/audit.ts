import { appendAudit, type Engine } from '../../store/index.js';
import type { TokenInfo } from './types.js';

/**
 * Records every export, every read of personal data and every change of access (who, when, what) in the
 * datamart's hash-chained audit log (`store/audit.ts`; `clientele audit verify` checks it).
 */
export interface AuditLog {
  record(caller: TokenInfo, action: string, target: string, details?: Record<string, unknown>): Promise<void>;
}

export function createAuditLog(engine: Engine): AuditLog {
  return {
    async record(caller, action, target, details = {}) {
      await appendAudit(engine, caller, action, target, details);
    },
  };
}
