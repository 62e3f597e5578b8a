import { daysFromCivil, isoDate, weekday } from './calendar.js';
import { TOP_CATEGORIES } from './catalog.js';
import type { DemoRng } from './rng.js';

/**
 * The campaign calendar: a monthly e-mail newsletter, themed e-mail campaigns in their season and
 * quarterly SMS flash sales. Each campaign has a random control group (`holdout` events) and a planted
 * true lift: the expected number of extra orders per targeted, delivered customer within 7 days of the
 * send (documented in README.md and written to manifest.json).
 */

export interface Campaign {
  id: string;
  name: string;
  channel: 'email' | 'sms';
  sendDay: number;
  /** Seconds after midnight when the send starts. */
  sendSecond: number;
  endDay: number;
  keywords: readonly string[];
  /** Top-level category the campaign promotes (its planted orders come from it). */
  focus: string | null;
  /**
   * Top-level category the campaign features, named in its keywords: clicks are likelier for customers who
   * prefer it (the planted interest). The focus for themed campaigns; one category a month for newsletters.
   */
  featured: string | null;
  /** Share of eligible (consenting, existing) customers targeted. */
  targetShare: number;
  /** Share of the targeted customers put in the control group. */
  holdoutShare: number;
  /** Planted true lift: extra orders per delivered, treated customer (within 7 days). */
  trueLift: number;
  promoCode: string;
  discountPct: number;
  fixedCost: number;
  costPerContact: number;
  /**
   * Planted: the campaign works in one segment only (the true lift applies to customers whose `column` is
   * `value`; everyone else gets none). `trueLift` stays the average the generator expects over all treated.
   */
  segmentLift?: { column: 'country'; value: string; lift: number };
  /** Planted: sent only to the over-mailed contacts (simulate.ts `PRESSURE`), from the planting stream. */
  audience?: 'over-mailed';
}

export const HOLDOUT_SHARE = 0.15;

/**
 * Planted segment-only effect: "Into the outdoors" moves German customers only (+0.2 orders; Germans are a
 * quarter of the customers, so its `trueLift` over everyone is 0.05).
 */
export const SEGMENT_CAMPAIGN = {
  slug: 'OUTDOOR',
  column: 'country',
  value: 'DE',
  lift: 0.2,
} as const;

/** Weekly deals e-mails to the over-mailed contacts in the last `weeks` weeks before asOf (Mondays 10:00). */
export const DEALS = { weeks: 26, weekday: 0, second: 10 * 3600 } as const;

const THEMES: readonly {
  month: number;
  day: number;
  slug: string;
  name: string;
  keywords: string[];
  focus: string;
  lift: number;
  discount: number;
}[] = [
  {
    month: 3,
    day: 12,
    slug: 'SPRING',
    name: 'Spring collection',
    keywords: ['fashion', 'spring', 'women', 'dresses'],
    focus: 'Women',
    lift: 0.04,
    discount: 0.1,
  },
  {
    month: 5,
    day: 6,
    slug: 'OUTDOOR',
    name: 'Into the outdoors',
    keywords: ['outdoor', 'camping', 'sports'],
    focus: 'Sports',
    lift: 0.05,
    discount: 0.1,
  },
  {
    month: 6,
    day: 10,
    slug: 'MENS',
    name: "Men's summer edit",
    keywords: ['fashion', 'men', 'summer'],
    focus: 'Men',
    lift: 0.03,
    discount: 0.1,
  },
  {
    month: 8,
    day: 26,
    slug: 'SCHOOL',
    name: 'Back to school',
    keywords: ['kids', 'school', 'electronics'],
    focus: 'Kids',
    lift: 0.025,
    discount: 0.1,
  },
  {
    month: 9,
    day: 16,
    slug: 'HOME',
    name: 'Cosy home',
    keywords: ['home', 'interior', 'kitchen', 'coffee'],
    focus: 'Home',
    lift: 0.035,
    discount: 0.1,
  },
  {
    month: 10,
    day: 14,
    slug: 'BEAUTY',
    name: 'Beauty week',
    keywords: ['beauty', 'skincare', 'gift'],
    focus: 'Beauty',
    lift: 0.0,
    discount: 0.1,
  },
  {
    month: 11,
    day: 24,
    slug: 'BLACKWEEK',
    name: 'Black week deals',
    keywords: ['sale', 'black friday', 'electronics'],
    focus: 'Electronics',
    lift: 0.06,
    discount: 0.2,
  },
  {
    month: 12,
    day: 8,
    slug: 'GIFTS',
    name: 'Christmas gift guide',
    keywords: ['christmas', 'gift', 'books', 'beauty'],
    focus: 'Books',
    lift: 0.05,
    discount: 0.1,
  },
];

const SMS_MONTHS = [2, 5, 8, 11];

