import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine, raw, sql } from '../store/index.js';
import { type DemoManifest, generateDemo } from './index.js';

/**
 * The planted patterns are measurable with plain SQL on the generated files (read here with DuckDB's own
 * readers, independent of our importer): seasonality, cross-sell affinities, campaign lift against the
 * control group, churn signals, review sentiment.
 */

let dir = '';
let engine: DuckDbEngine;
let manifest: DemoManifest;

const num = (v: unknown) => Number(v);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-planted-'));
  manifest = (await generateDemo({ customers: 4000, seed: 42, outDir: dir, asOf: '2026-06-30' })).manifest;
  engine = await DuckDbEngine.open(':memory:');
  const file = (name: string) => raw(`'${join(dir, name).replaceAll("'", "''")}'`);
  await engine.exec(sql`CREATE TABLE orders AS SELECT order_id, customer_id, try_cast(order_date AS DATE) AS order_date,
    order_time::TIMESTAMP AS order_time, status, total::DOUBLE AS total
    FROM read_csv(${file('orders.csv')}, all_varchar = true) WHERE try_cast(order_date AS DATE) IS NOT NULL`);
  await engine.exec(
    sql`CREATE TABLE lines AS SELECT * FROM read_csv(${file('order_lines.csv')}, delim = ';', decimal_separator = ',')`,
  );
  await engine.exec(
    sql`CREATE TABLE events AS SELECT * FROM read_csv(${file('campaign_events.csv')}, types = {'order_id': 'VARCHAR'})`,
  );
  await engine.exec(
    sql`CREATE TABLE contacts AS SELECT * FROM read_csv(${file('service_contacts.csv')}, delim = ';', decimal_separator = ',')`,
  );
  await engine.exec(
    sql`CREATE TABLE texts AS SELECT * FROM read_json(${file('customer_texts.ndjson')}, format = 'newline_delimited')`,
  );
  await engine.exec(
    sql`CREATE TABLE nl AS SELECT * FROM read_csv(${file('klanten_nl_be.csv')}, delim = ';', encoding = 'latin-1', all_varchar = true)`,
  );
});

