import { civilFromDays } from './calendar.js';
import type { Campaign } from './campaigns.js';
import type { Product } from './catalog.js';
import { TOP_CATEGORIES } from './catalog.js';
import type { Area, Country } from './geography.js';
import {
  LIFE_EVENTS,
  type LifeEventType,
  lifeEventRng,
  type PlantedLifeEvent,
  switchTarget,
} from './life-events.js';
import { createPerson, type Person } from './people.js';
import { hashString, hashUniform, PLANTED_ELASTICITY, respondQuantity } from './pricing.js';
import type { DemoRng } from './rng.js';
import { type Language, TICKET_TOPICS, writeReview, writeTicket } from './texts.js';
import type { World } from './world.js';

/**
 * One customer's life in the shop, simulated from sign-up to `asOf`: a BG/NBD-like purchase process
 * (Poisson purchases at a gamma-distributed rate, dropout after each purchase with a beta-distributed
 * probability) thinned by the seasonal and weekday demand curve, baskets with planted affinities,
 * campaign contacts with control groups and planted lifts, service contacts, returns and reviews.
 * Every parameter is a named constant here and documented in README.md.
 */

/** Share of customer records that are prospects (newsletter leads without orders). */
export const PROSPECT_SHARE = 0.12;
export const COUNTRY_SHARES: Record<Country, number> = { NL: 0.45, BE: 0.2, DE: 0.25, FR: 0.1 };
/** Purchase rate per year ~ Gamma(shape, scale). */
export const RATE_SHAPE = 0.9;
export const RATE_SCALE = 3.3;
/** Dropout probability after each purchase ~ Beta(a, b); the welcome-promo cohort drops out faster. */
export const DROPOUT_BETA = { regular: [0.8, 2.4], welcome: [1.6, 2.0] } as const;
/** Share of first web/app orders that use the welcome code. */
export const WELCOME_SHARE = 0.3;
export const WELCOME_DISCOUNT = 0.2;
/** The two gaps before a dropout are stretched: the customer slows down before leaving. */
export const SLOWDOWN = { secondLast: 1.6, last: 2.2 } as const;
/** Signals planted around a leaver's last order. */
export const LEAVER = {
  complaintProbability: 0.55,
  complaintDays: [2, 25],
  returnProbability: 0.45,
  /** Unsubscribe probability per delivered e-mail from 30 days before to 120 days after the last order. */
  unsubscribeProbability: 0.25,
  /** Open propensity multiplier once the customer has left. */
  openFactorAfter: 0.35,
} as const;
export const BASE_UNSUBSCRIBE = 0.003;
/** Service contacts per year for everybody, and their reasons. */
export const CONTACT_RATE = 0.3;
const REASONS = ['delivery', 'product_question', 'return', 'invoice', 'account', 'complaint'] as const;
const REASON_WEIGHTS = [30, 20, 20, 10, 10, 10];
export const REVIEW_PROBABILITY = 0.07;
/** Complaint ticket topics: late delivery, damaged item, refund, wrong item. */
const TICKET_WEIGHTS = [35, 25, 25, 15];
export const CANCEL_PROBABILITY = 0.012;
export const BOUNCE = { email: 0.02, sms: 0.01 } as const;
/** Organic orders within this many days after a click get a (last-click) conversion event. */
export const ATTRIBUTION_DAYS = 7;
/**
 * Planted campaign truths (issue 13), drawn from a separate per-customer stream (`plant`) so that every other
 * planted pattern keeps its draws:
 * - INTEREST: an opened campaign that features the customer's preferred category is clicked with probability
 *   `clickRate` (others 16%; the campaign keywords name the category: the planted interest is that keyword);
 * - SEND_HOUR: each customer opens at their own hour of the day (`share` of the opens, in that hour);
 * - PRESSURE: `share` of the e-mail subscribers are over-mailed (weekly deals, campaigns.ts DEALS); for everyone,
 *   an open is kept with probability `fatigue` per e-mail beyond `saturationSends` in 30 days.
 */
export const INTEREST = { clickRate: 0.8 } as const;
export const SEND_HOUR = { hours: [6, 7, 8, 12, 13, 17, 19, 20, 21, 22], share: 0.85 } as const;
export const PRESSURE = { share: 0.12, windowDays: 30, saturationSends: 3, fatigue: 0.55 } as const;
/** Web/app orders below this subtotal pay shipping. */
export const FREE_SHIPPING_FROM = 50;
export const SHIPPING_FEE = 4.95;

/**
 * Planted statistical twins: a buyer's purchase rate is multiplied by exp(effect · a − effect² / 2), where the
 * "twin affinity" a (mean ≈ 0, sd ≈ 1) is a fixed function of what prospects have too: income band, age and the
 * area's purchasing power and urban share (`twinAffinity`). The best customers therefore share a profile, and a
 * prospect with a ≥ threshold (about the top quarter) is a planted twin of them: a lookalike model trained on
 * the buyers should rank those prospects first. No extra random draws: the rest of the simulation is unchanged
 * in kind.
 */
export const TWINS = { effect: 1.2, threshold: 0.65 } as const;

