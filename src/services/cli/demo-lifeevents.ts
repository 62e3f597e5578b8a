import { detectLifeEvents } from '../../analytics/lifeevents/index.js';
import { type Engine, sql } from '../../store/index.js';
import type { DemoStep } from './demo-steps.js';

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** Life events found vs planted: precision and recall per type. */
export const lifeEventsStep: DemoStep = {
  id: 'lifeEvents',
  title: 'Life events: new babies, moves and channel switches found vs planted',
  async run(engine: Engine, ctx) {
    const r = await detectLifeEvents(engine, { asOf: ctx.asOf });
    const found = await engine.query<{ customer_id: string; event_type: string }>(
      sql`SELECT customer_id, event_type FROM life_events`,
    );
    const planted = ctx.manifest.planted.lifeEvents?.events ?? [];
    const rows = ['new_baby', 'moving', 'channel_switch'].map((type) => {
      const truth = new Set(planted.filter((e) => e.type === type).map((e) => e.customerId));
      const got = found.filter((f) => f.event_type === type);
      const hits = got.filter((f) => truth.has(f.customer_id)).length;
      return {
        type,
        planted: truth.size,
        found: got.length,
        precision: got.length ? r3(hits / got.length) : null,
        recall: truth.size ? r3(hits / truth.size) : null,
      };
    });
    ctx.out.table(rows);
    ctx.out.line(`Try: clientele segment count "life_event = 'new_baby' and life_event_days <= 90" --db …`);
    return { counts: r.counts, types: rows };
  },
};
