import type { DdlStatement, TableDef } from '../dialect.js';
import { ident, raw, type SqlFragment, sql, stringLiteral } from '../sql.js';
import { ClickHouseDialect } from './clickhouse.js';

/**
 * Where a ClickHouse datamart lives: one server (`single`, the default), or a cluster named in the
 * servers' `remote_servers` configuration.
 */
export type ClickHouseTopology =
  | { readonly kind: 'single' }
  | {
      readonly kind: 'cluster';
      /** The cluster's name in `remote_servers`. */
      readonly name: string;
      /**
       * The sharding expression of per-customer tables: `cityHash64(customer_id)` by default, so a customer's
       * rows (orders, events, contacts, identities) sit on one shard and joins on the customer stay local.
       */
      readonly shardingKey: string;
      /** DDL runs once with `ON CLUSTER` (needs ClickHouse Keeper); otherwise it is sent to each host. */
      readonly onCluster: boolean;
      /**
       * Tables are `ReplicatedMergeTree` (needs Keeper; `{shard}` and `{replica}` macros on each host):
       * replicas of a shard copy each other and dimension tables are one replicated copy on every host.
       * Otherwise plain `MergeTree`: the import writes dimension tables to every host itself.
       */
      readonly replicated: boolean;
      /**
       * HTTP addresses of the cluster's hosts (`http://ch2:8123`) for DDL and dimension-table copies. Empty:
       * the hosts of `system.clusters`, at the port of the connection's URL.
       */
      readonly hosts: readonly string[];
    };

/** The default sharding expression: a customer's rows on one shard. */
export const DEFAULT_SHARDING_KEY = 'cityHash64(customer_id)';

/** Suffix of the local (per-host) table under a per-customer `Distributed` table. */
export const LOCAL_SUFFIX = '__local';

/**
 * Reads a topology from a connection string's parameters (`?cluster=NAME&sharding_key=…&on_cluster=1
 * &replicated=1&hosts=ch1:8123,ch2:8123`): `single` without `cluster`.
 */