/** The planted twin affinity of a person living in an area (see TWINS); deterministic, no randomness. */
export function twinAffinity(person: Person, area: Area): number {
  const midLife = person.age >= 30 && person.age <= 55 ? 0.5 : -0.35;
  const raw =
    0.5 * (person.incomeLevel - 2.3) +
    0.04 * (area.purchasingPowerIndex - 100) +
    1.5 * (area.urbanShare - 0.62) +
    midLife;
  // Centred and scaled with the mean (0.43) and sd (1.32) measured over 5,000 demo customers.
  return (raw - 0.43) / 1.32;
}

/**
 * Planted sign-up source: how a person first came in. Referrals rise with the twin affinity (people like the best
 * customers are brought in by them), social media falls with it, so the source is informative for lookalikes.
 * Picked from a per-customer hash in [0, 1), not from the simulation's random stream, so nothing else changes.
 */
export const SIGNUP_SOURCES = ['referral', 'search', 'social', 'newsletter', 'store'] as const;
export const SIGNUP_PLANT = { source: 'referral', effect: 1.2 } as const;

/** The planted sign-up source of a person with twin affinity `affinity`; `u` uniform in [0, 1). */
export function signupSource(affinity: number, u: number): (typeof SIGNUP_SOURCES)[number] {
  const weights = [
    0.6 * Math.exp(SIGNUP_PLANT.effect * affinity),
    1.2,
    0.9 * Math.exp(-0.5 * affinity),
    0.6,
    0.5,
  ];
  const total = weights.reduce((a, b) => a + b, 0);
  let x = u * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i] as number;
    if (x < 0) return SIGNUP_SOURCES[i] as (typeof SIGNUP_SOURCES)[number];
  }
  return SIGNUP_SOURCES[SIGNUP_SOURCES.length - 1] as (typeof SIGNUP_SOURCES)[number];
}

const CHANNELS = ['web', 'app', 'store', 'phone'] as const;
type OrderChannel = (typeof CHANNELS)[number];
const CHANNEL_WEIGHTS = [55, 25, 15, 5];
const HOURS: Record<OrderChannel, readonly number[]> = {
  web: [
    1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 1.5, 2.2, 2.8, 3, 3, 3.2, 3, 2.8, 2.8, 3, 3.4, 3.8, 4.8, 5.5, 5, 3.5, 2,
  ],
  app: [
    1.5, 0.8, 0.4, 0.2, 0.2, 0.3, 1, 2, 2.5, 2.5, 2.5, 2.8, 3.5, 3, 2.6, 2.6, 2.8, 3.2, 3.8, 4.5, 5.5, 5.8,
    4.5, 2.8,
  ],
  store: [0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 3.5, 3.5, 3.5, 3.5, 4, 4, 3.5, 2, 0, 0, 0, 0, 0],
  phone: [0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 3, 3, 2.5, 2.5, 3, 3, 3, 2.5, 2, 1, 0, 0, 0, 0],
};
const CONSUMABLE_LEAVES = new Set(['HCT', 'EPS', 'BHA', 'BSK', 'KCL']);
const GENDER_TOP: Record<string, readonly number[]> = {
  // weights over TOP_CATEGORIES order: Women, Men, Kids, Home, Electronics, Sports, Beauty, Books
  F: [30, 4, 12, 16, 8, 8, 16, 6],
  M: [4, 26, 8, 14, 24, 14, 3, 7],
  X: [14, 14, 6, 14, 16, 12, 14, 10],
};

export interface SimLine {
  sku: string;
  quantity: number;
  unitPrice: number;
  discount: number;
  returned: number;
}

export interface SimOrder {
  id: string;
  day: number;
  second: number;
  channel: OrderChannel;
  promoCode: string | null;
  lines: SimLine[];
  shipping: number;
  /** Partial returns keep `completed`; the lines' returned quantities tell. */
  status: 'completed' | 'returned' | 'cancelled';
  kind: 'organic' | 'follow-up' | 'campaign' | 'life-event';
}

export interface SimEvent {
  campaignId: string;
  type: 'holdout' | 'sent' | 'delivered' | 'open' | 'click' | 'bounce' | 'unsubscribe' | 'conversion';
  /** Absolute seconds: day number · 86400 + second of day. */
  at: number;
  order: SimOrder | null;
  link: string | null;
}

export interface SimContact {
  day: number;
  second: number;
  channel: 'phone' | 'email' | 'chat';
  reason: string;
  outcome: string;
  durationMinutes: number;
  satisfaction: number | null;
}

export interface SimText {
  kind: 'review' | 'ticket';
  day: number;
  second: number;
  language: Language;
  rating: number | null;
  title: string | null;
  body: string;
  sku: string | null;
}

