import { proportionDifference } from '../../analytics/campaigns/index.js';
import { auc } from '../../analytics/predict/index.js';
import { analyzeTable, languageName } from '../../analytics/texts/index.js';
import { type DemoManifest, type TicketTopic, ticketTopicOf } from '../../demo/index.js';
import { type Engine, sql } from '../../store/index.js';
import type { DemoStep } from './demo-steps.js';

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

/** The keyword topic a planted ticket topic should be found under. */
export const EXPECTED_TOPIC: Record<TicketTopic, string> = {
  'late delivery': 'delivery',
  'damaged item': 'quality',
  refund: 'returns',
  'wrong item': 'fit',
};

export interface TextsRecovery {
  texts: number;
  /** Per planted language: texts, share detected as that language, review AUC (4–5 vs 1–2 stars) and label agreement. */
  languages: {
    language: string;
    texts: number;
    detected: number;
    /** null when the language has no review on one side (no 4–5 or no 1–2 stars): nothing to separate. */
    reviewAuc: number | null;
    /** null when the language has no 4–5 star review. */
    positiveAsPositive: number | null;
    /** null when the language has no 1–2 star review. */
    negativeAsNegative: number | null;
  }[];
  /** Per planted ticket topic: tickets and the share tagged with the expected keyword topic. */
  topics: { planted: string; expected: string; tickets: number; found: number }[];
  /** Customers with a negative text vs the others: share with no order in the last 180 days before asOf. */
  lapsed: { withNegative: number; withoutNegative: number; customersWithNegative: number };
  /**
   * The planted churn link (manifest `planted.churn.complaints`), measured against the planted truth: among the
   * buyers, the share who dropped out (planted) with and without a text found negative, the difference with its
   * 95% interval, and how many planted complaining leavers have a text found negative. Null without the plant.
   */
  churn: ChurnRecovery | null;
}

export interface ChurnRecovery {
  /** Planted: the chance a leaver complains in writing, and the complaining leavers. */
  planted: { probability: number; complainingLeavers: number; leavers: number };
  buyers: number;
  withNegative: { customers: number; leftRate: number };
  withoutNegative: { customers: number; leftRate: number };
  /** withNegative.leftRate − withoutNegative.leftRate, Wald 95% interval, two-sided p. */
  difference: { estimate: number; low: number; high: number; pValue: number };
  /** Share of the planted complaining leavers with a text found negative (by the analysis, not the plant). */
  complainersFoundNegative: number;
}

/**
 * Analyses the demo's customer_texts with language detection (the planted `language` column is not used)
 * and measures what was recovered against what was planted: languages, review sentiment vs stars, ticket
 * topics, and whether customers who complain lapse more often.
 */
export async function textsRecovery(
  engine: Engine,
  asOf: string,
  planted?: DemoManifest['planted']['churn'],
): Promise<TextsRecovery> {
  await analyzeTable(engine, { languageColumn: null, clusters: 6 });
  const rows = await engine.query<{
    planted: string;
    found: string;
    kind: string;
    rating: number | null;
    body: string;
    sentiment: number;
    sentiment_label: string;
    topics: string;
  }>(sql`SELECT t.language AS planted, s.language AS found, t.kind, t.rating, t.body, s.sentiment,
      s.sentiment_label, s.topics
    FROM customer_texts t JOIN text_sentiment s ON s.text_id = t.text_id ORDER BY t.text_id`);
  const byLang = new Map<string, typeof rows>();
  for (const r of rows) {
    const list = byLang.get(r.planted) ?? [];
    list.push(r);
    byLang.set(r.planted, list);
  }
  const languages = [...byLang.entries()]
    .sort((a, b) => b[1].length - a[1].length)
    .map(([language, list]) => {
      const reviews = list.filter((r) => r.kind === 'review' && r.rating !== null && r.rating !== 3);
      const pos = reviews.filter((r) => (r.rating as number) >= 4);
      const neg = reviews.filter((r) => (r.rating as number) <= 2);
      return {
        language,
        texts: list.length,
        detected: round(list.filter((r) => r.found === language).length / list.length),
        reviewAuc:
          pos.length > 0 && neg.length > 0
            ? round(
                auc(
                  reviews.map((r) => ((r.rating as number) >= 4 ? 1 : 0)),
                  reviews.map((r) => r.sentiment),
                ),
              )
            : null,
        positiveAsPositive:
          pos.length > 0
            ? round(pos.filter((r) => r.sentiment_label === 'positive').length / pos.length)
            : null,
        negativeAsNegative:
          neg.length > 0
            ? round(neg.filter((r) => r.sentiment_label === 'negative').length / neg.length)
            : null,
      };
    });
  const topics = (Object.keys(EXPECTED_TOPIC) as TicketTopic[]).map((planted) => {
    const tickets = rows.filter((r) => r.kind === 'ticket' && ticketTopicOf(r.body) === planted);
    const expected = EXPECTED_TOPIC[planted];
    return {
      planted,
      expected,
      tickets: tickets.length,
      found: round(
        tickets.filter((r) => r.topics.split(',').includes(expected)).length / Math.max(tickets.length, 1),
      ),
    };
  });
  const [lapse] = await engine.query<{
    with_negative: number;
    without_negative: number;
    customers: number;
  }>(sql`
    WITH neg AS (SELECT t.customer_id, max(CASE WHEN s.sentiment_label = 'negative' THEN 1 ELSE 0 END) AS negative
      FROM customer_texts t JOIN text_sentiment s ON s.text_id = t.text_id
      WHERE t.customer_id IS NOT NULL GROUP BY 1),
    last AS (SELECT customer_id, max(order_date) AS last_order FROM orders GROUP BY 1),
    joined AS (SELECT n.negative, CASE WHEN l.last_order < ${engine.dialect.dateParam(asOf)} - INTERVAL 180 DAY THEN 1.0 ELSE 0.0 END AS lapsed
      FROM neg n JOIN last l ON l.customer_id = n.customer_id)
    SELECT avg(CASE WHEN negative = 1 THEN lapsed END) AS with_negative,
      avg(CASE WHEN negative = 0 THEN lapsed END) AS without_negative,
      count(*) FILTER (WHERE negative = 1) AS customers FROM joined`);
  return {
    texts: rows.length,
    languages,
    topics,
    churn: planted?.complaints?.listed ? await churnRecovery(engine, planted.complaints) : null,
    lapsed: {
      withNegative: round(Number(lapse?.with_negative ?? 0)),
      withoutNegative: round(Number(lapse?.without_negative ?? 0)),
      customersWithNegative: Number(lapse?.customers ?? 0),
    },
  };
}

