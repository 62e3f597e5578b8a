import { daysFromCivil, isoDate, weekday } from './calendar.js';
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
  /** Top-level category the campaign promotes (clicks are likelier for customers who prefer it). */
  focus: string | null;
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
}

export const HOLDOUT_SHARE = 0.15;

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
    lift: 0.03,
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

/** Every campaign sent in [startDay, asOfDay − 21), in send order. */
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
      campaigns.push({
        id: `EM-${tag}-NEWS`,
        name: `Newsletter ${isoDate(news).slice(0, 7)}`,
        channel: 'email',
        sendDay: news,
        sendSecond: 7 * 3600,
        endDay: news + 14,
        keywords: ['newsletter', 'inspiration'],
        focus: null,
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
          targetShare: 0.45,
          holdoutShare: HOLDOUT_SHARE,
          trueLift: theme.lift,
          promoCode: `${theme.slug}${tag}`,
          discountPct: theme.discount,
          fixedCost: 900 + 100 * rng.int(6),
          costPerContact: 0.004,
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
  return campaigns
    .filter((c) => c.sendDay >= startDay && c.sendDay < lastSend)
    .sort((a, b) => a.sendDay - b.sendDay || a.id.localeCompare(b.id));
}