export interface SimCustomer {
  index: number;
  id: string;
  prospect: boolean;
  area: Area;
  person: Person;
  birthDay: number;
  createdDay: number;
  createdSecond: number;
  updatedDay: number;
  updatedSecond: number;
  consentEmail: boolean;
  consentSms: boolean;
  consentPhone: boolean;
  consentPost: boolean;
  /** Hidden truth, for the README's checks and the manifest; never written to the customer files. */
  truth: {
    cohort: 'welcome' | 'regular' | 'prospect';
    dropped: boolean;
    dropDay: number | null;
    /** Planted twin affinity (TWINS): raises a buyer's purchase rate; marks a prospect as a twin. */
    twinAffinity: number;
    /** Planted life events (life-events.ts). */
    lifeEvents?: PlantedLifeEvent[];
    /** Planted campaign truths (INTEREST, SEND_HOUR, PRESSURE); null for prospects. */
    campaign: { interest: string; sendHour: number; overMailed: boolean } | null;
    /** A leaver who complained in writing (a ticket, LEAVER.complaintDays after the last order). */
    complainingLeaver: boolean;
  };
  orders: SimOrder[];
  events: SimEvent[];
  contacts: SimContact[];
  texts: SimText[];
}

export interface Counters {
  nextOrder: number;
}

function orderTotal(order: SimOrder): number {
  let sum = order.shipping;
  for (const l of order.lines) sum += l.quantity * l.unitPrice - l.discount;
  return sum;
}

