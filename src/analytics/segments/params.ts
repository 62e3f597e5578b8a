import { InputError, type Issue, inputErrorFromIssues } from '../../errors.js';

/** Contact channels a segment can be exported for, with the consent and address columns they need. */
export const EXPORT_CHANNELS = {
  email: { consent: 'consent_email', address: ['email'] },
  sms: { consent: 'consent_sms', address: ['phone_e164', 'phone'] },
  phone: { consent: 'consent_phone', address: ['phone_e164', 'phone'] },
  post: { consent: 'consent_post', address: ['street', 'postcode', 'city'] },
} as const;

export type ExportChannel = keyof typeof EXPORT_CHANNELS;
export type ExportFormat = 'csv' | 'xlsx';

const NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/;

/** Checks a segment name: 1–64 characters, letters, digits, space, `_`, `.`, `-`, starting with a letter or digit. */
export function parseSegmentName(name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name))
    throw new InputError(
      `Segment name: expected 1–64 letters, digits, spaces, "_", "." or "-" (starting with a letter or digit), got ${JSON.stringify(name)}.`,
      { name },
      { code: 'INVALID_ARGUMENT' },
    );
  return name;
}

export interface ExportParams {
  name: string;
  format: ExportFormat;
  channel: ExportChannel;
  /** Output file path. */
  path: string;
}

/** Validates export settings, reporting every bad field at once. */
export function parseExportParams(input: Record<string, unknown>): ExportParams {
  const issues: Issue[] = [];
  if (typeof input.name !== 'string' || !NAME.test(input.name))
    issues.push({ where: 'name', message: `expected a segment name, got ${JSON.stringify(input.name)}` });
  if (input.format !== 'csv' && input.format !== 'xlsx')
    issues.push({ where: '--format', message: `expected csv or xlsx, got ${JSON.stringify(input.format)}` });
  if (typeof input.channel !== 'string' || !(input.channel in EXPORT_CHANNELS))
    issues.push({
      where: '--channel',
      message: `expected one of ${Object.keys(EXPORT_CHANNELS).join(', ')} (the channel whose consent applies), got ${JSON.stringify(input.channel ?? null)}`,
    });
  if (typeof input.path !== 'string' || input.path.length === 0)
    issues.push({ where: '--out', message: 'expected an output file path' });
  if (issues.length) throw inputErrorFromIssues('Segment export settings are not valid:', issues);
  return input as unknown as ExportParams;
}