afterAll(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('planted patterns (measured in SQL on the generated files)', () => {
  it('weekends and December are busier', async () => {
    const [r] = await engine.query(sql`SELECT avg((dayofweek(order_date) IN (0, 6))::INT) AS weekend,
      count(*) FILTER (WHERE month(order_date) = 12) / 3.0 AS dec_per_year,
      count(*) FILTER (WHERE month(order_date) IN (2, 3, 4)) / 9.0 AS spring_month_per_year FROM orders`);
    expect(num(r!.weekend)).toBeGreaterThan(0.33); // uniform would be 2/7 = 0.286
    expect(num(r!.dec_per_year) / num(r!.spring_month_per_year)).toBeGreaterThan(1.5);
  });

  it('same-basket affinities have a lift far above 1 and a confidence near the planted probability', async () => {
    for (const a of manifest.planted.affinities.filter((x) => x.kind === 'same-basket')) {
      const [r] =
        await engine.query(sql`WITH b AS (SELECT order_id, list(sku) AS skus FROM lines GROUP BY order_id)
        SELECT count(*) AS n, count(*) FILTER (WHERE list_contains(skus, ${a.from})) AS a,
          count(*) FILTER (WHERE list_contains(skus, ${a.to})) AS b,
          count(*) FILTER (WHERE list_contains(skus, ${a.from}) AND list_contains(skus, ${a.to})) AS ab FROM b`);
      const confidence = num(r!.ab) / num(r!.a);
      const lift = confidence / (num(r!.b) / num(r!.n));
      expect(num(r!.a), a.from).toBeGreaterThan(50);
      expect(lift, `${a.from} → ${a.to}`).toBeGreaterThan(5);
      expect(confidence).toBeGreaterThan(a.probability - 0.12);
    }
  });

  it('follow-up affinities: buyers of A buy B within the planted window at about the planted rate', async () => {
    for (const a of manifest.planted.affinities.filter((x) => x.kind === 'follow-up')) {
      const [r] =
        await engine.query(sql`WITH ao AS (SELECT DISTINCT o.order_id, o.customer_id, o.order_date FROM orders o
          JOIN lines l USING (order_id) WHERE l.sku = ${a.from} AND o.order_date < DATE '2026-06-30' - ${a.withinDays + 1}::INT),
        bo AS (SELECT o.customer_id, o.order_date FROM orders o JOIN lines l USING (order_id) WHERE l.sku = ${a.to})
        SELECT count(*) AS n, avg((EXISTS (SELECT 1 FROM bo WHERE bo.customer_id = ao.customer_id
          AND bo.order_date > ao.order_date AND bo.order_date <= ao.order_date + ${a.withinDays}::INT))::INT) AS rate FROM ao`);
      expect(num(r!.n)).toBeGreaterThan(50);
      expect(num(r!.rate), `${a.from} → ${a.to}`).toBeGreaterThan(a.probability - 0.1);
      expect(num(r!.rate)).toBeLessThan(a.probability + 0.15);
    }
  });

  it('campaign lift against the control group matches the planted lift', async () => {
    // Orders within 14 days of the send, treated (sent) vs control (holdout), pooled over campaigns.
    const rows =
      await engine.query(sql`WITH t AS (SELECT campaign_id, customer_id, event_type, event_time FROM events
        WHERE event_type IN ('sent', 'holdout')),
      c AS (SELECT t.campaign_id, t.event_type, count(o.order_id) AS orders FROM t LEFT JOIN orders o
        ON o.customer_id = t.customer_id AND o.order_time >= t.event_time AND o.order_time < t.event_time + INTERVAL 14 DAY
        GROUP BY t.campaign_id, t.customer_id, t.event_type)
      SELECT campaign_id, event_type, count(*) AS n, avg(orders) AS rate FROM c GROUP BY ALL`);
    const lifts = new Map(manifest.planted.campaigns.map((c) => [c.campaignId, c.trueLift]));
    let treated = 0;
    let treatedOrders = 0;
    let control = 0;
    let controlOrders = 0;
    let expected = 0;
    for (const r of rows) {
      if (r.event_type === 'sent') {
        treated += num(r.n);
        treatedOrders += num(r.n) * num(r.rate);
        expected += num(r.n) * lifts.get(String(r.campaign_id))! * 0.98; // ~2% bounce
      } else {
        control += num(r.n);
        controlOrders += num(r.n) * num(r.rate);
      }
    }
    const measured = treatedOrders / treated - controlOrders / control;
    expect(control / (treated + control)).toBeCloseTo(0.15, 1);
    expect(measured).toBeCloseTo(expected / treated, 1); // |diff| < 0.05
    expect(Math.abs(measured - expected / treated)).toBeLessThan(0.012);
    expect(measured).toBeGreaterThan(0.005);
  });

  it('leavers complain, unsubscribe and stop buying: the churn signals are there', async () => {
    const [r] =
      await engine.query(sql`WITH last AS (SELECT customer_id, max(order_date) AS last_order FROM orders GROUP BY 1),
      flags AS (SELECT l.customer_id, l.last_order < DATE '2026-06-30' - 180 AS lapsed,
        EXISTS (SELECT 1 FROM contacts c WHERE c.customer_id = l.customer_id AND c.reason = 'complaint'
          AND c.contact_time::DATE BETWEEN l.last_order - 30 AND l.last_order + 30) AS complained,
        EXISTS (SELECT 1 FROM events e WHERE e.customer_id = l.customer_id AND e.event_type = 'unsubscribe') AS unsubscribed
        FROM last l WHERE l.last_order < DATE '2026-06-30' - 30)
      SELECT avg(lapsed::INT) FILTER (WHERE complained) AS lapsed_if_complained,
        avg(lapsed::INT) FILTER (WHERE NOT complained) AS lapsed_otherwise,
        avg(lapsed::INT) FILTER (WHERE unsubscribed) AS lapsed_if_unsubscribed,
        avg(lapsed::INT) FILTER (WHERE NOT unsubscribed) AS lapsed_if_subscribed FROM flags`);
    expect(num(r!.lapsed_if_complained)).toBeGreaterThan(num(r!.lapsed_otherwise) + 0.15);
    expect(num(r!.lapsed_if_unsubscribed)).toBeGreaterThan(num(r!.lapsed_if_subscribed) + 0.1);
    expect(
      manifest.planted.churn.welcomeCohortDroppedOut / manifest.planted.churn.welcomeCohort,
    ).toBeGreaterThan(manifest.planted.churn.droppedOut / manifest.counts.buyers);
  });

  it('reviews come in five languages and their ratings follow the sentiment of the words', async () => {
    const kinds = await engine.query(
      sql`SELECT kind, count(*) AS n, count(rating) AS rated FROM texts GROUP BY 1 ORDER BY 1`,
    );
    expect(kinds.map((k) => k.kind)).toEqual(['review', 'ticket']);
    expect(num(kinds[1]!.rated)).toBe(0); // tickets carry no rating
    expect(num(kinds[1]!.n)).toBeGreaterThan(20);
    const langs = await engine.query(sql`SELECT language, count(*) AS n FROM texts GROUP BY 1 ORDER BY 1`);
    expect(langs.map((l) => l.language)).toEqual(['de', 'en', 'fr', 'nl', 'ru']);
    const [r] = await engine.query(sql`SELECT
      avg(rating) FILTER (WHERE body ILIKE '%kaputt%' OR body ILIKE '%broke after%' OR body ILIKE '%kapot%') AS negative,
      avg(rating) FILTER (WHERE body ILIKE '%hervorragend%' OR body ILIKE '%excellent%' OR body ILIKE '%uitstekend%') AS positive
      FROM texts`);
    expect(num(r!.negative)).toBeLessThanOrEqual(2);
    expect(num(r!.positive)).toBeGreaterThanOrEqual(4);
  });

  it('customers carry demographics, consent and real-looking Dutch postcodes', async () => {
    const [r] = await engine.query(sql`SELECT count(*) AS n,
      avg(regexp_full_match("Postcode", '[0-9]{4} [A-Z]{2}')::INT) FILTER (WHERE "Land" = 'NL') AS nl_postcodes,
      count(DISTINCT "Inkomensklasse") AS bands, count(DISTINCT "Beroep") AS occupations,
      avg(("Toestemming e-mail" = 'ja')::INT) AS email_consent FROM nl`);
    expect(num(r!.nl_postcodes)).toBe(1);
    expect(num(r!.bands)).toBe(6);
    expect(num(r!.occupations)).toBeGreaterThanOrEqual(6);
    expect(num(r!.email_consent)).toBeGreaterThan(0.5);
    expect(num(r!.email_consent)).toBeLessThan(0.95); // some opted out or unsubscribed
  });
});
