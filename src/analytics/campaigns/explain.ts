import type { ArmResult } from './core.js';

/** What one treated arm's comparison says, as data (the CLI and dashboard word it). */
export interface EvaluationNote {
  group: Record<string, string>;
  arm: string;
  /** `works`: interval above 0; `harms`: below 0; `unclear`: the interval holds 0. */
  verdict: 'works' | 'harms' | 'unclear';
  /** Whether the campaign paid for itself (incremental value above cost); null without cost or value. */
  pays: boolean | null;
  lift: number;
  ciLow: number;
  ciHigh: number;
}

/** One note per treated arm that has a control to compare with. */
export function explainEvaluation(
  arms: readonly (ArmResult & { group: Record<string, string> })[],
): EvaluationNote[] {
  const notes: EvaluationNote[] = [];
  for (const a of arms) {
    if (a.isControl || a.lift === null || a.ciLow === null || a.ciHigh === null) continue;
    notes.push({
      group: a.group,
      arm: a.arm,
      verdict: a.ciLow > 0 ? 'works' : a.ciHigh < 0 ? 'harms' : 'unclear',
      pays: a.cost !== null && a.cost > 0 && a.incrementalValue !== null ? a.incrementalValue > a.cost : null,
      lift: a.lift,
      ciLow: a.ciLow,
      ciHigh: a.ciHigh,
    });
  }
  return notes;
}
