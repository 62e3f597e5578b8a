import { fitClvModels, predictClv } from '../../analytics/clv/index.js';
import { customerProfit } from '../../analytics/profit/index.js';
import { ModelError } from '../../errors.js';
import type { DemoStep } from './demo-steps.js';

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** Customer value: BG/NBD + Gamma-Gamma CLV tiers for the next year, and the profitability Pareto figure. */
export const clvStep: DemoStep = {
  id: 'clv',
  title: 'Customer value: CLV tiers (BG/NBD + Gamma-Gamma) and who earns the profit',
  async run(engine, ctx) {
    // A small shop may not pin BG/NBD's b down (it runs off to infinity); the demo then takes the fix the error
    // itself recommends, a small L2 penalty, and says so.
    const fitBoth = (penalizer: number) =>
      fitClvModels(engine, { calibrationEnd: ctx.asOf, unit: 'week', penalizer }, ['bgnbd', 'gammagamma']);
    let penalizer = 0;
    let models: Awaited<ReturnType<typeof fitBoth>>;
    try {
      models = await fitBoth(penalizer);
    } catch (error) {
      if (!(error instanceof ModelError && error.code === 'NOT_CONVERGED')) throw error;
      penalizer = 0.001;
      models = await fitBoth(penalizer);
      ctx.out.line('BG/NBD did not converge on this shop without a penalty; fitted with --penalizer 0.001.');
    }
    const [bg, gg] = models;
    const scores = await predictClv(engine, { purchaseModel: bg!, spendModel: gg!, horizon: 52, top: 5 });
    const tiers = scores.tiers.map((t) => ({
      tier: t.tier,
      customers: t.customers,
      clv: round(t.clv),
      clvShare: round(t.clv / scores.totalClv, 3),
      minClv: round(t.minClv),
    }));
    ctx.out.table(tiers);
    const p = bg!.state.params;
    ctx.out.line(
      `BG/NBD r=${p.r!.toFixed(3)} α=${p.alpha!.toFixed(2)} a=${p.a!.toFixed(3)} b=${p.b!.toFixed(3)} on ${bg!.state.customers.toLocaleString('en')} customers; one-year CLV (10 %/yr discount, margins from unit costs) in clv_scores.`,
    );
    const profit = await customerProfit(engine, { asOf: ctx.asOf, serviceContactCost: 5, top: 3 });
    const points = profit.pareto.points.map((x) => ({
      topCustomers: `${round(x.customerShare * 100, 0)}%`,
      profitShare: `${round(x.profitShare * 100, 1)}%`,
    }));
    ctx.out.table(points);
    ctx.out.line(
      `${profit.pareto.negative.customers.toLocaleString('en')} customers lose money (${round(profit.pareto.negative.profit)} in total, service contacts at 5 each); profit ${round(profit.totals.profit)} on net revenue ${round(profit.totals.netRevenue)} (after discounts and returns).`,
    );
    return {
      params: p,
      penalizer,
      logLikelihood: round(bg!.state.logLikelihood, 1),
      tiers,
      totalClv: round(scores.totalClv),
      pareto: profit.pareto.points.map((x) => ({
        customerShare: x.customerShare,
        profitShare: round(x.profitShare, 4),
      })),
      lossMakers: profit.pareto.negative.customers,
    };
  },
};
