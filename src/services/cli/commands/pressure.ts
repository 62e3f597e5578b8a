import { type PressureResult, pressureReport } from '../../../analytics/campaigns/index.js';
import { InputError } from '../../../errors.js';
import type { Command } from '../command.js';
import { asOfFlag, intFlag } from './analytics-args.js';

const pts = (x: number) => Number((x * 100).toFixed(1));

export const pressureCommand: Command = {
  name: 'pressure',
  summary:
    'marketing pressure: response against recent sends, saturation point, saturated / on target / under-solicited contacts',
  usage: `Usage: clientele pressure [--as-of DATE] [--channel email|sms] [--window DAYS] [--history DAYS]
                        [--response open|click] [--by COLUMN] [--save] [--json]

For every delivered send in the --history days before --as-of (default 365), the sends the contact had on
--channel (default email) in the --window days before it (default 30, that send included) and whether they
responded (--response: open, the default, or click; SMS has no opens). The response rate per number of recent
sends is estimated within contacts (each contact's own mean removed, so better customers being mailed more
does not hide fatigue), with 95% intervals. The saturation point is the last number of sends before the rate
falls significantly below its peak. Each contact is classed from their sends in the last window and their own
response probability (shrunk toward the population): saturated (at or above the saturation point), under-
solicited (responds above the population and is mailed less), on target (the rest). --by breaks the classes
down by a customers column; --save writes customer_pressure (customer_id, recent_sends, sends, responses,
response_probability, pressure_class).

Caps that an export must respect are a contact policy: clientele segment export … --policy FILE (docs/campaigns.md).

JSON: asOf, channel, windowDays, response, curve[{sends, n, rate, adjustedRate, ciLow, ciHigh}], saturationSends,
  peakSends, populationRate, contacts, classes[{class, contacts, meanRecentSends, medianRecentSends, meanResponse}],
  segments[{segment, class, contacts}], saved, warnings

Examples:
  clientele pressure
  clientele pressure --channel sms --response click --by country --json`,
  options: {
    'as-of': { type: 'string' },
    channel: { type: 'string' },
    window: { type: 'string' },
    history: { type: 'string' },
    response: { type: 'string' },
    by: { type: 'string' },
    save: { type: 'boolean', default: false },
  },
  async run(ctx): Promise<PressureResult> {
    const response = ctx.values.response;
    if (response !== undefined && response !== 'open' && response !== 'click')
      throw new InputError(
        `--response: expected open or click, got ${JSON.stringify(response)}.`,
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    const windowDays = intFlag(ctx, 'window', 1, 365);
    const historyDays = intFlag(ctx, 'history', 30, 3650);
    const engine = await ctx.openDb();
    try {
      const asOf = await asOfFlag(ctx, engine);
      const progress = ctx.progress('pressure');
      const r = await pressureReport(engine, {
        asOf,
        ...(typeof ctx.values.channel === 'string' ? { channel: ctx.values.channel } : {}),
        ...(windowDays !== undefined ? { windowDays } : {}),
        ...(historyDays !== undefined ? { historyDays } : {}),
        ...(response ? { response: response as 'open' | 'click' } : {}),
        ...(typeof ctx.values.by === 'string' ? { by: ctx.values.by } : {}),
        save: ctx.values.save === true,
      });
      progress.done();
      if (!ctx.json) {
        ctx.out.line(
          `${r.response === 'open' ? 'Open' : 'Click'} rate of ${r.channel} sends by the number of ${r.channel} sends in the ${r.windowDays} days before (as of ${r.asOf}; %, within-contact, 95% interval):`,
        );
        ctx.out.table(
          r.curve.map((p, i) => ({
            sends: i === r.curve.length - 1 && p.sends >= 8 ? `${p.sends}+` : p.sends,
            n: p.n,
            raw: pts(p.rate),
            adjusted: pts(p.adjustedRate),
            interval: `${pts(p.ciLow)} … ${pts(p.ciHigh)}`,
          })),
        );
        ctx.out.line(
          r.saturationSends === null
            ? 'No saturation: the response does not fall significantly with more sends in this data.'
            : `Saturation: beyond ${r.saturationSends} sends in ${r.windowDays} days the response falls significantly below its peak (at ${r.peakSends}).`,
        );
        ctx.out.table(
          r.classes.map((c) => ({
            class: c.class,
            contacts: c.contacts,
            'median sends in window': c.medianRecentSends ?? '–',
            'mean sends in window': c.contacts ? Number(c.meanRecentSends.toFixed(1)) : '–',
            response: pts(c.meanResponse),
          })),
        );
        if (r.segments.length) ctx.out.table(r.segments.map((s) => ({ ...s })));
        if (r.saved !== null)
          ctx.out.line(`Saved ${r.saved.toLocaleString('en')} rows to customer_pressure.`);
        for (const w of r.warnings) ctx.out.line(`Warning: ${w}`);
      }
      return r;
    } finally {
      await engine.close();
    }
  },
};
