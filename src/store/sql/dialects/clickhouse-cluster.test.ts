/**
 * The cluster topology: parsing it from the connection string, the DDL the dialect renders for sharded
 * and copied tables, and (on chdb, where installed) that the DDL runs on a real ClickHouse: `migrate` on a
 * two-host cluster (two databases of one in-process ClickHouse standing for the hosts, the cluster named in a
 * `remote_servers` config file) creates the local tables and `Distributed` tables on each host, a dimension
 * table's rows reach every host, and the import's swap and drop work on the pair.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChdbTransport } from '../../clickhouse/chdb.js';
import { ClickHouseEngine } from '../../clickhouse/engine.js';
import { runDdl } from '../../engine.js';
import { parseDbLocation } from '../../open.js';
import { migrate, TABLES } from '../../schema.js';
import { sql } from '../sql.js';
import { ClickHouseClusterDialect, type ClickHouseTopology, parseTopology } from './clickhouse-cluster.js';

const specifier = 'chdb';
const chdb = await import(specifier).catch(() => null);
if (!chdb)
  console.warn(
    'chdb is not installed: the cluster DDL is not run on ClickHouse (npm install --no-save chdb@3.4.0)',
  );

const topology = (query: string) => parseTopology(new URL(`clickhouse://h/db?${query}`).searchParams);
const cluster = (query = 'cluster=shop') =>
  new ClickHouseClusterDialect(topology(query) as Extract<ClickHouseTopology, { kind: 'cluster' }>);
const texts = (statements: { sql: { toString(): string }; everyHost: boolean }[]) =>
  statements.map((s) => [s.sql.toString(), s.everyHost] as const);

describe('cluster topology from the connection string', () => {
  it('is single without ?cluster, and a cluster sharded on the customer with one', () => {
    expect(topology('')).toEqual({ kind: 'single' });
    expect(topology('cluster=shop')).toEqual({
      kind: 'cluster',
      name: 'shop',
      shardingKey: 'cityHash64(customer_id)',
      onCluster: false,
      replicated: false,
      hosts: [],
    });
    expect(
      topology('cluster=shop&on_cluster=1&replicated=true&hosts=ch1,ch2:8124,https://ch3:8443'),
    ).toMatchObject({
      onCluster: true,
      replicated: true,
      hosts: ['http://ch1:8123', 'http://ch2:8124', 'https://ch3:8443'],
    });
    expect(() => topology('cluster=a;drop')).toThrow(/cluster name/);
  });

  it('comes with a server URL; chdb, one process, refuses a cluster plainly', () => {
    const at = parseDbLocation('clickhouse://u:p@ch1:8123/shop?cluster=shop');
    expect(at.kind === 'clickhouse' && at.topology.kind).toBe('cluster');
    expect(at.kind === 'clickhouse' && at.options.database).toBe('shop');
    expect(() => parseDbLocation('chdb:/tmp/x?cluster=shop')).toThrow(/serves no cluster/);
  });
});

describe('cluster DDL', () => {
  it('makes a per-customer table a local table on every host under a Distributed table sharded on the customer', () => {
    const [local, distributed] = texts(cluster().createTableStatements(TABLES.customers!));
    expect(local?.[0]).toMatch(
      /^CREATE TABLE IF NOT EXISTS "customers__local" \(.*\) ENGINE = MergeTree ORDER BY "customer_id"$/,
    );
    expect(distributed?.[0]).toMatch(
      /^CREATE TABLE IF NOT EXISTS "customers" \(.*\) ENGINE = Distributed\('shop', currentDatabase\(\), 'customers__local', cityHash64\(customer_id\)\)$/,
    );
    expect([local?.[1], distributed?.[1]]).toEqual([true, true]);
    // Order lines carry no customer id: sharded on their order.
    expect(texts(cluster().createTableStatements(TABLES.order_lines!))[1]?.[0]).toContain(
      `'order_lines__local', cityHash64("order_id"))`,
    );
    // Guest orders have no customer: a Distributed key must be an integer, so NULL reads as ''.
    expect(texts(cluster().createTableStatements(TABLES.orders!))[1]?.[0]).toContain(
      "cityHash64(ifNull(customer_id, ''))",
    );
  });

  it('copies every other table to every host', () => {
    for (const name of ['products', 'campaigns', 'area_data', 'meta']) {
      const statements = texts(cluster().createTableStatements(TABLES[name]!));
      expect(statements).toHaveLength(1);
      expect(statements[0]?.[0]).toMatch(
        new RegExp(`^CREATE TABLE IF NOT EXISTS "${name}" \\(.*ENGINE = MergeTree ORDER BY`),
      );
      expect(statements[0]?.[1]).toBe(true);
    }
  });

  it('runs DDL once ON CLUSTER and uses replicated engines when Keeper exists', () => {
    const d = cluster('cluster=shop&on_cluster=1&replicated=1');
    const [local, distributed] = texts(d.createTableStatements(TABLES.orders!));
    expect(local?.[0]).toContain(`"orders__local" ON CLUSTER "shop" (`);
    expect(local?.[0]).toContain(
      `ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/orders__local', '{replica}')`,
    );
    expect(distributed?.[0]).toContain(`"orders" ON CLUSTER "shop" (`);
    expect([local?.[1], distributed?.[1]]).toEqual([false, false]);
    expect(texts(d.createTableStatements(TABLES.products!))[0]?.[0]).toContain(
      `ReplicatedMergeTree('/clickhouse/tables/all/{database}/products', '{replica}')`,
    );
    expect(texts(d.swapTableStatements(TABLES.orders!, 'orders', 'orders__import'))).toEqual([
      ['EXCHANGE TABLES "orders__local" AND "orders__import__local" ON CLUSTER "shop"', false],
    ]);
  });

  it('swaps and drops the local tables of a sharded table; GLOBAL for broadcast subqueries', () => {
    const d = cluster();
    expect(texts(d.swapTableStatements(TABLES.orders!, 'orders', 'orders__import'))).toEqual([
      ['EXCHANGE TABLES "orders__local" AND "orders__import__local"', true],
    ]);
    expect(texts(d.dropTableStatements(TABLES.orders!, 'orders__import'))).toEqual([
      ['DROP TABLE IF EXISTS "orders__import" SYNC', true],
      ['DROP TABLE IF EXISTS "orders__import__local" SYNC', true],
    ]);
    expect(sql`x ${d.broadcastIn()} (SELECT 1)`.toString()).toBe('x GLOBAL IN (SELECT 1)');
    expect(sql`a ${d.broadcastJoin('LEFT')} b`.toString()).toBe('a GLOBAL LEFT JOIN b');
  });
});

describe.skipIf(!chdb)('cluster DDL on ClickHouse (chdb; two databases stand for two hosts)', () => {
  let dir: string;
  let engine: ClickHouseEngine;
  let host2: ClickHouseEngine;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clientele-cluster-ddl-'));
    const config = join(dir, 'cluster.xml');
    writeFileSync(
      config,
      `<clickhouse><remote_servers><two>
  <shard><replica><host>127.0.0.1</host><port>9000</port><default_database>host1</default_database></replica></shard>
  <shard><replica><host>127.0.0.1</host><port>9000</port><default_database>host2</default_database></replica></shard>
</two></remote_servers></clickhouse>`,
    );
    const dialect = cluster('cluster=two');
    const data = join(dir, 'ch');
    const first = await ChdbTransport.open(data, { connectionArgs: [`--config-file=${config}`] });
    const second = await ChdbTransport.open(data);
    for (const t of [first, second]) await t.command('CREATE DATABASE IF NOT EXISTS host1', {});
    await first.command('CREATE DATABASE IF NOT EXISTS host2', {});
    await first.command('USE host1', {});
    await second.command('USE host2', {});
    engine = new ClickHouseEngine(first, dialect, [second]);
    host2 = new ClickHouseEngine(second, dialect);
  });

  afterAll(async () => {
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('migrate creates local and Distributed tables on every host', async () => {
    await migrate(engine);
    const tables = (e: ClickHouseEngine) =>
      e.query<{ name: string; engine: string }>(
        `SELECT name, engine FROM system.tables WHERE database = currentDatabase() ORDER BY name`,
      );
    for (const host of [engine, host2]) {
      const found = Object.fromEntries((await tables(host)).map((t) => [t.name, t.engine]));
      expect(found.orders).toBe('Distributed');
      expect(found.orders__local).toBe('MergeTree');
      expect(found.campaign_events).toBe('Distributed');
      expect(found.products).toBe('MergeTree');
      expect(found.order_lines).toBe('Distributed');
      expect(found.order_lines__local).toBe('MergeTree');
    }
  });

  it('copies a dimension table to every host and swaps and drops a sharded staging table on each', async () => {
    const file = join(dir, 'products.parquet');
    await engine.exec(
      `INSERT INTO products (sku, name, source, load_id) VALUES ('sku-1', 'Boots', 'test', 1)`,
    );
    await engine.exportParquet('products', file);
    await engine.exec('TRUNCATE TABLE products');
    await engine.importParquet('products', file);
    for (const host of [engine, host2])
      expect((await host.query(`SELECT count() AS n FROM products`))[0]?.n).toBe(1);

    const def = TABLES.orders!;
    await runDdl(engine, engine.dialect.createTableStatements(def, 'orders__import'));
    await host2.exec(
      `INSERT INTO orders__import__local (order_id, customer_id, order_date, source, load_id) VALUES ('o1', 'c1', '2026-01-01', 't', 1)`,
    );
    await runDdl(engine, engine.dialect.swapTableStatements(def, 'orders', 'orders__import'));
    await runDdl(engine, engine.dialect.dropTableStatements(def, 'orders__import'));
    expect((await host2.query(`SELECT count() AS n FROM orders__local`))[0]?.n).toBe(1);
    for (const host of [engine, host2])
      expect(
        await host.query(
          `SELECT name FROM system.tables WHERE database = currentDatabase() AND name LIKE 'orders__import%'`,
        ),
      ).toEqual([]);
  });
});
