import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LANGUAGES } from '../../../analytics/shared/field-labels.js';
import { InputError } from '../../../errors.js';
import { buildReport, printPdf, recommend } from '../../report/index.js';
import type { Command } from '../command.js';
import { intFlag } from './analytics-args.js';

export const reportCommand: Command = {
  name: 'report',
  summary: 'a self-contained HTML (and PDF) report for marketing experts, or one campaign’s evaluation',
  usage: `Usage: clientele report [--kind overview|campaign] [--campaign ID] [--lang en|nl|fr|de|ru]
                        --out report.html [--pdf report.pdf] [--by COLUMN] [--horizon DAYS] [--json]

Writes one HTML page with everything inline (CSS and SVG charts; no script, nothing fetched), in the
language of --lang (default: $CLIENTELE_LANG, else English), numbers and dates in that language's format.
  --kind overview   (default) the customer base: headline figures with their base, the net revenue trend,
                    RFM segments, customer value (CLV tiers, gold customers), churn risk (bands and the top
                    risks with plain reasons), campaign lifts with 95% intervals, and recommendations with
                    the evidence behind each.
  --kind campaign   one campaign's evaluation (--campaign ID): lift against the holdout, its interval, extra
                    revenue, and the effect per --by group (rfm_segment, the default when RFM scores
                    exist, or a customers column such as country, the default otherwise).
  --pdf FILE        also print the page to PDF with Chromium (Debian: apt-get install chromium; or set
                    CLIENTELE_CHROMIUM). The HTML needs no browser.
  --horizon DAYS    campaign outcome window after the send (default 14)
  --risk-model ID   the churn model (default: the newest saved model named *churn* that fits the features)

Every figure comes from the same library functions as the dashboard and the API (GET /api/report returns
the same page). Sections whose inputs are missing say which command fills them.

JSON: out, pdf (path or null), pages (PDF pages or null), kind, lang, asOf, sections{segments, value, risk,
  campaigns} (true when shown), recommendations[id], by (the campaign breakdown, or null)

Examples:
  clientele report --out report.html --pdf report.pdf
  clientele report --lang nl --out rapport.html
  clientele report --kind campaign --campaign EM-2605-OUTDOOR --by region --out outdoor.html`,
  options: {
    kind: { type: 'string' },
    campaign: { type: 'string' },
    out: { type: 'string' },
    pdf: { type: 'string' },
    by: { type: 'string' },
    horizon: { type: 'string' },
    'risk-model': { type: 'string' },
  },
  async run(ctx) {
    const kind = (ctx.values.kind as string | undefined) ?? 'overview';
    if (kind !== 'overview' && kind !== 'campaign')
      throw new InputError(
        `--kind: expected overview or campaign, got ${JSON.stringify(kind)}.`,
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    const rawLang = ctx.values.lang;
    if (typeof rawLang === 'string' && !(LANGUAGES as readonly string[]).includes(rawLang.toLowerCase()))
      throw new InputError(
        `--lang: expected one of ${LANGUAGES.join(', ')}, got ${JSON.stringify(rawLang)}.`,
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    const out = ctx.values.out;
    if (typeof out !== 'string' || out === '')
      throw new InputError(
        '--out: expected the HTML file to write (e.g. --out report.html), got none.',
        {},
        { code: 'INVALID_ARGUMENT' },
      );
    const pdf = typeof ctx.values.pdf === 'string' ? ctx.values.pdf : null;
    const horizonDays = intFlag(ctx, 'horizon', 1, 365);
    const engine = await ctx.openDb();
    try {
      const progress = ctx.progress('report');
      const { html, data } = await buildReport(engine, {
        kind,
        lang: ctx.lang,
        ...(typeof ctx.values.campaign === 'string' ? { campaign: ctx.values.campaign } : {}),
        ...(typeof ctx.values.by === 'string' ? { by: ctx.values.by } : {}),
        ...(typeof ctx.values['risk-model'] === 'string' ? { riskModel: ctx.values['risk-model'] } : {}),
        ...(horizonDays !== undefined ? { horizonDays } : {}),
      });
      writeFileSync(out, html);
      progress.done();
      ctx.out.line(`Report (${kind}, ${ctx.lang}) written to ${resolve(out)}`);
      let pages: number | null = null;
      if (pdf) {
        const printing = ctx.progress('pdf');
        pages = await printPdf(html, pdf);
        printing.done();
        ctx.out.line(`PDF (${pages} pages) written to ${resolve(pdf)}`);
      }
      return {
        out: resolve(out),
        pdf: pdf ? resolve(pdf) : null,
        pages,
        kind,
        lang: ctx.lang,
        asOf: data.overview.asOf,
        sections: {
          segments: data.rfm !== null,
          value: data.clv !== null,
          risk: data.risk !== null,
          campaigns: data.campaigns !== null,
        },
        recommendations: recommend(data).map((r) => r.id),
        // The campaign evaluation's breakdown (rfm_segment by default when RFM scores exist).
        by: data.campaign?.by ?? null,
      };
    } finally {
      await engine.close();
    }
  },
};
