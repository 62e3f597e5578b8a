/**
 * Life events and behaviour change, judged against each customer's own history. Pure: no I/O, no clock.
 *
 * A candidate is a day on which something new may have started: a purchase in a rule's categories (a new
 * baby, a move), or an order in some channel (a channel switch). For it, the SQL counts the customer's orders
 * before that day (n, of which h in the categories or channel) and in the window from that day (m, of which k).
 * Under "nothing changed", each order in the window is in the categories with the customer's own share,
 * smoothed toward the shop-wide share g with the weight of `priorOrders` orders (empirical Bayes):
 *
 *   p0 = (h + a·g) / (n + a),   p = P(Binomial(m, p0) ≥ k).
 *
 * A customer has several candidate days per type; the smallest p is multiplied by their number (Bonferroni),
 * so scanning many days does not manufacture an event out of noise. An event is flagged when that is below
 * `alpha` and the window holds enough orders.
 */

export interface Candidate {
  customerId: string;
  /** The rule's event type, or (channel candidates) the channel. */
  type: string;
  day: number;
  nBefore: number;
  hBefore: number;
  m: number;
  k: number;
  /** Orders in the window with the categories (channel: = k). */
  kOrders: number;
  /** Orders before the day (category candidates count lines in n; channel candidates orders). */
  ordersBefore: number;
  firstDay: number;
}

