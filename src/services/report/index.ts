/**
 * Reports for marketing experts: the customer base (overview, segments, value, risk, campaigns and
 * recommendations with their evidence) or one campaign's evaluation, as a self-contained HTML page in one of
 * the five languages, and its PDF printed by Chromium. `gatherReport` reads the figures through the analytics
 * modules' own functions; `renderReport` is pure (data → HTML); `printPdf` drives the browser.
 */
import type { Engine } from '../../store/index.js';
import { gatherReport, type ReportData, type ReportOptions } from './data.js';
import { renderReport } from './render.js';

export {
  type CampaignEvaluationSection,
  type CampaignSection,
  gatherReport,
  type ReportData,
  type ReportKind,
  type ReportOptions,
  type RiskSection,
} from './data.js';
export { type Formats, formats, LOCALES, NAMES, nameOf, TEXT, type TextKey, text } from './i18n.js';
export { findChromium, type PdfOptions, printPdf } from './pdf.js';
export { type Figure, type Phrase, type Recommendation, recommend } from './recommend.js';
export { renderReport } from './render.js';

/**
 * Gathers and renders a report in one call.
 *
 * @example
 * const { html } = await buildReport(engine, { lang: 'fr' });
 */
export async function buildReport(
  engine: Engine,
  options: ReportOptions = {},
): Promise<{ html: string; data: ReportData }> {
  const data = await gatherReport(engine, options);
  return { html: renderReport(data), data };
}
