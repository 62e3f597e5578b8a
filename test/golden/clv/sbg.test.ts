/**
 * Golden: shifted-beta-geometric retention model.
 *
 * Dataset and source: Fader & Hardie (2007), "How to Project Customer Retention", Journal of Interactive
 * Marketing 21(1):76–90, the two worked examples (customers still active at the start of years 0–7, of a
 * cohort of 1,000): "high end" 1000, 869, 743, 653, 593, 551, 517, 491 → α = 0.668, β = 3.806;
 * "regular" 1000, 631, 468, 382, 326, 289, 262, 241 → α = 0.704, β = 1.182.
 * Tolerance: 0.5 % relative (the paper prints 3 decimals).
 */
import { describe, expect, it } from 'vitest';
import { fitCore } from '../../../src/analytics/clv/core.js';
import { CLV_MODELS } from '../../../src/analytics/clv/index.js';
import { sbgRetentionRate, sbgSurvival } from '../../../src/analytics/clv/models/sbg.js';

const fitSbg = (survivors: number[]) =>
  fitCore({ survivors }, { model: 'sbg', calibrationEnd: '', penalizer: 0, maxIterations: 1000 }).state;

describe('sBG on the Fader & Hardie (2007) cohorts', () => {
  it('lists sbg among the CLV models', () => expect(CLV_MODELS).toContain('sbg'));

  it('high end: α = 0.668, β = 3.806', () => {
    const s = fitSbg([1000, 869, 743, 653, 593, 551, 517, 491]);
    expect(Math.abs(s.params.alpha! / 0.668 - 1)).toBeLessThan(0.005);
    expect(Math.abs(s.params.beta! / 3.806 - 1)).toBeLessThan(0.005);
  });

  it('regular: α = 0.704, β = 1.182, and retention rises with tenure', () => {
    const s = fitSbg([1000, 631, 468, 382, 326, 289, 262, 241]);
    const p = { alpha: s.params.alpha!, beta: s.params.beta! };
    expect(Math.abs(p.alpha / 0.704 - 1)).toBeLessThan(0.005);
    expect(Math.abs(p.beta / 1.182 - 1)).toBeLessThan(0.005);
    expect(sbgRetentionRate(p, 2)).toBeGreaterThan(sbgRetentionRate(p, 1));
    const surv = sbgSurvival(p, 7);
    // Fitted survival tracks the observed 0.241 at year 7 within 2 points.
    expect(Math.abs(surv[7]! - 0.241)).toBeLessThan(0.02);
  });
});
