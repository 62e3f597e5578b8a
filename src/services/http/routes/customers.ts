import { z } from 'zod';
import { orderValuesSql } from '../../../analytics/overview/index.js';
import { NotFoundError } from '../../../errors.js';
import { eraseCustomer, ident, raw, sql } from '../../../store/index.js';
import { defineRoute } from '../route.js';
import type { Customer360Response, CustomerRow, Page, TimelineEntry } from '../types.js';

const SORTABLE = [
  'customer_id',
  'last_name',
  'city',
  'country',
  'created_at',
  'orders',
  'revenue',
  'last_order',
] as const;

export const customerRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/customers',
    personal: true,
    summary: 'Search and page customers, sorted on the server (personal data)',
    tag: 'customers',
    role: 'analyst',
    query: z.object({
      q: z.string().max(200).optional(),
      sort: z.enum(SORTABLE).default('revenue'),
      dir: z.enum(['asc', 'desc']).default('desc'),
      offset: z.coerce.number().int().min(0).default(0),
      limit: z.coerce.number().int().min(1).max(500).default(50),
    }),
    async handler({ engine, query }): Promise<Page<CustomerRow>> {
      const pattern = query.q ? `%${query.q.toLowerCase()}%` : null;
      const where = pattern
        ? sql`WHERE lower(c.customer_id) LIKE ${pattern} OR lower(coalesce(c.email, '')) LIKE ${pattern}
              OR lower(coalesce(c.last_name, '') || ' ' || coalesce(c.first_name, '')) LIKE ${pattern}
              OR lower(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')) LIKE ${pattern}`
        : sql``;
      const base = sql`
        SELECT c.customer_id, c.first_name, c.last_name, c.email, c.city, c.country, c.created_at,
               coalesce(s.orders, 0) AS orders, coalesce(s.revenue, 0) AS revenue, s.last_order
        FROM customers c
        LEFT JOIN (SELECT customer_id, count(*) AS orders, sum(revenue) AS revenue, max(order_date) AS last_order
                   FROM (${orderValuesSql(engine.dialect, '9999-12-31')}) ov GROUP BY customer_id) s
          ON s.customer_id = c.customer_id
        ${where}`;
      const [count] = await engine.query<{ n: number }>(sql`SELECT count(*) AS n FROM (${base}) t`);
      const rows = await engine.query<CustomerRow>(
        sql`SELECT * FROM (${base}) t ORDER BY ${ident(query.sort)} ${raw(query.dir === 'asc' ? 'ASC' : 'DESC')} NULLS LAST, customer_id
            LIMIT ${query.limit} OFFSET ${query.offset}`,
      );
      return { rows, total: count?.n ?? 0, offset: query.offset, limit: query.limit };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/customers/:id',
    summary: 'Customer 360: profile, orders, campaign events, service contacts, texts (audited)',
    tag: 'customers',
    role: 'analyst',
    params: z.object({ id: z.string().min(1).max(200) }),
    async handler({ engine, params, audit, caller }): Promise<Customer360Response> {
      const [profile] = await engine.query(sql`SELECT * FROM customers WHERE customer_id = ${params.id}`);
      if (!profile) throw new NotFoundError(`No customer with id "${params.id}".`, { id: params.id });
      await audit.record(caller, 'customer.read', params.id);
      const orders = await engine.query(
        sql`SELECT o.order_id, o.order_date, o.channel, o.promo_code, o.status, o.total, o.discount,
                   count(l.line_no) AS lines
            FROM orders o LEFT JOIN order_lines l ON l.order_id = o.order_id
            WHERE o.customer_id = ${params.id} GROUP BY ALL ORDER BY o.order_date DESC LIMIT 500`,
      );
      const events = await engine.query(
        sql`SELECT e.event_time, e.event_type, e.campaign_id, c.name AS campaign, c.channel
            FROM campaign_events e LEFT JOIN campaigns c ON c.campaign_id = e.campaign_id
            WHERE e.customer_id = ${params.id} ORDER BY e.event_time DESC LIMIT 500`,
      );
      const contacts = await engine.query(
        sql`SELECT contact_time, channel, reason, outcome, satisfaction FROM service_contacts
            WHERE customer_id = ${params.id} ORDER BY contact_time DESC LIMIT 200`,
      );
      const texts = await engine.query(
        sql`SELECT t.text_time, t.kind, coalesce(s.language, t.language) AS language, t.rating, t.title, t.body,
              s.sentiment, s.sentiment_label, s.topics
            FROM customer_texts t LEFT JOIN text_sentiment s ON s.text_id = t.text_id
            WHERE t.customer_id = ${params.id} ORDER BY t.text_time DESC LIMIT 200`,
      );
      const timeline: TimelineEntry[] = [
        ...orders.map((o) => ({
          at: o.order_date as string,
          kind: 'order' as const,
          label: `Order ${o.order_id}`,
          detail: o,
        })),
        ...events.map((e) => ({
          at: e.event_time as string,
          kind: 'campaign' as const,
          label: `${e.event_type} · ${e.campaign ?? e.campaign_id}`,
          detail: e,
        })),
        ...contacts.map((c) => ({
          at: c.contact_time as string,
          kind: 'contact' as const,
          label: `${c.channel ?? 'contact'} · ${c.reason ?? ''}`,
          detail: c,
        })),
        ...texts.map((t) => ({
          at: t.text_time as string,
          kind: 'text' as const,
          // "review 2 · negative · Arrived late and damaged" (sentiment after `texts analyze`).
          label: [
            `${t.kind} ${t.rating ?? ''}`.trim(),
            t.sentiment_label,
            String(t.title || t.body || '').slice(0, 80),
          ]
            .filter(Boolean)
            .join(' · '),
          detail: t,
        })),
      ].sort((a, b) => String(b.at).localeCompare(String(a.at)));
      return { profile, orders, events, contacts, texts, timeline };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/customers/:id',
    summary:
      'Erase a person: personal data removed everywhere, figures kept under a pseudonym (audited by hash)',
    tag: 'customers',
    role: 'admin',
    params: z.object({ id: z.string().min(1).max(200) }),
    async handler({ engine, params, caller }) {
      return eraseCustomer(engine, params.id, caller);
    },
  }),
];
