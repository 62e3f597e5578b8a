import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildReport, nameOf, recommend, text } from '../report/index.js';
import type { DemoStep } from './demo-steps.js';

/**
 * The end of the three-stage loop: the report for marketing experts, written next to the demo's files as
 * demo-report.html (English; `clientele report --lang nl --pdf …` gives the others and the PDF).
 */
export const reportStep: DemoStep = {
  id: 'report',
  title: 'Report for marketing experts: demo-report.html',
  async run(engine, ctx) {
    const { html, data } = await buildReport(engine, { lang: 'en' });
    // Written next to the demo's files; a run without them (tests stepping an in-memory shop) writes nothing,
    // rather than leaving the file wherever the process happens to run.
    const file = ctx.outDir ? join(ctx.outDir, 'demo-report.html') : null;
    if (file) writeFileSync(file, html);
    const recs = recommend(data);
    for (const r of recs.slice(0, 3)) {
      const values: Record<string, string> = {};
      for (const [k, v] of Object.entries(r.title.values))
        values[k] =
          v.kind === 'name'
            ? nameOf('en', v.value)
            : typeof v.value === 'number'
              ? v.value.toLocaleString('en')
              : v.value;
      ctx.out.line(`• ${text('en', r.title.key, values)}`);
    }
    if (file)
      ctx.out.line(
        `Written to ${relative(process.cwd(), file) || file} (${recs.length} recommendations with their evidence). Other languages and the PDF: clientele report --lang nl --out rapport.html --pdf rapport.pdf --db …`,
      );
    return { file, recommendations: recs.map((r) => r.id) };
  },
};