/** First weekday `wd` (0 = Monday) on or after the given day. */
function onOrAfter(day: number, wd: number): number {
  return day + ((wd - weekday(day) + 7) % 7);
}

const yymm = (year: number, month: number) => `${String(year).slice(2)}${String(month).padStart(2, '0')}`;

/** Every campaign sent in [startDay, asOfDay − 21) (weekly deals: up to asOfDay − 1), in send order. */
export function createCampaigns(rng: DemoRng, startDay: number, asOfDay: number): Campaign[] {
  const campaigns: Campaign[] = [];
  const lastSend = asOfDay - 21;
  const startYear = Number(isoDate(startDay).slice(0, 4));
  const endYear = Number(isoDate(asOfDay).slice(0, 4));
  for (let year = startYear; year <= endYear; year++) {
    for (let month = 1; month <= 12; month++) {
      const tag = yymm(year, month);
      // Newsletter: first Tuesday of the month, 80% of subscribers.
      const news = onOrAfter(daysFromCivil(year, month, 1), 1);
      const featured = TOP_CATEGORIES[(year * 12 + month) % TOP_CATEGORIES.length]!;
      campaigns.push({
        id: `EM-${tag}-NEWS`,
        name: `Newsletter ${isoDate(news).slice(0, 7)}`,
        channel: 'email',
        sendDay: news,
        sendSecond: 7 * 3600,
        endDay: news + 14,
        keywords: ['newsletter', 'inspiration', featured.toLowerCase()],
        focus: null,
        featured,
        targetShare: 0.8,
        holdoutShare: HOLDOUT_SHARE,
        trueLift: 0.015,
        promoCode: `NEWS${tag}`,
        discountPct: 0.05,
        fixedCost: 350,
        costPerContact: 0.004,
      });
      for (const theme of THEMES.filter((t) => t.month === month)) {
        const send = onOrAfter(daysFromCivil(year, month, theme.day), 3);
        campaigns.push({
          id: `EM-${tag}-${theme.slug}`,
          name: `${theme.name} ${year}`,
          channel: 'email',
          sendDay: send,
          sendSecond: 9 * 3600,
          endDay: send + 14,
          keywords: theme.keywords,
          focus: theme.focus,
          featured: theme.focus,
          targetShare: 0.45,
          holdoutShare: HOLDOUT_SHARE,
          trueLift: theme.lift,
          promoCode: `${theme.slug}${tag}`,
          discountPct: theme.discount,
          fixedCost: 900 + 100 * rng.int(6),
          costPerContact: 0.004,
          ...(theme.slug === SEGMENT_CAMPAIGN.slug
            ? {
                segmentLift: {
                  column: SEGMENT_CAMPAIGN.column,
                  value: SEGMENT_CAMPAIGN.value,
                  lift: SEGMENT_CAMPAIGN.lift,
                },
              }
            : {}),
        });
      }
      if (SMS_MONTHS.includes(month)) {
        const send = onOrAfter(daysFromCivil(year, month, 18), 4);
        campaigns.push({
          id: `SMS-${tag}-FLASH`,
          name: `SMS flash sale ${isoDate(send).slice(0, 7)}`,
          channel: 'sms',
          sendDay: send,
          sendSecond: 11 * 3600,
          endDay: send + 3,
          keywords: ['sale', 'flash', 'sms'],
          focus: null,
          featured: null,
          targetShare: 0.6,
          holdoutShare: HOLDOUT_SHARE,
          trueLift: 0.05,
          promoCode: `FLASH${tag}`,
          discountPct: 0.15,
          fixedCost: 150,
          costPerContact: 0.075,
        });
      }
    }
  }
  // Weekly deals to the over-mailed (no random draw here: the world stream stays as it was).
  const firstDeals = onOrAfter(asOfDay - 7 * DEALS.weeks, DEALS.weekday);
  for (let day = firstDeals; day < asOfDay - 1; day += 7) {
    const date = isoDate(day);
    const tag = date.slice(2).replaceAll('-', '');
    campaigns.push({
      id: `EM-${tag}-DEALS`,
      name: `Weekly deals ${date}`,
      channel: 'email',
      sendDay: day,
      sendSecond: DEALS.second,
      endDay: day + 7,
      keywords: ['deals', 'weekly'],
      focus: null,
      featured: null,
      targetShare: 1,
      holdoutShare: HOLDOUT_SHARE,
      trueLift: 0,
      promoCode: `DEALS${tag}`,
      discountPct: 0,
      fixedCost: 40,
      costPerContact: 0.004,
      audience: 'over-mailed',
    });
  }
  return campaigns
    .filter((c) => c.sendDay >= startDay && (c.audience ? c.sendDay < asOfDay - 1 : c.sendDay < lastSend))
    .sort((a, b) => a.sendDay - b.sendDay || a.id.localeCompare(b.id));
}
