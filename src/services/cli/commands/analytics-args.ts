/** Flag parsing shared by the analytics commands (features, rfm, segment, cluster). */
import { isIsoDate, latestOrderDate } from '../../../analytics/features/index.js';
import { InputError } from '../../../errors.js';
import type { Engine } from '../../../store/index.js';
import type { CommandContext } from '../command.js';

/** `--as-of DATE`, or the date of the last order when absent. */
export async function asOfFlag(ctx: CommandContext, engine: Engine, flag = 'as-of'): Promise<string> {
  const v = ctx.values[flag];
  if (v === undefined) {
    const latest = await latestOrderDate(engine);
    if (!latest)
      throw new InputError(
        `--${flag}: no date given and the datamart has no orders to take the last order date from. Import orders first (clientele import) or pass --${flag} YYYY-MM-DD.`,
        {},
        { code: 'EMPTY_INPUT' },
      );
    return latest;
  }
  return dateFlag(v, flag);
}

export function dateFlag(v: unknown, flag: string): string {
  if (!isIsoDate(v))
    throw new InputError(
      `--${flag}: expected a date YYYY-MM-DD (e.g. 2024-12-31), got ${JSON.stringify(v)}.`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  return v;
}

export function intFlag(ctx: CommandContext, flag: string, min: number, max: number): number | undefined {
  const v = ctx.values[flag];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InputError(
      `--${flag}: expected a whole number ${min}–${max}, got ${JSON.stringify(v)}.`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  return n;
}

/** A comma-separated list of numbers (`30,90,180,365`). */
export function numberListFlag(ctx: CommandContext, flag: string): number[] | undefined {
  const v = ctx.values[flag];
  if (v === undefined) return undefined;
  const parts = String(v)
    .split(',')
    .map((s) => Number(s.trim()));
  if (parts.some((n) => !Number.isFinite(n)))
    throw new InputError(
      `--${flag}: expected comma-separated numbers such as 30,90,180,365, got ${JSON.stringify(v)}.`,
      {},
      { code: 'INVALID_ARGUMENT' },
    );
  return parts;
}

export function pct(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined ? '' : `${(x * 100).toFixed(digits)}%`;
}
