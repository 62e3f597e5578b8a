import type { Engine } from '../../store/index.js';
import { sql } from '../../store/index.js';

export interface MergeReport {
  /** Identities merged into an existing customer: who, from which source id, matched how. */
  merges: { loadId: number; customerId: string; idSource: string; sourceId: string; matchedBy: string }[];
  /** Field values that disagreed between sources and how each was settled. */
  conflicts: {
    loadId: number;
    customerId: string;
    idSource: string;
    sourceId: string;
    field: string;
    keptValue: string | null;
    otherValue: string | null;
    rule: string;
  }[];
  totals: { merges: number; conflicts: number; customers: number; identities: number };
}

/** The identity merge report: merges and conflicts (of one load, or all), with totals. */
export async function mergeReport(
  engine: Engine,
  options: { loadId?: number; limit?: number } = {},
): Promise<MergeReport> {
  const where = options.loadId === undefined ? sql`true` : sql`load_id = ${options.loadId}`;
  const limit = options.limit ?? 1000;
  const merges = await engine.query<MergeReport['merges'][number]>(sql`
    SELECT load_id AS "loadId", customer_id AS "customerId", id_source AS "idSource", source_id AS "sourceId",
           matched_by AS "matchedBy"
    FROM identity_merges WHERE kind = 'merge' AND ${where} ORDER BY load_id, customer_id, source_id LIMIT ${limit}`);
  const conflicts = await engine.query<MergeReport['conflicts'][number]>(sql`
    SELECT load_id AS "loadId", customer_id AS "customerId", id_source AS "idSource", source_id AS "sourceId",
           field, kept_value AS "keptValue", other_value AS "otherValue", rule
    FROM identity_merges WHERE kind = 'conflict' AND ${where}
    ORDER BY load_id, customer_id, field, rule, kept_value, other_value LIMIT ${limit}`);
  const [t] = await engine.query(sql`
    SELECT count(*) FILTER (WHERE kind = 'merge') AS merges, count(*) FILTER (WHERE kind = 'conflict') AS conflicts,
           count(DISTINCT customer_id) AS customers,
           (SELECT count(*) FROM customer_identities) AS identities
    FROM identity_merges WHERE ${where}`);
  return {
    merges,
    conflicts,
    totals: {
      merges: Number(t?.merges ?? 0),
      conflicts: Number(t?.conflicts ?? 0),
      customers: Number(t?.customers ?? 0),
      identities: Number(t?.identities ?? 0),
    },
  };
}