export function parseTopology(params: URLSearchParams): ClickHouseTopology {
  const name = params.get('cluster');
  if (!name) return { kind: 'single' };
  if (!/^[A-Za-z0-9_.-]+$/.test(name))
    throw new TypeError(
      `cluster: expected a cluster name of letters, digits, '_', '.' or '-' (as in remote_servers), got "${name}".`,
    );
  const flag = (key: string) => ['1', 'true', 'yes'].includes((params.get(key) ?? '').toLowerCase());
  const hosts = (params.get('hosts') ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '')
    .map((h) => (/^https?:\/\//.test(h) ? h : `http://${h.includes(':') ? h : `${h}:8123`}`));
  return {
    kind: 'cluster',
    name,
    shardingKey: params.get('sharding_key') || DEFAULT_SHARDING_KEY,
    onCluster: flag('on_cluster'),
    replicated: flag('replicated'),
    hosts,
  };
}

type ClusterTopology = Extract<ClickHouseTopology, { kind: 'cluster' }>;

/** Whether a cluster shards a table (per-customer tables, and big tables with a shard column). */
export function sharded(table: TableDef): boolean {
  return table.perCustomer === true || table.shardColumn !== undefined;
}

/**
 * ClickHouse on a cluster. Per-customer tables (`TableDef.perCustomer`) are a local MergeTree table on
 * every host (`orders__local`) under a `Distributed` table of the table's own name, sharded on
 * `cityHash64(customer_id)`, so every customer's rows meet on one shard and the analyses' joins on the
 * customer run where the data is. Every other table (products, campaigns, areas, the datamart's own
 * bookkeeping) is a full copy on every host, so a shard joins to it locally. Queries need no rewriting:
 * they name `orders` and ClickHouse runs them on every shard and merges the partial aggregates; a
 * subquery over sharded tables that every shard must see whole says so with {@link broadcastIn} /
 * {@link broadcastJoin}, and the session's `distributed_product_mode = 'global'` broadcasts any other.
 */
export class ClickHouseClusterDialect extends ClickHouseDialect {
  constructor(readonly topology: ClusterTopology) {
    super();
  }

  /** Settings every session on the cluster runs with (on top of the single-server ones). */
  sessionSettings(): Record<string, string | number> {
    return {
      // A subquery or JOIN over a Distributed table inside a distributed query runs once on the initiator
      // and is sent to every shard: always correct (co-sharded joins name the table directly instead).
      distributed_product_mode: 'global',
      // The same for a plain table on the right: the analyses' own tables (customer_features and the like)
      // live on the initiator only, so it reads them once and sends them to the shards.
      prefer_global_in_and_join: 1,
      // An INSERT into a Distributed table returns when every shard has its rows (all-or-nothing import).
      distributed_foreground_insert: 1,
      // ClickHouse 26.7 rewrites max(if(c, x, NULL)) to maxIf(x, c); with aggregate_functions_null_for_empty
      // the shards then name the partial aggregate maxOrNullOrNullIf, which the initiator cannot find
      // (THERE_IS_NO_COLUMN). The two-shard harness found it; keep the aggregate as written.
      optimize_rewrite_aggregate_function_with_if: 0,
    };
  }

  override createTableStatements(table: TableDef, name: string = table.name): DdlStatement[] {
    const on = this.onCluster();
    if (!sharded(table)) return [this.statement(this.table(table, name, 'all'))];
    const local = `${name}${LOCAL_SUFFIX}`;
    const columns = this.columnsSql(table);
    return [
      this.statement(this.table(table, local, '{shard}')),
      this.statement(
        sql`CREATE TABLE IF NOT EXISTS ${ident(name)}${on} (${columns}) ENGINE = Distributed(${stringLiteral(this.topology.name)}, currentDatabase(), ${stringLiteral(local)}, ${this.shardingKeySql(table)})`,
      ),
    ];
  }

  /**
   * The sharding expression for a table; a nullable `customer_id` (guest orders) reads as '' there, since a
   * Distributed table needs an integer key: guest rows sit together on one shard.
   */
  shardingKeySql(table: TableDef): SqlFragment {
    if (!table.perCustomer && table.shardColumn) return sql`cityHash64(${ident(table.shardColumn)})`;
    const id = table.columns.find((c) => c.name === 'customer_id');
    const key = this.topology.shardingKey;
    return sql`${raw(id && !id.notNull ? key.replace(/\bcustomer_id\b/g, "ifNull(customer_id, '')") : key)}`;
  }

  override dropTableStatements(table: TableDef, name: string = table.name): DdlStatement[] {
    const on = this.onCluster();
    const names = sharded(table) ? [name, `${name}${LOCAL_SUFFIX}`] : [name];
    return names.map((n) => this.statement(sql`DROP TABLE IF EXISTS ${ident(n)}${on} SYNC`));
  }

  /** Swaps the rows on every host: the local tables of per-customer tables, the copies of the others. */
  override swapTableStatements(table: TableDef, a: string, b: string): DdlStatement[] {
    const on = this.onCluster();
    const [x, y] = sharded(table) ? [`${a}${LOCAL_SUFFIX}`, `${b}${LOCAL_SUFFIX}`] : [a, b];
    return [this.statement(sql`EXCHANGE TABLES ${ident(x)} AND ${ident(y)}${on}`)];
  }

  override renameTableStatements(table: TableDef, from: string, to: string): DdlStatement[] {
    if (sharded(table))
      throw new TypeError(
        `renameTableStatements: ${from} is sharded; its Distributed table names its local table, so create ${to} and swap instead.`,
      );
    return [this.statement(sql`RENAME TABLE ${ident(from)} TO ${ident(to)}${this.onCluster()}`)];
  }

  /**
   * `sum(if(c, x, NULL))`, not `sumIf`: with aggregate_functions_null_for_empty a shard renames `sumIf` twice
   * (`sumOrNullOrNullIf`) and the initiator cannot find the partial aggregate (ClickHouse 26.7; found by the
   * two-shard harness). The answer is the same: NULL when no row matches.
   */
  override sumIf(x: SqlFragment, condition: SqlFragment): SqlFragment {
    return sql`sum(if(${condition}, ${x}, NULL))`;
  }

  override broadcastIn(): SqlFragment {
    return sql`GLOBAL IN`;
  }
  override broadcastJoin(kind: 'INNER' | 'LEFT' = 'INNER'): SqlFragment {
    return sql`GLOBAL ${raw(kind)} JOIN`;
  }

  private onCluster(): SqlFragment {
    return this.topology.onCluster ? sql` ON CLUSTER ${ident(this.topology.name)}` : sql``;
  }
  /** With `ON CLUSTER` the statement runs once (Keeper distributes it); otherwise on each host. */
  private statement(q: SqlFragment): DdlStatement {
    return { sql: q, everyHost: !this.topology.onCluster };
  }
  /**
   * A MergeTree table; with Keeper a replicated one: a shard's replicas share `/clickhouse/tables/{shard}/…`,
   * and a full copy on every host shares one path (`all`), so each host holds all of its rows.
   */
  private table(table: TableDef, name: string, shard: string): SqlFragment {
    const engine = this.topology.replicated
      ? sql`ReplicatedMergeTree(${stringLiteral(`/clickhouse/tables/${shard}/{database}/${name}`)}, '{replica}')`
      : sql`MergeTree`;
    return this.mergeTreeSql(table, name, this.onCluster(), engine);
  }
}
