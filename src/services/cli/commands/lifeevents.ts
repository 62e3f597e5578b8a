import {
  customerLifeEvents,
  detectLifeEvents,
  type LifeEventParams,
} from '../../../analytics/lifeevents/index.js';
import { InputError } from '../../../errors.js';
import type { Command } from '../command.js';
import { dateFlag } from './analytics-args.js';

export const lifeeventsCommand: Command = {
  name: 'lifeevents',
  summary:
    'life events and behaviour changes per customer (new baby, moving, channel switch), usable in segments',
  usage: `Usage: clientele lifeevents [--as-of DATE] [--alpha 0.001] [--json]
       clientele lifeevents --customer ID [--json]

Per customer, judged against their own history: a burst of purchases in a life-event category (new_baby:
baby products; moving: furnishing a home; wedding), and a channel switch (most orders from some day on in a
channel the customer hardly used), and breaks in purchase frequency or spend (frequency_up/down, spend_up/down:
at least 1.5× and significant). Each candidate day is tested (binomial test of the items or orders in
the window against the customer's own share, smoothed toward the shop's), with a Bonferroni correction over
the customer's candidate days, so noise is not flagged; --alpha sets the significance (default 0.001).
Writes life_events (customer_id, event_type, event_date, evidence, p_value, as_of) and customer_life_events
(customer_id, life_event, life_event_date, life_event_days, and <type>_days per type: new_baby_days,
moving_days, wedding_days, channel_switch_days, frequency_down_days, …), so segments can use them:
  clientele segment count "life_event = 'new_baby' and life_event_days <= 90"
--customer shows one customer's events with their evidence.

JSON fields: asOf, counts{type: n}, customers, candidates, events, warnings
  --customer: events[{customerId, type, date, evidence, pValue}]

Examples:
  clientele lifeevents
  clientele lifeevents --as-of 2026-06-30 --alpha 0.0001
  clientele lifeevents --customer C0000031`,
  options: {
    'as-of': { type: 'string' },
    alpha: { type: 'string' },
    customer: { type: 'string' },
  },
  async run(ctx) {
    const customer = ctx.values.customer as string | undefined;
    if (customer !== undefined) {
      const engine = await ctx.openDb({ readOnly: true });
      try {
        const events = await customerLifeEvents(engine, customer, ctx.lang);
        if (!events.length) ctx.out.line(`No life event for ${customer} (run clientele lifeevents first).`);
        for (const e of events) ctx.out.line(`${e.date}  ${e.type}: ${e.evidence}`);
        return { events };
      } finally {
        await engine.close();
      }
    }
    const params: Partial<LifeEventParams> = {};
    if (ctx.values['as-of'] !== undefined) params.asOf = dateFlag(ctx.values['as-of'], 'as-of');
    if (ctx.values.alpha !== undefined) {
      const alpha = Number(ctx.values.alpha);
      if (!(alpha > 0 && alpha <= 0.5))
        throw new InputError(
          `lifeevents: --alpha expected a number above 0 and at most 0.5 such as 0.001, got ${JSON.stringify(ctx.values.alpha)}.`,
          {},
          { code: 'INVALID_ARGUMENT' },
        );
      params.alpha = alpha;
    }
    const engine = await ctx.openDb();
    try {
      const progress = ctx.progress('life events');
      const r = await detectLifeEvents(engine, params);
      progress.done();
      ctx.out.line(
        `Life events up to ${r.asOf}: ${r.events} events for ${r.customers} customers (${r.candidates} candidate days tested).`,
      );
      ctx.out.table(Object.entries(r.counts).map(([type, n]) => ({ type, customers: n })));
      ctx.out.line(`Try: clientele segment count "life_event = 'new_baby' and life_event_days <= 90"`);
      for (const w of r.warnings) ctx.out.line(`Warning: ${w}`);
      return r;
    } finally {
      await engine.close();
    }
  },
};