export interface DetectedEvent {
  customerId: string;
  type: string;
  /** Day number (days since 1970-01-01) of the first order of the change. */
  day: number;
  /** Bonferroni-corrected p-value. */
  pValue: number;
  /** The counts behind it. */
  nBefore: number;
  hBefore: number;
  m: number;
  k: number;
  kOrders: number;
  ordersBefore: number;
  firstDay: number;
  /** Expected share of orders in the categories/channel under "nothing changed". */
  expectedShare: number;
  /** For a channel switch: the channel switched to (type is 'channel_switch'). */
  channel?: string;
  candidates: number;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; |relative error| < 1e-13). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** P(X ≥ k) for X ~ Binomial(m, p), summed in log space (exact for the small m of one customer's window). */
export function binomialUpperTail(k: number, m: number, p: number): number {
  if (k <= 0) return 1;
  if (k > m) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  const base = logGamma(m + 1);
  let sum = 0;
  for (let j = k; j <= m; j++)
    sum += Math.exp(base - logGamma(j + 1) - logGamma(m - j + 1) + j * lp + (m - j) * lq);
  return Math.min(1, sum);
}

export interface DetectOptions {
  alpha: number;
  minHistoryOrders: number;
  /** Least k in the window. */
  minEventOrders: number;
  /** Least share of the window's orders in the categories/channel (a switch is most later orders). */
  minWindowShare: number;
  priorOrders: number;
  /** Shop-wide share per type (or per channel). */
  shares: ReadonlyMap<string, number>;
  /** Candidates whose type is in the history's majority need no test: for channels, skip the usual channel. */
  skipUsual: boolean;
}

/** The best (smallest-p) candidate per (customer, type), flagged when significant after Bonferroni. */
export function detect(candidates: readonly Candidate[], o: DetectOptions): DetectedEvent[] {
  const best = new Map<string, { c: Candidate; p: number; p0: number; count: number }>();
  for (const c of candidates) {
    if (c.ordersBefore < o.minHistoryOrders || c.nBefore <= 0) continue;
    if (o.skipUsual && c.hBefore / c.nBefore >= 0.5) continue;
    const key = `${c.customerId}\u0000${c.type}`;
    const g = o.shares.get(c.type) ?? 0;
    const p0 = (c.hBefore + o.priorOrders * g) / (c.nBefore + o.priorOrders);
    const eligible = c.kOrders >= o.minEventOrders && c.k / c.m >= o.minWindowShare;
    const p = eligible ? binomialUpperTail(c.k, c.m, p0) : 1;
    const prev = best.get(key);
    if (!prev) best.set(key, { c, p, p0, count: 1 });
    else {
      prev.count++;
      if (p < prev.p || (p === prev.p && c.day < prev.c.day)) {
        prev.c = c;
        prev.p = p;
        prev.p0 = p0;
      }
    }
  }
  const out: DetectedEvent[] = [];
  for (const { c, p, p0, count } of best.values()) {
    const adjusted = Math.min(1, p * count);
    if (adjusted >= o.alpha) continue;
    out.push({
      customerId: c.customerId,
      type: c.type,
      day: c.day,
      pValue: adjusted,
      nBefore: c.nBefore,
      hBefore: c.hBefore,
      m: c.m,
      k: c.k,
      kOrders: c.kOrders,
      ordersBefore: c.ordersBefore,
      firstDay: c.firstDay,
      expectedShare: p0,
      candidates: count,
    });
  }
  return out.sort((a, b) =>
    a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : a.day - b.day,
  );
}

/** A channel switch per customer: the most significant new channel (a customer switches to one channel). */
export function toChannelSwitches(events: readonly DetectedEvent[]): DetectedEvent[] {
  const best = new Map<string, DetectedEvent>();
  for (const e of events) {
    const prev = best.get(e.customerId);
    if (!prev || e.pValue < prev.pValue) best.set(e.customerId, e);
  }
  return [...best.values()].map((e) => ({ ...e, type: 'channel_switch', channel: e.type }));
}

/** One candidate day for a break in frequency or spend (see `breakCandidatesSql`). */
export interface BreakCandidate {
  customerId: string;
  day: number;
  firstDay: number;
  nBefore: number;
  nAfter: number;
  dBefore: number;
  dAfter: number;
  sBefore: number;
  sAfter: number;
  qBefore: number;
  qAfter: number;
}

export interface BreakEvent {
  customerId: string;
  type: 'frequency_up' | 'frequency_down' | 'spend_up' | 'spend_down';
  day: number;
  pValue: number;
  /** Orders per year before and after (frequency), or geometric-mean spend per order day (spend). */
  before: number;
  after: number;
  nBefore: number;
  nAfter: number;
  firstDay: number;
  candidates: number;
}

/** P(X ≤ k) for X ~ Binomial(m, p). */
export function binomialLowerTail(k: number, m: number, p: number): number {
  return k >= m ? 1 : 1 - binomialUpperTail(k + 1, m, p);
}

/** Two-sided normal p-value of a z statistic (erfc via Abramowitz–Stegun 7.1.26, |error| < 1.5e-7). */
export function normalTwoSided(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return Math.min(1, y * Math.exp(-x * x));
}

export interface BreakOptions {
  alpha: number;
  asOfDay: number;
  /** Days needed on each side of a break. */
  minSpanDays: number;
  /** Orders (frequency) or order days (spend) needed after a break. */
  minAfter: number;
  /** Least ratio of the rates or spends that counts as a break (e.g. 1.5). */
  minRatio: number;
}

/**
 * Breaks in purchase frequency (orders from the candidate day on, against a constant rate since the first
 * order: binomial on the share of time that lies after the day) and in spend (Welch z test on ln daily spend
 * before vs after). Per customer and type the most significant day, Bonferroni over the candidate days.
 */
export function detectBreaks(candidates: readonly BreakCandidate[], o: BreakOptions): BreakEvent[] {
  const best = new Map<string, { e: BreakEvent; p: number; count: number }>();
  const offer = (
    c: BreakCandidate,
    e: Omit<BreakEvent, 'candidates' | 'customerId' | 'day' | 'firstDay' | 'nBefore' | 'nAfter'>,
  ) => {
    const key = `${c.customerId}\u0000${e.type}`;
    const prev = best.get(key);
    const full: BreakEvent = {
      ...e,
      customerId: c.customerId,
      day: c.day,
      firstDay: c.firstDay,
      nBefore: c.nBefore,
      nAfter: c.nAfter,
      candidates: 0,
    };
    if (!prev) best.set(key, { e: full, p: e.pValue, count: 1 });
    else {
      prev.count++;
      if (e.pValue < prev.p) {
        prev.e = full;
        prev.p = e.pValue;
      }
    }
  };
  for (const c of candidates) {
    const spanBefore = c.day - c.firstDay;
    const spanAfter = o.asOfDay - c.day;
    if (spanBefore < o.minSpanDays || spanAfter < o.minSpanDays) continue;
    // Frequency: the first order starts the clock, so the other orders are spread over (first, asOf).
    const others = c.nBefore + c.nAfter - 1;
    const f = spanAfter / (spanBefore + spanAfter);
    const rateBefore = ((c.nBefore - 1) / spanBefore) * 365;
    const rateAfter = (c.nAfter / spanAfter) * 365;
    if (c.nAfter >= o.minAfter && rateAfter >= o.minRatio * Math.max(rateBefore, 1e-9))
      offer(c, {
        type: 'frequency_up',
        pValue: binomialUpperTail(c.nAfter, others, f),
        before: rateBefore,
        after: rateAfter,
      });
    if (rateBefore >= o.minRatio * rateAfter && c.nBefore >= o.minAfter)
      offer(c, {
        type: 'frequency_down',
        pValue: binomialLowerTail(c.nAfter, others, f),
        before: rateBefore,
        after: rateAfter,
      });
    // Spend: Welch z on ln daily spend (at least minAfter days on each side).
    if (c.dBefore >= o.minAfter && c.dAfter >= o.minAfter) {
      const mb = c.sBefore / c.dBefore;
      const ma = c.sAfter / c.dAfter;
      const vb = Math.max(0, (c.qBefore - c.dBefore * mb * mb) / (c.dBefore - 1));
      const va = Math.max(0, (c.qAfter - c.dAfter * ma * ma) / (c.dAfter - 1));
      const se = Math.sqrt(vb / c.dBefore + va / c.dAfter);
      if (se > 0 && Math.abs(ma - mb) >= Math.log(o.minRatio)) {
        const p = normalTwoSided((ma - mb) / se);
        offer(c, {
          type: ma > mb ? 'spend_up' : 'spend_down',
          pValue: p,
          before: Math.exp(mb),
          after: Math.exp(ma),
        });
      }
    }
  }
  const out: BreakEvent[] = [];
  for (const { e, p, count } of best.values()) {
    const adjusted = Math.min(1, p * count);
    if (adjusted < o.alpha) out.push({ ...e, pValue: adjusted, candidates: count });
  }
  return out.sort((a, b) =>
    a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : a.day - b.day,
  );
}