export function orderValue(order: SimOrder): number {
  return Math.round(orderTotal(order) * 100) / 100;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const DAY = 86400;

/** Seconds after midnight for an order in this channel. */
function secondFor(rng: DemoRng, channel: OrderChannel): number {
  return rng.weighted(HOURS[channel]) * 3600 + rng.int(3600);
}

export function simulateCustomer(
  rng: DemoRng,
  world: World,
  index: number,
  counters: Counters,
  plant: DemoRng = rng.fork(),
): SimCustomer {
  const { startDay, asOfDay } = world;
  const span = asOfDay - startDay;
  const prospect = rng.chance(PROSPECT_SHARE);
  const countries = Object.keys(COUNTRY_SHARES) as Country[];
  const country = countries[rng.weighted(countries.map((c) => COUNTRY_SHARES[c]))]!;
  const areaTable = world.areaTables[country];
  const area = areaTable.areas[areaTable.table.draw(rng)]!;
  const person = createPerson(rng, country, index, area.urbanShare, prospect);
  const birthDay = asOfDay - Math.round(person.age * 365.25) - rng.int(365);
  // Sign-ups grow over time: density ∝ 0.5 + u on [0, 1), accepted by the seasonal demand curve.
  let createdDay = startDay;
  for (;;) {
    const y = rng.next();
    const u = -0.5 + Math.sqrt(0.25 + 2 * y);
    createdDay = startDay + Math.min(span - 1, Math.floor(u * span));
    if (rng.next() * world.maxDemand < world.demand[createdDay - startDay]!) break;
  }
  const consent = {
    email: rng.chance(person.age > 70 ? 0.6 : 0.82),
    sms: rng.chance(0.35),
    phone: rng.chance(0.22),
    post: rng.chance(0.5),
  };
  const customer: SimCustomer = {
    index,
    id: `${prospect ? 'L' : 'C'}${String(index).padStart(7, '0')}`,
    prospect,
    area,
    person,
    birthDay,
    createdDay,
    createdSecond: 0,
    updatedDay: createdDay,
    updatedSecond: 0,
    consentEmail: consent.email,
    consentSms: consent.sms,
    consentPhone: consent.phone,
    consentPost: consent.post,
    truth: {
      cohort: prospect ? 'prospect' : 'regular',
      dropped: false,
      dropDay: null,
      twinAffinity: twinAffinity(person, area),
      campaign: null,
      complainingLeaver: false,
    },
    orders: [],
    events: [],
    contacts: [],
    texts: [],
  };
  const mainChannel = CHANNELS[rng.weighted(CHANNEL_WEIGHTS)]!;
  if (prospect) {
    customer.consentEmail = rng.chance(0.9);
    customer.createdSecond = secondFor(rng, 'web');
    customer.updatedSecond = customer.createdSecond;
    return customer;
  }

  // --- purchase behaviour (hidden traits) ---
  const twin = customer.truth.twinAffinity;
  const rate = rng.gamma(RATE_SHAPE, RATE_SCALE) * Math.exp(TWINS.effect * twin - TWINS.effect ** 2 / 2); // purchases per year
  const basketSize = rng.gamma(2, 0.6); // extra lines per order (Poisson mean)
  const premium = Math.tanh((person.incomeLevel - 2) * 0.45 + rng.normal() * 0.35);
  const returner = rng.gamma(2, 0.5);
  const engagement = rng.beta(2, 3); // e-mail open propensity
  const prefTop = TOP_CATEGORIES[rng.weighted(GENDER_TOP[person.gender]!)]!;
  // Planted campaign truths, from the planting stream.
  const sendHour = SEND_HOUR.hours[plant.int(SEND_HOUR.hours.length)]!;
  const overMailed = consent.email && plant.chance(PRESSURE.share);
  customer.truth.campaign = { interest: prefTop.toLowerCase(), sendHour, overMailed };
  const pickChannel = (): OrderChannel =>
    rng.chance(0.7) ? mainChannel : CHANNELS[rng.weighted(CHANNEL_WEIGHTS)]!;

  const pickProduct = (top: string | null): Product => {
    const source = top ? world.topProducts.get(top)! : { products: world.products, table: world.globalTable };
    const a = source.products[source.table.draw(rng)]!;
    const b = source.products[source.table.draw(rng)]!;
    // Premium customers take the pricier of two candidates more often (Gamma-Gamma-like spend spread).
    const pricier = a.price >= b.price ? a : b;
    const cheaper = pricier === a ? b : a;
    return rng.chance(0.5 + 0.45 * premium) ? pricier : cheaper;
  };

  let lineSeq = 0;
  const makeLine = (p: Product, day: number): SimLine => {
    const month = civilFromDays(day).month;
    // Markdowns are the shop's weekly price schedule now (pricing.ts); this draw is kept so that every other
    // planted pattern keeps its random numbers.
    if (month === 1 || month === 7) rng.chance(0.3);
    const multiplier = world.prices.multiplier(p.leaf, day);
    const drawn = CONSUMABLE_LEAVES.has(p.leaf) ? 1 + rng.poisson(0.6) : rng.chance(0.06) ? 2 : 1;
    const u = hashUniform(index, day, hashString(p.sku) ^ lineSeq++);
    return {
      sku: p.sku,
      quantity: respondQuantity(drawn, multiplier, PLANTED_ELASTICITY[p.top] ?? 0, u),
      unitPrice: round2(p.price * multiplier),
      discount: 0,
      returned: 0,
    };
  };

  const makeOrder = (
    day: number,
    kind: SimOrder['kind'],
    channel: OrderChannel,
    skus: readonly string[],
    extraLines: number,
    focus: string | null,
  ): SimOrder => {
    const lines: SimLine[] = [];
    const has = (sku: string) => lines.some((l) => l.sku === sku);
    for (const sku of skus) lines.push(makeLine(world.bySku.get(sku)!, day));
    for (let i = 0; i < extraLines; i++) {
      const top = focus && i === 0 ? focus : rng.chance(0.55) ? prefTop : null;
      const p = pickProduct(top);
      if (!has(p.sku)) lines.push(makeLine(p, day));
    }
    // Planted same-basket affinities.
    for (let i = 0; i < lines.length; i++) {
      for (const a of world.sameBasket.get(lines[i]!.sku) ?? []) {
        if (!has(a.to) && rng.chance(a.probability)) lines.push(makeLine(world.bySku.get(a.to)!, day));
      }
    }
    return {
      id: '',
      day,
      second: secondFor(rng, channel),
      channel,
      promoCode: null,
      lines,
      shipping: 0,
      status: 'completed',
      kind,
    };
  };

  const applyDiscount = (order: SimOrder, code: string, pct: number) => {
    order.promoCode = code;
    for (const l of order.lines) l.discount = round2(l.quantity * l.unitPrice * pct);
  };

  // Life-event orders are built from their own generator (life-events.ts), never from `rng`.
  const lifeHelpers: LifeHelpers = {
    line(p, day) {
      const multiplier = world.prices.multiplier(p.leaf, day);
      const u = hashUniform(index, day, hashString(p.sku) ^ lineSeq++);
      return {
        sku: p.sku,
        quantity: respondQuantity(1, multiplier, PLANTED_ELASTICITY[p.top] ?? 0, u),
        unitPrice: round2(p.price * multiplier),
        discount: 0,
        returned: 0,
      };
    },
    product(leaf, r) {
      const list = world.leafProducts.get(leaf)!;
      return list[r.int(list.length)]!;
    },
    second: (r, channel) => secondFor(r, channel as OrderChannel),
    asOfDay,
  };

  // --- organic purchases: BG/NBD-like with seasonal thinning ---
  const sameSession = rng.chance(0.7);
  let firstDay = sameSession ? createdDay : createdDay + Math.floor(rng.exponential(1 / 45));
  const welcome = sameSession && rng.chance(WELCOME_SHARE);
  const beta = welcome ? DROPOUT_BETA.welcome : DROPOUT_BETA.regular;
  const dropoutP = rng.beta(beta[0], beta[1]);
  // K = the purchase after which the customer drops out (geometric).
  const K = Math.max(1, Math.ceil(Math.log(1 - rng.next()) / Math.log(1 - dropoutP)));
  const organicDays: number[] = [];
  if (firstDay < asOfDay) organicDays.push(firstDay);
  let t = firstDay + rng.next();
  while (organicDays.length > 0 && organicDays.length < K) {
    const j = organicDays.length + 1; // the purchase being generated
    const stretch = j === K ? SLOWDOWN.last : j === K - 1 && K >= 3 ? SLOWDOWN.secondLast : 1;
    const candidateRate = ((rate / 365) * world.maxDemand) / stretch;
    if (candidateRate <= 0) break;
    let accepted = false;
    while (!accepted) {
      t += rng.exponential(candidateRate);
      if (t >= asOfDay) break;
      accepted = rng.next() * world.maxDemand < world.demand[Math.floor(t) - startDay]!;
    }
    if (!accepted) break;
    organicDays.push(Math.floor(t));
  }
  if (organicDays.length === 0) firstDay = asOfDay; // registered, never bought
  const dropped = organicDays.length >= K;
  const dropDay = dropped ? organicDays[organicDays.length - 1]! : null;
  customer.truth = {
    cohort: welcome ? 'welcome' : 'regular',
    dropped,
    dropDay,
    twinAffinity: twin,
    campaign: customer.truth.campaign,
    complainingLeaver: false,
  };

  const orders: SimOrder[] = [];
  for (let i = 0; i < organicDays.length; i++) {
    const day = organicDays[i]!;
    const channel = i === 0 && welcome ? (rng.chance(0.7) ? 'web' : 'app') : pickChannel();
    const order = makeOrder(day, 'organic', channel, [], 1 + rng.poisson(basketSize), null);
    if (i === 0 && welcome) applyDiscount(order, 'WELCOME20', WELCOME_DISCOUNT);
    else {
      for (const promo of world.promotions) {
        if (day >= promo.from && day < promo.to && rng.chance(promo.usage)) {
          applyDiscount(order, promo.code, promo.discountPct);
          break;
        }
      }
    }
    orders.push(order);
  }
  const channelSwitch = plantLifeEvents(customer, orders, organicDays, dropped, mainChannel, lifeHelpers);
  if (sameSession && orders[0]) {
    // Account created a few minutes before the first checkout.
    customer.createdSecond = Math.max(0, orders[0].second - 60 - rng.int(900));
  } else {
    customer.createdSecond = secondFor(rng, 'web');
  }

  // --- campaigns: control groups, funnel events, planted lift ---
  // Event times are absolute seconds (day · 86400 + second of day).
  const events: SimEvent[] = [];
  const clicks: { campaign: Campaign; at: number }[] = [];
  let unsubEmail = false;
  let unsubSms = false;
  let updatedAt = createdDay * DAY + customer.createdSecond;
  let unsubEmailAt = Number.POSITIVE_INFINITY;
  // Weekly deals to the over-mailed: scheduled up front (planting stream) so every e-mail knows the recent sends.
  const deals: { campaign: Campaign; at: number; holdout: boolean }[] = [];
  if (overMailed)
    for (const c of world.campaigns) {
      if (c.audience !== 'over-mailed' || c.sendDay <= createdDay || c.sendDay >= asOfDay) continue;
      deals.push({
        campaign: c,
        at: c.sendDay * DAY + c.sendSecond + plant.int(1800),
        holdout: plant.chance(c.holdoutShare),
      });
    }
  const mailTimes: number[] = deals.filter((x) => !x.holdout).map((x) => x.at);
  /** E-mails sent in the PRESSURE window up to t (t included) and the open factor they leave. */
  const fatigueAt = (t: number): number => {
    const recent = mailTimes.filter((x) => x <= t && x > t - PRESSURE.windowDays * DAY).length;
    return recent <= PRESSURE.saturationSends ? 1 : PRESSURE.fatigue ** (recent - PRESSURE.saturationSends);
  };
  /** The customer's open time: at their planted hour (the first such hour after delivery) or `usual`. */
  const openTime = (deliveredAt: number, usual: number): number => {
    if (!plant.chance(SEND_HOUR.share)) return usual;
    let at = Math.floor(deliveredAt / DAY) * DAY + sendHour * 3600 + plant.int(3600);
    if (at < deliveredAt + 10) at += DAY;
    return at;
  };
  for (const c of world.campaigns) {
    if (c.audience) continue;
    if (c.sendDay <= createdDay || c.sendDay >= asOfDay) continue;
    if (c.channel === 'email' ? !consent.email || unsubEmail : !consent.sms || unsubSms) continue;
    if (!rng.chance(c.targetShare)) continue;
    const sentAt = c.sendDay * DAY + c.sendSecond + rng.int(1800);
    const ev = (type: SimEvent['type'], at: number, order: SimOrder | null = null) => {
      const link =
        type === 'click'
          ? `https://shop.example/${c.focus ? c.focus.toLowerCase() : 'deals'}?utm_campaign=${c.id}`
          : null;
      events.push({ campaignId: c.id, type, at, order, link });
    };
    if (rng.chance(c.holdoutShare)) {
      ev('holdout', sentAt);
      continue;
    }
    ev('sent', sentAt);
    if (c.channel === 'email') mailTimes.push(sentAt);
    if (rng.chance(BOUNCE[c.channel])) {
      ev('bounce', sentAt + 30 + rng.int(600));
      continue;
    }
    const deliveredAt = sentAt + 5 + rng.int(300);
    ev('delivered', deliveredAt);
    const gone = dropDay !== null && c.sendDay > dropDay;
    const leaving = dropDay !== null && c.sendDay >= dropDay - 30 && c.sendDay <= dropDay + 120;
    const interest = c.focus === prefTop ? 2.5 : 1;
    let openAt: number | null = null;
    let clickAt: number | null = null;
    // Planted campaign truths change only what is written (event times, hidden opens, extra clicks), from the
    // planting stream: the main stream's draws, and so every other pattern, stay as they were.
    let hidden = false;
    if (c.channel === 'email') {
      if (rng.chance(engagement * (gone ? LEAVER.openFactorAfter : 1))) {
        openAt = deliveredAt + 10 + Math.floor(rng.exponential(1 / 20000));
        const shift = openTime(deliveredAt, openAt) - openAt;
        hidden = !plant.chance(fatigueAt(sentAt));
        if (!hidden) ev('open', openAt + shift);
        const clickP = Math.min(0.9, 0.16 * interest);
        if (rng.chance(clickP)) {
          clickAt = openAt + 20 + rng.int(1800);
          if (!hidden) ev('click', clickAt + shift);
        } else if (
          !hidden &&
          c.featured === prefTop &&
          plant.chance((INTEREST.clickRate - clickP) / (1 - clickP))
        ) {
          const extra = openAt + 20 + plant.int(1800) + shift;
          ev('click', extra);
          clicks.push({ campaign: c, at: extra });
        }
      }
    } else if (rng.chance(0.05 * interest * (gone ? LEAVER.openFactorAfter : 1))) {
      clickAt = deliveredAt + 30 + rng.int(3600);
      ev('click', clickAt);
    }
    // Planted incremental orders: treated, delivered customers buy with probability trueLift (or, for a
    // segment-only campaign, its lift in that segment and none elsewhere).
    const lift = c.segmentLift ? (country === c.segmentLift.value ? c.segmentLift.lift : 0) : c.trueLift;
    if (rng.chance(lift)) {
      const channel: OrderChannel = rng.chance(0.7) ? 'web' : 'app';
      const order = makeOrder(
        c.sendDay + rng.int(7),
        'campaign',
        channel,
        [],
        1 + rng.poisson(basketSize),
        c.focus,
      );
      let at = order.day * DAY + order.second;
      const earliest = (clickAt ?? deliveredAt) + 900;
      if (at < earliest) at = earliest + rng.int(3600);
      if (at < asOfDay * DAY) {
        order.day = Math.floor(at / DAY);
        order.second = at - order.day * DAY;
        applyDiscount(order, c.promoCode, c.discountPct);
        if (clickAt === null) {
          clickAt = Math.max(deliveredAt + 60, at - 120 - rng.int(600));
          if (c.channel === 'email' && openAt === null) {
            openAt = clickAt - 30;
            ev('open', openAt);
          }
          ev('click', clickAt);
        }
        orders.push(order);
        ev('conversion', at, order);
      }
    }
    if (clickAt !== null && !hidden) clicks.push({ campaign: c, at: clickAt });
    const unsubscribeP = leaving && c.channel === 'email' ? LEAVER.unsubscribeProbability : BASE_UNSUBSCRIBE;
    if (rng.chance(unsubscribeP)) {
      const at = (openAt ?? deliveredAt) + 30 + rng.int(600);
      ev('unsubscribe', at);
      if (c.channel === 'email') {
        unsubEmail = true;
        unsubEmailAt = at;
      } else unsubSms = true;
      updatedAt = Math.max(updatedAt, at);
    }
  }

  // --- planted over-mailing: the weekly deals (planting stream; no orders, so no other pattern moves) ---
  for (const x of deals) {
    if (x.at >= unsubEmailAt) continue;
    const c = x.campaign;
    if (x.holdout) {
      events.push({ campaignId: c.id, type: 'holdout', at: x.at, order: null, link: null });
      continue;
    }
    events.push({ campaignId: c.id, type: 'sent', at: x.at, order: null, link: null });
    if (plant.chance(BOUNCE.email)) {
      events.push({
        campaignId: c.id,
        type: 'bounce',
        at: x.at + 30 + plant.int(600),
        order: null,
        link: null,
      });
      continue;
    }
    const deliveredAt = x.at + 5 + plant.int(300);
    events.push({ campaignId: c.id, type: 'delivered', at: deliveredAt, order: null, link: null });
    const gone = dropDay !== null && c.sendDay > dropDay;
    if (!plant.chance(engagement * (gone ? LEAVER.openFactorAfter : 1) * fatigueAt(x.at))) continue;
    const openAt = openTime(deliveredAt, deliveredAt + 10 + Math.floor(plant.exponential(1 / 20000)));
    events.push({ campaignId: c.id, type: 'open', at: openAt, order: null, link: null });
    if (plant.chance(0.1)) {
      const clickAt = openAt + 20 + plant.int(1800);
      events.push({
        campaignId: c.id,
        type: 'click',
        at: clickAt,
        order: null,
        link: `https://shop.example/deals?utm_campaign=${c.id}`,
      });
      clicks.push({ campaign: c, at: clickAt });
    }
  }
  clicks.sort((a, b) => a.at - b.at);

  // --- planted follow-up purchases (e.g. espresso machine → beans within 30 days) ---
  const base = orders.length;
  for (let i = 0; i < base; i++) {
    const o = orders[i]!;
    for (const line of o.lines) {
      for (const a of world.followUp.get(line.sku) ?? []) {
        if (!rng.chance(a.probability)) continue;
        const day = o.day + 1 + rng.int(a.withinDays);
        if (day >= asOfDay) continue;
        orders.push(makeOrder(day, 'follow-up', pickChannel(), [a.to], rng.chance(0.3) ? 1 : 0, null));
      }
    }
  }

  // A planted channel switch holds for every order from its day on (campaign and follow-up orders too).
  if (channelSwitch)
    for (const o of orders) if (o.day >= channelSwitch.day) o.channel = channelSwitch.channel;
  orders.sort((a, b) => a.day - b.day || a.second - b.second);
  // Shipping, returns, cancellations, ids.
  const lastOrganic = dropDay !== null ? orders.findLast((o) => o.kind === 'organic') : undefined;
  for (const o of orders) {
    o.id = `O${String(counters.nextOrder++).padStart(9, '0')}`;
    const subtotal = o.lines.reduce((s, l) => s + l.quantity * l.unitPrice - l.discount, 0);
    o.shipping =
      (o.channel === 'web' || o.channel === 'app' || o.channel === 'phone') && subtotal < FREE_SHIPPING_FROM
        ? SHIPPING_FEE
        : 0;
    if (rng.chance(CANCEL_PROBABILITY)) {
      o.status = 'cancelled';
      continue;
    }
    const leaverReturn = o === lastOrganic && rng.chance(LEAVER.returnProbability);
    let returnedLines = 0;
    for (const l of o.lines) {
      const p = world.bySku.get(l.sku)!;
      if (leaverReturn || rng.chance(Math.min(0.9, p.returnRate * returner))) {
        l.returned = l.quantity;
        returnedLines++;
      }
    }
    o.status = returnedLines > 0 && returnedLines === o.lines.length ? 'returned' : 'completed';
  }

  // Last-click attribution: organic orders within ATTRIBUTION_DAYS after a click get a conversion event.
  for (const o of orders) {
    if (o.kind === 'campaign' || o.status === 'cancelled') continue;
    const at = o.day * DAY + o.second;
    const click = clicks.findLast((k) => k.at < at && at - k.at < ATTRIBUTION_DAYS * DAY);
    if (click && !events.some((e) => e.campaignId === click.campaign.id && e.type === 'conversion')) {
      events.push({ campaignId: click.campaign.id, type: 'conversion', at, order: o, link: null });
    }
  }
  events.sort((a, b) => a.at - b.at);

  // --- service contacts ---
  const contacts: SimContact[] = [];
  const activeUntil = Math.min(asOfDay, dropDay !== null ? dropDay + 60 : asOfDay);
  const firstActive = Math.min(createdDay, orders[0]?.day ?? createdDay);
  const nContacts =
    activeUntil > firstActive ? rng.poisson((CONTACT_RATE * (activeUntil - firstActive)) / 365) : 0;
  for (let i = 0; i < nContacts; i++) {
    const reason = REASONS[rng.weighted(REASON_WEIGHTS)]!;
    contacts.push(makeContact(rng, firstActive + rng.int(activeUntil - firstActive), reason, false));
  }
  if (lastOrganic && rng.chance(LEAVER.complaintProbability)) {
    const [lo, hi] = LEAVER.complaintDays;
    const day = lastOrganic.day + lo + rng.int(hi - lo + 1);
    if (day < asOfDay) {
      const complaint = makeContact(rng, day, 'complaint', true);
      contacts.push(complaint);
      // E-mail and chat complaints leave a ticket text (below); a phone call leaves none.
      customer.truth.complainingLeaver = complaint.channel !== 'phone';
    }
  }
  contacts.sort((a, b) => a.day - b.day || a.second - b.second);

  // --- reviews ---
  const texts: SimText[] = [];
  const language = reviewLanguage(rng, country, area.region, person.russian);
  for (const o of orders) {
    if (o.status === 'cancelled' || !rng.chance(REVIEW_PROBABILITY)) continue;
    const day = o.day + 3 + rng.int(18);
    if (day >= asOfDay) continue;
    const line = o.lines[rng.int(o.lines.length)]!;
    const weights = line.returned > 0 || o === lastOrganic ? [45, 30, 15, 7, 3] : [4, 5, 11, 30, 50];
    const rating = 1 + rng.weighted(weights);
    const lang = rng.chance(0.9) ? language : 'en';
    const { title, body } = writeReview(rng, lang, rating);
    texts.push({
      kind: 'review',
      day,
      second: secondFor(rng, 'web'),
      language: lang,
      rating,
      title,
      body,
      sku: line.sku,
    });
  }
  // Complaints by e-mail or chat leave their text as a ticket (topic drawn from TICKET_TOPICS).
  for (const k of contacts) {
    if (k.reason !== 'complaint' || k.channel === 'phone') continue;
    const topic = TICKET_TOPICS[rng.weighted(TICKET_WEIGHTS)]!;
    const lang = rng.chance(0.9) ? language : 'en';
    texts.push({
      kind: 'ticket',
      day: k.day,
      second: k.second,
      language: lang,
      rating: null,
      title: null,
      body: writeTicket(rng, lang, topic),
      sku: null,
    });
  }
  texts.sort((a, b) => a.day - b.day || a.second - b.second);

  customer.consentEmail = consent.email && !unsubEmail;
  customer.consentSms = consent.sms && !unsubSms;
  customer.updatedDay = Math.floor(updatedAt / DAY);
  customer.updatedSecond = updatedAt - customer.updatedDay * DAY;
  customer.orders = orders;
  customer.events = events;
  customer.contacts = contacts;
  customer.texts = texts;
  return customer;
}

function reviewLanguage(rng: DemoRng, country: Country, region: string, russian: boolean): Language {
  if (russian && rng.chance(0.8)) return 'ru';
  switch (country) {
    case 'NL':
      return 'nl';
    case 'BE':
      return region === 'Wallonie' || (region === 'Bruxelles-Capitale' && rng.chance(0.8)) ? 'fr' : 'nl';
    case 'DE':
      return 'de';
    case 'FR':
      return 'fr';
  }
}

const OUTCOMES: Record<string, { names: readonly string[]; weights: readonly number[] }> = {
  delivery: { names: ['resolved', 'escalated', 'unresolved'], weights: [85, 8, 7] },
  product_question: { names: ['resolved', 'unresolved'], weights: [92, 8] },
  return: { names: ['refund', 'replacement', 'resolved'], weights: [60, 25, 15] },
  invoice: { names: ['resolved', 'escalated'], weights: [90, 10] },
  account: { names: ['resolved'], weights: [100] },
  complaint: { names: ['resolved', 'refund', 'escalated', 'unresolved'], weights: [35, 25, 20, 20] },
};

function makeContact(rng: DemoRng, day: number, reason: string, leaver: boolean): SimContact {
  const channel = (['phone', 'email', 'chat'] as const)[rng.weighted([40, 35, 25])]!;
  const outcomes = leaver
    ? { names: ['unresolved', 'escalated', 'refund'], weights: [60, 25, 15] }
    : OUTCOMES[reason]!;
  const outcome = outcomes.names[rng.weighted(outcomes.weights)]!;
  const unhappy = leaver || reason === 'complaint' || outcome === 'unresolved';
  const satisfaction = rng.chance(0.15)
    ? null
    : 1 + rng.weighted(unhappy ? (leaver ? [55, 35, 8, 2, 0] : [20, 30, 30, 15, 5]) : [2, 4, 12, 37, 45]);
  return {
    day,
    second: (8 + rng.int(11)) * 3600 + rng.int(3600),
    channel,
    reason,
    outcome,
    durationMinutes: Math.round(rng.gamma(2, channel === 'phone' ? 4 : 6) * 10) / 10 + 1,
    satisfaction,
  };
}

interface LifeHelpers {
  line(p: Product, day: number): SimLine;
  product(leaf: string, rng: DemoRng): Product;
  second(rng: DemoRng, channel: string): number;
  asOfDay: number;
}

/**
 * Plants at most one life event per customer (life-events.ts): extra orders for a new baby or a move, or a
 * channel switch of the later organic orders. Uses its own generator only.
 */
function plantLifeEvents(
  customer: SimCustomer,
  orders: SimOrder[],
  organicDays: readonly number[],
  dropped: boolean,
  mainChannel: OrderChannel,
  h: LifeHelpers,
): { day: number; channel: OrderChannel } | null {
  if (organicDays.length < 2) return null;
  const r = lifeEventRng(customer.index, organicDays[0]! + 7 * organicDays.length);
  const u = r.next();
  const events: PlantedLifeEvent[] = [];
  const lastAllowed = dropped ? organicDays[organicDays.length - 1]! : h.asOfDay;
  const category = (
    type: LifeEventType,
    offsets: readonly (readonly [number, number])[],
    fill: (day: number) => SimLine[],
  ) => {
    const span = offsets[offsets.length - 1]![1];
    const from = organicDays[1]! + 1;
    const to = lastAllowed - span;
    if (to <= from) return;
    const d = from + r.int(to - from);
    for (const [lo, hi] of offsets) {
      const day = d + lo + r.int(hi - lo);
      const channel = r.chance(0.7) ? mainChannel : CHANNELS[r.weighted(CHANNEL_WEIGHTS)]!;
      orders.push({
        id: '',
        day,
        second: h.second(r, channel),
        channel,
        promoCode: null,
        lines: fill(day),
        shipping: 0,
        status: 'completed',
        kind: 'life-event',
      });
    }
    events.push({ type, day: d });
  };
  const lines = (day: number, leaves: readonly string[], n: number): SimLine[] => {
    const out: SimLine[] = [];
    for (let i = 0; i < n; i++) {
      const p = h.product(leaves[r.int(leaves.length)]!, r);
      if (!out.some((l) => l.sku === p.sku)) out.push(h.line(p, day));
    }
    return out;
  };
  if (u < LIFE_EVENTS.newBabyShare) {
    category('new_baby', LIFE_EVENTS.babyOffsets, (day) => [
      ...lines(day, LIFE_EVENTS.babyLeaves, 2 + r.int(2)),
      ...(r.chance(0.4) ? lines(day, LIFE_EVENTS.babyExtraLeaves, 1) : []),
    ]);
  } else if (u < LIFE_EVENTS.newBabyShare + LIFE_EVENTS.movingShare) {
    category('moving', LIFE_EVENTS.movingOffsets, (day) =>
      lines(day, LIFE_EVENTS.movingLeaves, 2 + r.int(2)),
    );
  } else if (organicDays.length >= 8 && r.next() < LIFE_EVENTS.channelSwitchShare) {
    const organic = orders.filter((o) => o.kind === 'organic');
    const day = organic[Math.floor(organic.length / 2)]!.day;
    events.push({ type: 'channel_switch', day });
    customer.truth.lifeEvents = events;
    return { day, channel: switchTarget(mainChannel) };
  }
  if (events.length) customer.truth.lifeEvents = events;
  return null;
}
