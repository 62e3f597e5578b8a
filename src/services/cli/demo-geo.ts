import { featureTableAsOf } from '../../analytics/features/index.js';
import { geoPotential } from '../../analytics/geo/index.js';
import { auc, findLookalikes } from '../../analytics/predict/index.js';
import type { Engine } from '../../store/index.js';
import type { DemoStep } from './demo-steps.js';

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Statistical twins of the Champions among the prospects (recovery of the planted twins, as AUC) and the
 * areas with the most potential. Needs the feature table and RFM scores (built by an earlier step).
 */
export const geoStep: DemoStep = {
  id: 'twins',
  title: 'Statistical twins of the best customers, and the areas with potential',
  async run(engine: Engine, ctx) {
    if (!(await featureTableAsOf(engine))) return { skipped: 'no feature table' };
    const seed = "rfm_segment = 'Champions'";
    const r = await findLookalikes(engine, { seed, target: 'is_prospect = true', top: 1_000_000 });
    const twins = new Set(ctx.manifest.planted.twins.prospectIds);
    const y = Float64Array.from(r.rows, (x) => (twins.has(x.customerId) ? 1 : 0));
    const recovery = twins.size
      ? auc(
          y,
          Float64Array.from(r.rows, (_, i) => r.rows.length - i),
        )
      : null;
    const good = r.bands
      .filter((b) => b.band === 'very similar' || b.band === 'similar')
      .reduce((s, b) => s + b.customers, 0);
    ctx.out.line(
      `${good} of ${r.populationSize} prospects are similar or very similar to the ${r.seedSize} Champions, compared on ${r.features.length} features they have (${r.features
        .slice(0, 6)
        .map((f) => f.label)
        .join(', ')} …).`,
    );
    for (const d of r.drivers.slice(0, 3)) ctx.out.line(`  - ${d.text}`);
    if (recovery !== null)
      ctx.out.line(
        `Planted twins (${twins.size}) recovered with AUC ${recovery.toFixed(3)} (0.5 = chance). Save them: clientele lookalike --seed "${seed}" --target "is_prospect = true" --save champion_twins`,
      );
    const pot = await geoPotential(engine, { seed });
    ctx.out.table(
      pot.cells.slice(0, 5).map((c) => ({
        area: c.label,
        households: c.households,
        'twin rate': `${(100 * c.twinRate).toFixed(1)}%`,
        potential: Math.round(c.potential),
      })),
    );
    ctx.out.line(`Areas under ${pot.minCellSize} people are merged upward; see clientele geo potential.`);
    return {
      prospects: r.populationSize,
      similar: good,
      recoveryAuc: recovery === null ? null : r3(recovery),
      features: r.features.map((f) => f.name),
      topAreas: pot.cells.slice(0, 5).map((c) => ({ key: c.key, potential: Math.round(c.potential) })),
    };
  },
};