/**
 * Buyers (customers with an order) with and without a text the analysis labelled negative, against the planted
 * leavers: the found signal is the analysis's (text_sentiment), the outcome the plant's.
 */
async function churnRecovery(
  engine: Engine,
  plant: DemoManifest['planted']['churn']['complaints'],
): Promise<ChurnRecovery> {
  const rows = await engine.query<{ customer_id: string; negative: number }>(sql`
    WITH neg AS (SELECT t.customer_id, max(CASE WHEN s.sentiment_label = 'negative' THEN 1 ELSE 0 END) AS negative
      FROM customer_texts t JOIN text_sentiment s ON s.text_id = t.text_id
      WHERE t.customer_id IS NOT NULL GROUP BY t.customer_id),
    buyers AS (SELECT DISTINCT customer_id FROM orders WHERE customer_id IS NOT NULL)
    SELECT b.customer_id AS customer_id, coalesce(n.negative, 0) AS negative
    FROM buyers b LEFT JOIN neg n ON n.customer_id = b.customer_id ORDER BY b.customer_id`);
  const leavers = new Set(plant.leaverIds);
  const complainers = new Set(plant.complainingLeaverIds);
  const count = { neg: 0, negLeft: 0, other: 0, otherLeft: 0, complainersNeg: 0 };
  for (const r of rows) {
    const negative = Number(r.negative) === 1;
    const left = leavers.has(r.customer_id);
    if (negative) {
      count.neg++;
      if (left) count.negLeft++;
      if (complainers.has(r.customer_id)) count.complainersNeg++;
    } else {
      count.other++;
      if (left) count.otherLeft++;
    }
  }
  const d = proportionDifference(
    count.negLeft,
    Math.max(count.neg, 1),
    count.otherLeft,
    Math.max(count.other, 1),
  );
  return {
    planted: {
      probability: plant.probability,
      complainingLeavers: plant.complainingLeaverIds.length,
      leavers: plant.leaverIds.length,
    },
    buyers: rows.length,
    withNegative: { customers: count.neg, leftRate: round(count.negLeft / Math.max(count.neg, 1)) },
    withoutNegative: { customers: count.other, leftRate: round(count.otherLeft / Math.max(count.other, 1)) },
    difference: {
      estimate: round(d.estimate),
      low: round(d.low),
      high: round(d.high),
      pValue: round(d.pValue, 6),
    },
    complainersFoundNegative: round(count.complainersNeg / Math.max(complainers.size, 1)),
  };
}

/** Social listening on the demo's reviews and tickets, found next to planted. */
export const textsStep: DemoStep = {
  id: 'texts',
  title: 'Voice of the customer: languages, sentiment and topics of reviews and tickets',
  async run(engine, ctx) {
    const r = await textsRecovery(engine, ctx.asOf, ctx.manifest.planted.churn);
    const pc = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
    ctx.out.table(
      r.languages.map((l) => ({
        'planted language': languageName(l.language, 'en'),
        texts: l.texts,
        'detected as planted': pc(l.detected),
        'review AUC (4–5 vs 1–2 stars)': l.reviewAuc === null ? '–' : l.reviewAuc.toFixed(3),
        '4–5 stars → positive': pc(l.positiveAsPositive),
        '1–2 stars → negative': pc(l.negativeAsNegative),
      })),
    );
    if (r.languages.some((l) => l.reviewAuc === null)) {
      ctx.out.line('– = no review with that many stars in that language, so nothing to measure.');
    }
    ctx.out.table(
      r.topics.map((t) => ({
        'planted ticket topic': t.planted,
        tickets: t.tickets,
        'found as': t.expected,
        share: pc(t.found),
      })),
    );
    const c = r.churn;
    if (c) {
      const pp = (x: number) => `${(x * 100).toFixed(1)} points`;
      ctx.out.line(
        `Planted: a leaver complains with probability ${pc(c.planted.probability)} 2–25 days after the last order, leaving a ticket unless by phone: ${c.planted.complainingLeavers.toLocaleString('en')} of ${c.planted.leavers.toLocaleString('en')} leavers did. Found without the plant: ${pc(c.complainersFoundNegative)} of those complainers have a text read as negative, and buyers with a negative text left ${pc(c.withNegative.leftRate)} of ${c.withNegative.customers.toLocaleString('en')} against ${pc(c.withoutNegative.leftRate)} of the other ${c.withoutNegative.customers.toLocaleString('en')}: ${pp(c.difference.estimate)} more (95% interval ${pp(c.difference.low)} to ${pp(c.difference.high)}).`,
      );
    }
    ctx.out.line(
      'Results in text_sentiment; see them with clientele serve → Voice of the customer; the churn model can use sentiment_mean_365d and days_since_negative_text from the feature view.',
    );
    return r as unknown as Record<string, unknown>;
  },
};
