import { type Engine, sql } from '../../store/index.js';
import type { TokenInfo } from './types.js';

/** Records every export and every read of a single customer (who, when, what). */
export interface AuditLog {
  record(caller: TokenInfo, action: string, target: string, details?: Record<string, unknown>): Promise<void>;
}

export function createAuditLog(engine: Engine): AuditLog {
  return {
    async record(caller, action, target, details = {}) {
      await engine.exec(
        sql`INSERT INTO audit_log VALUES (current_timestamp, ${caller.id}, ${caller.name}, ${caller.role},
            ${action}, ${target}, ${JSON.stringify(details)})`,
      );
    },
  };
}
