import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Issue, inputErrorFromIssues } from '../errors.js';
import type { CanonicalTable } from '../store/index.js';
import { daysFromCivil, europeanDate, isoDate, isoTimestamp, parseIsoDay } from './calendar.js';
import { SEGMENT_CAMPAIGN } from './campaigns.js';
import { AFFINITIES } from './catalog.js';
import type { Country } from './geography.js';
import { PLANTED_ELASTICITY } from './pricing.js';
import { createDemoRng } from './rng.js';
import {
  type Counters,
  INTEREST,
  LEAVER,
  orderValue,
  PRESSURE,
  SEND_HOUR,
  SIGNUP_PLANT,
  type SimCustomer,
  type SimOrder,
  signupSource,
  simulateCustomer,
  TWINS,
} from './simulate.js';
import { createWorld, MONTH_DEMAND, WEEKDAY_DEMAND } from './world.js';
import { type CsvDialect, CsvWriter, NdjsonWriter } from './writers.js';
import { writeXlsx } from './xlsx.js';

/**
 * `generateDemo()`: writes a realistic shop as importable files plus a `manifest.json` that says what
 * each file is, which canonical table it feeds, how it is formatted and which patterns and data-quality
 * problems were planted. Streaming: one customer is simulated and written at a time.
 */

export interface DemoOptions {
  /** Customer records to generate (buyers and prospects), 1 … 10,000,000. */
  customers: number;
  seed: number;
  outDir: string;
  /** Extraction date `YYYY-MM-DD`: every row is dated before it; history starts three years earlier. */
  asOf: string;
  /** Called every 500 customers and at the end. */
  onProgress?: (done: number, total: number) => void;
}

export interface DemoFile {
  /** File name inside the output folder. */
  file: string;
  /** The canonical table it feeds. */
  target: CanonicalTable;
  /** The system it was exported from (import `--source`): lineage and customer-id namespace. */
  source: string;
  /** Country of phone numbers written without +prefix (import `--default-country`). */
  defaultCountry?: string;
  format: 'csv' | 'xlsx' | 'ndjson';
  encoding: 'utf-8' | 'utf-8-bom' | 'latin-1';
  delimiter?: string;
  decimal?: '.' | ',';
  /** strptime format of its date columns. */
  dateFormat?: string;
  sheet?: string;
  /** Data rows (header excluded), planted problems included. */
  rows: number;
  description: string;
}

export interface PlantedProblem {
  file: string;
  /** 1-based line in the file (the header is line 1). */
  line: number;
  column: string | null;
  value: string | null;
  problem: string;
  expected: 'rejected' | 'duplicate';
}

export interface DemoManifest {
  generator: 'clientele-demo';
  formatVersion: 1;
  seed: number;
  customers: number;
  asOf: string;
  /** First day of the history (inclusive); every date is in [from, asOf). */
  from: string;
  /** Import order: customers before the rows that reference them. */
  files: DemoFile[];
  counts: {
    customers: number;
    buyers: number;
    prospects: number;
    orders: number;
    orderLines: number;
    campaigns: number;
    campaignEvents: number;
    serviceContacts: number;
    texts: number;
    areas: number;
    products: number;
    /** Σ order totals (shipping included) of non-cancelled orders, before returns. */
    revenue: number;
  };
  planted: {
    affinities: typeof AFFINITIES;
    campaigns: { campaignId: string; channel: string; trueLift: number; holdoutShare: number }[];
    seasonality: { monthDemand: readonly number[]; weekdayDemand: readonly number[] };
    churn: {
      droppedOut: number;
      welcomeCohort: number;
      welcomeCohortDroppedOut: number;
      /**
       * Planted complaints before churn (simulate.ts `LEAVER`): a leaver complains with `probability`, 2–25 days
       * after the last order, in writing (a ticket) unless by phone. `leaverIds`: every buyer who dropped out;
       * `complainingLeaverIds`: those who left a complaint ticket. Listed up to 50,000 each (`listed` says so).
       */
      complaints: {
        probability: number;
        daysAfterLastOrder: readonly number[];
        complainingLeavers: number;
        listed: boolean;
        leaverIds: string[];
        complainingLeaverIds: string[];
      };
    };
    /** Buyers who also appear in prospects.csv as an earlier lead with the same e-mail (to be merged). */
    identities: { leadsAlsoCustomers: number; matchBy: 'email' };
    problems: PlantedProblem[];
    /**
     * Life events (life-events.ts): counts per type, and the events (customer, type, date of the first event
     * order or of the first order in the new channel), listed up to 50,000 (`listed` says when cut).
     */
    lifeEvents: {
      counts: Record<string, number>;
      listed: boolean;
      events: { customerId: string; type: string; date: string }[];
    };
    /** Price elasticity of units per top-level category (pricing.ts), and the weekly price plan behind it. */
    elasticities: Readonly<Record<string, number>>;
    /**
     * Campaign truths (issue 13, simulate.ts INTEREST / SEND_HOUR / PRESSURE, campaigns.ts SEGMENT_CAMPAIGN):
     * per customer in `file` (customer_id, interest, send_hour, over_mailed; not an import file).
     */
    campaignTruth: {
      file: string;
      interestClickRate: number;
      sendHours: readonly number[];
      preferredHourShare: number;
      overMailedShare: number;
      overMailed: number;
      saturationSends: number;
      windowDays: number;
      fatigue: number;
      segmentCampaign: { theme: string; column: string; value: string; lift: number; campaignIds: string[] };
    };
    /**
     * Statistical twins (simulate.ts `TWINS`): prospects whose planted twin affinity is at or above the threshold,
     * i.e. who resemble the best customers in what prospects have too (income, age, area). Ids are listed up
     * to 50,000 (`prospectIds` is then cut and `listed` says so).
     */
    twins: {
      effect: number;
      threshold: number;
      drivers: string[];
      /**
       * Planted sign-up source (simulate.ts `signupSource`): referrals rise with the twin affinity, so the
       * source is more often `moreCommonAmongTwins` among twins; counts over everybody written.
       */
      signupSource: { moreCommonAmongTwins: string; effect: number; counts: Record<string, number> };
      prospects: number;
      twins: number;
      listed: boolean;
      prospectIds: string[];
    };
  };
}

export interface DemoResult {
  outDir: string;
  manifest: DemoManifest;
  manifestPath: string;
}

export const DEFAULT_AS_OF = '2026-06-30';

/** The hidden per-customer campaign truths written next to the import files (never imported). */
export const CAMPAIGN_TRUTH_FILE = 'campaign_truth.csv';
const MAX_CUSTOMERS = 10_000_000;
/** One in LEAD_MODULUS e-mail-consenting buyers also appears in prospects.csv as an earlier lead. */
const LEAD_MODULUS = 50;
/** Planted twin prospects listed by id in the manifest (the count is always exact). */
const MAX_LISTED_TWINS = 50_000;

const LATIN1_EU: CsvDialect = { delimiter: ';', decimal: ',', encoding: 'latin1', lineEnding: '\r\n' };
const BOM_EU: CsvDialect = { delimiter: ';', decimal: ',', encoding: 'utf8-bom', lineEnding: '\n' };
const UTF8_EU: CsvDialect = { delimiter: ';', decimal: ',', encoding: 'utf8', lineEnding: '\n' };
const PLAIN: CsvDialect = { delimiter: ',', decimal: '.', encoding: 'utf8', lineEnding: '\n' };

/** Customer file layouts: Dutch/Belgian and German exports (Latin-1), French (UTF-8 BOM), leads (plain). */
const CUSTOMER_FILES = {
  nl: {
    file: 'klanten_nl_be.csv',
    dialect: LATIN1_EU,
    dateSep: '/',
    yes: 'ja',
    no: 'nee',
    header: [
      'Klantnummer',
      'Voornaam',
      'Achternaam',
      'E-mailadres',
      'Telefoonnummer',
      'Geslacht',
      'Geboortedatum',
      'Inkomensklasse',
      'Beroep',
      'Opleiding',
      'Straat',
      'Postcode',
      'Woonplaats',
      'Provincie',
      'Land',
      'Toestemming e-mail',
      'Toestemming sms',
      'Toestemming telefoon',
      'Toestemming post',
      'Registratiedatum',
      'Laatst gewijzigd',
      'Aanmeldbron',
    ],
  },
  de: {
    file: 'kunden_de.csv',
    dialect: LATIN1_EU,
    dateSep: '.',
    yes: 'ja',
    no: 'nein',
    header: [
      'Kundennummer',
      'Vorname',
      'Nachname',
      'E-Mail',
      'Telefon',
      'Geschlecht',
      'Geburtsdatum',
      'Einkommensklasse',
      'Beruf',
      'Bildung',
      'Straße',
      'PLZ',
      'Ort',
      'Bundesland',
      'Land',
      'Einwilligung E-Mail',
      'Einwilligung SMS',
      'Einwilligung Telefon',
      'Einwilligung Post',
      'Anmeldedatum',
      'Geändert am',
      'Anmeldequelle',
    ],
  },
  fr: {
    file: 'clients_fr.csv',
    dialect: BOM_EU,
    dateSep: '/',
    yes: 'oui',
    no: 'non',
    header: [
      'N° client',
      'Prénom',
      'Nom',
      'E-mail',
      'Téléphone',
      'Sexe',
      'Date de naissance',
      'Tranche de revenu',
      'Profession',
      "Niveau d'études",
      'Adresse',
      'Code postal',
      'Ville',
      'Région',
      'Pays',
      'Consentement e-mail',
      'Consentement SMS',
      'Consentement téléphone',
      'Consentement courrier',
      "Date d'inscription",
      'Date de modification',
      "Source d'inscription",
    ],
  },
} as const;

const PROSPECT_HEADER = [
  'customer_id',
  'first_name',
  'last_name',
  'email',
  'phone',
  'gender',
  'birth_date',
  'income_band',
  'occupation',
  'education',
  'street',
  'postcode',
  'city',
  'region',
  'country',
  'consent_email',
  'consent_sms',
  'consent_phone',
  'consent_post',
  'is_prospect',
  'created_at',
  'updated_at',
  'signup_source',
];

function validate(options: DemoOptions): number {
  const issues: Issue[] = [];
  if (!Number.isInteger(options.customers) || options.customers < 1 || options.customers > MAX_CUSTOMERS) {
    issues.push({
      where: 'customers',
      message: `expected a whole number from 1 to ${MAX_CUSTOMERS.toLocaleString('en')}, got ${options.customers}`,
    });
  }
  if (!Number.isSafeInteger(options.seed)) {
    issues.push({ where: 'seed', message: `expected a whole number, got ${options.seed}` });
  }
  const asOfDay = parseIsoDay(options.asOf);
  if (asOfDay === null)
    issues.push({ where: 'asOf', message: `expected a date YYYY-MM-DD, got "${options.asOf}"` });
  if (!options.outDir)
    issues.push({ where: 'outDir', message: 'expected a folder path, got an empty string' });
  if (issues.length) throw inputErrorFromIssues('Cannot generate the demo data:', issues);
  return asOfDay!;
}

/** Mixes the seed and a customer index into an independent per-customer seed. */
function customerSeed(seed: number, index: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x27d4eb2d, 0x9e3779b1) >>> 0;
  h = Math.imul(h ^ index, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

export async function generateDemo(options: DemoOptions): Promise<DemoResult> {
  const asOfDay = validate(options);
  const asOf = isoDate(asOfDay);
  const [y, m, d] = asOf.split('-').map(Number) as [number, number, number];
  const startDay = daysFromCivil(y - 3, m, d);
  mkdirSync(options.outDir, { recursive: true });
  const out = (file: string) => join(options.outDir, file);
  const master = createDemoRng(options.seed >>> 0 || 1);
  const world = createWorld(master.fork(), startDay, asOfDay, options.customers);

  // --- catalog (one .xlsx) and postcode data ---
  const productRows = await writeXlsx(
    out('products.xlsx'),
    'Catalog',
    ['sku', 'name', 'category_path', 'brand', 'price', 'unit_cost', 'currency'],
    (function* () {
      for (const p of world.products)
        yield [p.sku, p.name, p.categoryPath, p.brand, p.price, p.unitCost, 'EUR'];
    })(),
    { created: new Date(`${asOf}T06:00:00Z`), columnWidths: [10, 40, 42, 16, 10, 10, 9] },
  );
  const areaCsv = new CsvWriter(
    out('area_data.csv'),
    [
      'country',
      'postcode',
      'area_name',
      'region',
      'population',
      'households',
      'median_income',
      'purchasing_power_index',
      'urban_share',
      'mean_age',
      'latitude',
      'longitude',
    ],
    UTF8_EU,
  );
  for (const a of world.areas) {
    areaCsv.row([
      a.country,
      a.postcode,
      a.city,
      a.region,
      a.population,
      a.households,
      a.medianIncome,
      areaCsv.num(a.purchasingPowerIndex, 1),
      areaCsv.num(a.urbanShare, 3),
      areaCsv.num(a.meanAge, 1),
      areaCsv.num(a.latitude, 5),
      areaCsv.num(a.longitude, 5),
    ]);
  }
  areaCsv.close();

  // --- streamed files ---
  const customerCsv = {
    nl: new CsvWriter(out(CUSTOMER_FILES.nl.file), CUSTOMER_FILES.nl.header, CUSTOMER_FILES.nl.dialect),
    de: new CsvWriter(out(CUSTOMER_FILES.de.file), CUSTOMER_FILES.de.header, CUSTOMER_FILES.de.dialect),
    fr: new CsvWriter(out(CUSTOMER_FILES.fr.file), CUSTOMER_FILES.fr.header, CUSTOMER_FILES.fr.dialect),
  };
  const prospectCsv = new CsvWriter(out('prospects.csv'), PROSPECT_HEADER, PLAIN);
  const ordersCsv = new CsvWriter(
    out('orders.csv'),
    [
      'order_id',
      'customer_id',
      'order_date',
      'order_time',
      'channel',
      'promo_code',
      'discount',
      'shipping',
      'total',
      'currency',
      'status',
    ],
    PLAIN,
  );
  const linesCsv = new CsvWriter(
    out('order_lines.csv'),
    ['order_id', 'line_no', 'sku', 'quantity', 'unit_price', 'discount', 'returned_quantity'],
    UTF8_EU,
  );
  // Hidden campaign truths (not an import file; manifest.planted.campaignTruth).
  const truthCsv = new CsvWriter(
    out(CAMPAIGN_TRUTH_FILE),
    ['customer_id', 'interest', 'send_hour', 'over_mailed'],
    PLAIN,
  );
  let overMailed = 0;
  const eventsCsv = new CsvWriter(
    out('campaign_events.csv'),
    ['campaign_id', 'customer_id', 'event_type', 'event_time', 'order_id', 'value', 'link'],
    PLAIN,
  );
  const contactsCsv = new CsvWriter(
    out('service_contacts.csv'),
    [
      'contact_id',
      'customer_id',
      'contact_time',
      'channel',
      'reason',
      'outcome',
      'duration_minutes',
      'satisfaction',
    ],
    UTF8_EU,
  );
  const texts = new NdjsonWriter(out('customer_texts.ndjson'));

  const problems: PlantedProblem[] = [];
  const plant = (
    writer: CsvWriter,
    file: string,
    column: string | null,
    value: string | null,
    problem: string,
    expected: PlantedProblem['expected'],
  ) => problems.push({ file, line: writer.rows + 2, column, value, problem, expected }); // the row about to be written (header = line 1)

  const counters: Counters = { nextOrder: 1 };
  const sentPerCampaign = new Map<string, number>();
  let contactSeq = 1;
  let textSeq = 1;
  let buyers = 0;
  let prospects = 0;
  let nlRows = 0;
  let prospectRows = 0;
  let leads = 0;
  let revenue = 0;
  let orderLines = 0;
  let droppedOut = 0;
  let welcomeCohort = 0;
  let welcomeDropped = 0;
  const lifeEvents: { customerId: string; type: string; date: string }[] = [];
  const lifeEventCounts: Record<string, number> = { new_baby: 0, moving: 0, channel_switch: 0 };
  const twinIds: string[] = [];
  const sourceCounts = new Map<string, number>();
  const leaverIds: string[] = [];
  const complainingLeaverIds: string[] = [];
  let complainingLeavers = 0;
  let twinCount = 0;

  const writeOrder = (c: SimCustomer, o: SimOrder) => {
    const total = orderValue(o);
    if (o.status !== 'cancelled') revenue += total;
    const discount = o.lines.reduce((s, l) => s + l.discount, 0);
    const ordinal = ordersCsv.rows + 1; // 1-based order ordinal in the file (before this row)
    let orderDate = isoDate(o.day);
    const badDates: Record<number, string> = {
      11: `${isoDate(o.day).slice(0, 4)}-02-30`,
      23: `${isoDate(o.day).slice(0, 4)}-13-07`,
      37: `2O${isoDate(o.day).slice(2)}`,
    };
    const bad = badDates[ordinal];
    if (bad) {
      plant(ordersCsv, 'orders.csv', 'order_date', bad, 'not a real date', 'rejected');
      orderDate = bad;
    }
    const cells = [
      o.id,
      c.id,
      orderDate,
      isoTimestamp(o.day, o.second),
      o.channel,
      o.promoCode,
      ordersCsv.num(discount, 2),
      ordersCsv.num(o.shipping, 2),
      ordersCsv.num(total, 2),
      'EUR',
      o.status,
    ];
    ordersCsv.row(cells);
    if (ordinal === 19) {
      plant(ordersCsv, 'orders.csv', null, null, 'the previous line repeated exactly', 'duplicate');
      ordersCsv.row(cells);
    }
    orderLines += o.lines.length;
    o.lines.forEach((l, i) => {
      let quantity = l.quantity;
      if ((ordinal === 5 || ordinal === 31) && i === 0) {
        quantity = ordinal === 5 ? -1 : -2;
        plant(
          linesCsv,
          'order_lines.csv',
          'quantity',
          linesCsv.num(quantity, 0),
          'negative quantity (a return typed as a sale)',
          'rejected',
        );
      }
      linesCsv.row([
        o.id,
        i + 1,
        l.sku,
        linesCsv.num(quantity, 0),
        linesCsv.num(l.unitPrice, 2),
        linesCsv.num(l.discount, 2),
        linesCsv.num(l.returned, 0),
      ]);
    });
  };

  const writeCustomer = (c: SimCustomer) => {
    const p = c.person;
    const a = c.area;
    const source = signupSource(c.truth.twinAffinity, customerSeed(options.seed ^ 0x5160, c.index) / 2 ** 32);
    sourceCounts.set(source, (sourceCounts.get(source) ?? 0) + 1);
    if (c.prospect) {
      let birth = isoDate(c.birthDay);
      prospectRows++;
      if (prospectRows <= 2) {
        birth = prospectRows === 1 ? '1987-02-29' : '0000-00-00';
        plant(prospectCsv, 'prospects.csv', 'birth_date', birth, 'not a real date', 'rejected');
      }
      prospectCsv.row([
        c.id,
        p.firstName,
        p.lastName,
        p.email,
        p.phone,
        p.gender,
        birth,
        p.incomeBand,
        p.occupation,
        p.education,
        p.street,
        a.postcode,
        a.city,
        a.region,
        a.country,
        String(c.consentEmail),
        String(c.consentSms),
        String(c.consentPhone),
        String(c.consentPost),
        'true',
        isoTimestamp(c.createdDay, c.createdSecond),
        isoTimestamp(c.updatedDay, c.updatedSecond),
        source,
      ]);
      return;
    }
    const layout = fileFor(a.country);
    const spec = CUSTOMER_FILES[layout];
    const w = customerCsv[layout];
    const yn = (b: boolean) => (b ? spec.yes : spec.no);
    const cells = [
      c.id,
      p.firstName,
      p.lastName,
      p.email,
      p.phone,
      p.gender,
      europeanDate(c.birthDay, spec.dateSep),
      p.incomeBand,
      p.occupation,
      p.education,
      p.street,
      a.postcode,
      a.city,
      a.region,
      a.country,
      yn(c.consentEmail),
      yn(c.consentSms),
      yn(c.consentPhone),
      yn(c.consentPost),
      europeanDate(c.createdDay, spec.dateSep),
      europeanDate(c.updatedDay, spec.dateSep),
      source,
    ];
    w.row(cells);
    if (layout === 'nl' && ++nlRows === 3) {
      plant(w, spec.file, null, null, 'the previous line repeated exactly (export glitch)', 'duplicate');
      w.row(cells);
    }
    // Planted identity: 2% of the buyers who accept e-mail first signed up for the newsletter as a lead,
    // with the same e-mail address, 10–199 days before becoming a customer (identity resolution merges them).
    const leadHash = customerSeed(options.seed ^ 0x1ead, c.index);
    if (c.consentEmail && leadHash % LEAD_MODULUS === 0) {
      const day = c.createdDay - 10 - ((leadHash >>> 8) % 190);
      const second = (leadHash >>> 16) % 86400;
      leads++;
      prospectCsv.row([
        `L${String(c.index).padStart(7, '0')}`,
        p.firstName,
        p.lastName,
        p.email,
        null,
        p.gender,
        null,
        null,
        null,
        null,
        null,
        a.postcode,
        a.city,
        a.region,
        a.country,
        'true',
        'false',
        'false',
        'false',
        'true',
        isoTimestamp(day, second),
        isoTimestamp(day, second),
        'newsletter',
      ]);
    }
  };

  const total = options.customers;
  for (let index = 1; index <= total; index++) {
    const rng = createDemoRng(customerSeed(options.seed, index));
    // Campaign truths come from their own stream, so planting them moves no other pattern's draws.
    const plant = createDemoRng(customerSeed(options.seed ^ 0x13c4a7, index));
    const c = simulateCustomer(rng, world, index, counters, plant);
    writeCustomer(c);
    const truth = c.truth.campaign;
    if (truth) {
      truthCsv.row([c.id, truth.interest, truth.sendHour, truth.overMailed ? 'true' : 'false']);
      if (truth.overMailed) overMailed++;
    }
    if (c.prospect) {
      prospects++;
      if (c.truth.twinAffinity >= TWINS.threshold) {
        twinCount++;
        if (twinIds.length < MAX_LISTED_TWINS) twinIds.push(c.id);
      }
    } else buyers++;
    for (const e of c.truth.lifeEvents ?? []) {
      lifeEventCounts[e.type] = (lifeEventCounts[e.type] ?? 0) + 1;
      if (lifeEvents.length < MAX_LISTED_TWINS)
        lifeEvents.push({ customerId: c.id, type: e.type, date: isoDate(e.day) });
    }
    if (c.truth.dropped) {
      droppedOut++;
      if (leaverIds.length < MAX_LISTED_TWINS) leaverIds.push(c.id);
    }
    if (c.truth.complainingLeaver) {
      complainingLeavers++;
      if (complainingLeaverIds.length < MAX_LISTED_TWINS) complainingLeaverIds.push(c.id);
    }
    if (c.truth.cohort === 'welcome') {
      welcomeCohort++;
      if (c.truth.dropped) welcomeDropped++;
    }
    for (const o of c.orders) writeOrder(c, o);
    for (const e of c.events) {
      if (e.type === 'sent') sentPerCampaign.set(e.campaignId, (sentPerCampaign.get(e.campaignId) ?? 0) + 1);
      const day = Math.floor(e.at / 86400);
      eventsCsv.row([
        e.campaignId,
        c.id,
        e.type,
        isoTimestamp(day, e.at - day * 86400),
        e.order?.id ?? null,
        e.order ? eventsCsv.num(orderValue(e.order), 2) : null,
        e.link,
      ]);
    }
    for (const k of c.contacts) {
      contactsCsv.row([
        `S${String(contactSeq++).padStart(8, '0')}`,
        c.id,
        isoTimestamp(k.day, k.second),
        k.channel,
        k.reason,
        k.outcome,
        contactsCsv.num(k.durationMinutes, 1),
        k.satisfaction,
      ]);
    }
    for (const t of c.texts) {
      texts.write({
        text_id: `T${String(textSeq++).padStart(8, '0')}`,
        customer_id: c.id,
        kind: t.kind,
        text_time: isoTimestamp(t.day, t.second),
        language: t.language,
        rating: t.rating,
        title: t.title,
        body: t.body,
        sku: t.sku,
      });
    }
    if (index % 500 === 0) options.onProgress?.(index, total);
  }

  // An order from a customer the shop does not know (deleted account), with its line.
  const orphanDay = asOfDay - 40;
  plant(ordersCsv, 'orders.csv', 'customer_id', 'C9999999', 'customer not in any customer file', 'rejected');
  ordersCsv.row([
    'O999999999',
    'C9999999',
    isoDate(orphanDay),
    isoTimestamp(orphanDay, 52000),
    'web',
    null,
    '0.00',
    '4.95',
    '34.94',
    'EUR',
    'completed',
  ]);
  linesCsv.row(['O999999999', 1, 'BHA-001', '1', '29,99', '0,00', '0']);

  for (const w of [...Object.values(customerCsv), prospectCsv, ordersCsv, linesCsv, eventsCsv, contactsCsv])
    w.close();
  texts.close();
  truthCsv.close();

  const campaignsCsv = new CsvWriter(
    out('campaigns.csv'),
    ['campaign_id', 'name', 'channel', 'start_date', 'end_date', 'keywords', 'cost', 'cost_per_contact'],
    PLAIN,
  );
  for (const c of world.campaigns) {
    const sent = sentPerCampaign.get(c.id) ?? 0;
    campaignsCsv.row([
      c.id,
      c.name,
      c.channel,
      isoDate(c.sendDay),
      isoDate(c.endDay),
      c.keywords.join('|'),
      campaignsCsv.num(c.fixedCost + c.costPerContact * sent, 2),
      campaignsCsv.num(c.costPerContact, 3),
    ]);
  }
  campaignsCsv.close();
  options.onProgress?.(total, total);

  const files: DemoFile[] = [
    {
      file: CUSTOMER_FILES.nl.file,
      target: 'customers',
      source: 'crm',
      defaultCountry: 'NL',
      format: 'csv',
      encoding: 'latin-1',
      delimiter: ';',
      decimal: ',',
      dateFormat: '%d/%m/%Y',
      rows: customerCsv.nl.rows,
      description:
        'Customers in the Netherlands and Belgium: a Dutch CRM export (Latin-1, semicolons, CRLF, dd/mm/yyyy, ja/nee).',
    },
    {
      file: CUSTOMER_FILES.de.file,
      target: 'customers',
      source: 'crm',
      defaultCountry: 'DE',
      format: 'csv',
      encoding: 'latin-1',
      delimiter: ';',
      decimal: ',',
      dateFormat: '%d.%m.%Y',
      rows: customerCsv.de.rows,
      description:
        'Customers in Germany: a German CRM export (Latin-1, semicolons, CRLF, dd.mm.yyyy, ja/nein).',
    },
    {
      file: CUSTOMER_FILES.fr.file,
      target: 'customers',
      source: 'crm',
      defaultCountry: 'FR',
      format: 'csv',
      encoding: 'utf-8-bom',
      delimiter: ';',
      decimal: ',',
      dateFormat: '%d/%m/%Y',
      rows: customerCsv.fr.rows,
      description: 'Customers in France: a French export (UTF-8 with BOM, semicolons, dd/mm/yyyy, oui/non).',
    },
    {
      file: 'prospects.csv',
      target: 'customers',
      source: 'newsletter',
      defaultCountry: 'NL',
      format: 'csv',
      encoding: 'utf-8',
      delimiter: ',',
      decimal: '.',
      dateFormat: '%Y-%m-%d',
      rows: prospectCsv.rows,
      description:
        'Newsletter leads without orders (is_prospect = true), for lookalike targeting; plain CSV.',
    },
    {
      file: 'products.xlsx',
      target: 'products',
      source: 'pim',
      format: 'xlsx',
      encoding: 'utf-8',
      sheet: 'Catalog',
      rows: productRows,
      description: 'The catalog: SKU, name, 3-level category path, brand, price and unit cost.',
    },
    {
      file: 'campaigns.csv',
      target: 'campaigns',
      source: 'email-platform',
      format: 'csv',
      encoding: 'utf-8',
      delimiter: ',',
      decimal: '.',
      dateFormat: '%Y-%m-%d',
      rows: campaignsCsv.rows,
      description: 'E-mail and SMS campaigns with keyword tags (separated by |) and cost.',
    },
    {
      file: 'area_data.csv',
      target: 'area_data',
      source: 'statistics',
      format: 'csv',
      encoding: 'utf-8',
      delimiter: ';',
      decimal: ',',
      rows: areaCsv.rows,
      description:
        'External statistics per postcode: population, households, income, purchasing power, urbanisation, age, coordinates.',
    },
    {
      file: 'orders.csv',
      target: 'orders',
      source: 'shop',
      format: 'csv',
      encoding: 'utf-8',
      delimiter: ',',
      decimal: '.',
      dateFormat: '%Y-%m-%d',
      rows: ordersCsv.rows,
      description:
        'Orders from the shop system: date, time, channel, promo code, discount, shipping, total, status.',
    },
    {
      file: 'order_lines.csv',
      target: 'order_lines',
      source: 'shop',
      format: 'csv',
      encoding: 'utf-8',
      delimiter: ';',
      decimal: ',',
      rows: linesCsv.rows,
      description:
        'Order lines from the warehouse system (semicolons, decimal comma): SKU, quantity, unit price, discount, returned quantity.',
    },
    {
      file: 'campaign_events.csv',
      target: 'campaign_events',
      source: 'email-platform',
      format: 'csv',
      encoding: 'utf-8',
      delimiter: ',',
      decimal: '.',
      dateFormat: '%Y-%m-%d %H:%M:%S',
      rows: eventsCsv.rows,
      description:
        'Campaign events: holdout (control group), sent, delivered, open, click, bounce, unsubscribe, conversion (with order id and value).',
    },
    {
      file: 'service_contacts.csv',
      target: 'service_contacts',
      source: 'service-desk',
      format: 'csv',
      encoding: 'utf-8',
      delimiter: ';',
      decimal: ',',
      dateFormat: '%Y-%m-%d %H:%M:%S',
      rows: contactsCsv.rows,
      description: 'Customer service contacts: channel, reason, outcome, duration, satisfaction 1–5.',
    },
    {
      file: 'customer_texts.ndjson',
      target: 'customer_texts',
      source: 'reviews',
      format: 'ndjson',
      encoding: 'utf-8',
      rows: texts.rows,
      description: 'Product reviews in Dutch, English, German, French and Russian with a 1–5 rating.',
    },
  ];

  const manifest: DemoManifest = {
    generator: 'clientele-demo',
    formatVersion: 1,
    seed: options.seed,
    customers: options.customers,
    asOf,
    from: isoDate(startDay),
    files,
    counts: {
      customers: buyers + prospects,
      buyers,
      prospects,
      orders: counters.nextOrder - 1,
      orderLines,
      campaigns: world.campaigns.length,
      campaignEvents: eventsCsv.rows,
      serviceContacts: contactsCsv.rows,
      texts: texts.rows,
      areas: world.areas.length,
      products: world.products.length,
      revenue: Math.round(revenue * 100) / 100,
    },
    planted: {
      affinities: AFFINITIES,
      campaigns: world.campaigns.map((c) => ({
        campaignId: c.id,
        channel: c.channel,
        trueLift: c.trueLift,
        holdoutShare: c.holdoutShare,
      })),
      seasonality: { monthDemand: MONTH_DEMAND, weekdayDemand: WEEKDAY_DEMAND },
      churn: {
        droppedOut,
        welcomeCohort,
        welcomeCohortDroppedOut: welcomeDropped,
        complaints: {
          probability: LEAVER.complaintProbability,
          daysAfterLastOrder: LEAVER.complaintDays,
          complainingLeavers,
          listed: droppedOut <= MAX_LISTED_TWINS,
          leaverIds,
          complainingLeaverIds,
        },
      },
      identities: { leadsAlsoCustomers: leads, matchBy: 'email' },
      problems,
      campaignTruth: {
        file: CAMPAIGN_TRUTH_FILE,
        interestClickRate: INTEREST.clickRate,
        sendHours: SEND_HOUR.hours,
        preferredHourShare: SEND_HOUR.share,
        overMailedShare: PRESSURE.share,
        overMailed,
        saturationSends: PRESSURE.saturationSends,
        windowDays: PRESSURE.windowDays,
        fatigue: PRESSURE.fatigue,
        segmentCampaign: {
          theme: SEGMENT_CAMPAIGN.slug,
          column: SEGMENT_CAMPAIGN.column,
          value: SEGMENT_CAMPAIGN.value,
          lift: SEGMENT_CAMPAIGN.lift,
          campaignIds: world.campaigns.filter((c) => c.segmentLift).map((c) => c.id),
        },
      },
      elasticities: PLANTED_ELASTICITY,
      lifeEvents: {
        counts: lifeEventCounts,
        listed: Object.values(lifeEventCounts).reduce((a, b) => a + b, 0) <= MAX_LISTED_TWINS,
        events: lifeEvents,
      },
      twins: {
        effect: TWINS.effect,
        threshold: TWINS.threshold,
        drivers: ['income_band', 'age', 'area_purchasing_power', 'area_urban_share', 'signup_source'],
        signupSource: {
          moreCommonAmongTwins: SIGNUP_PLANT.source,
          effect: SIGNUP_PLANT.effect,
          counts: Object.fromEntries([...sourceCounts].sort()),
        },
        prospects,
        twins: twinCount,
        listed: twinCount <= MAX_LISTED_TWINS,
        prospectIds: twinIds,
      },
    },
  };
  const manifestPath = out('manifest.json');
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return { outDir: options.outDir, manifest, manifestPath };
}

function fileFor(country: Country): 'nl' | 'de' | 'fr' {
  return country === 'DE' ? 'de' : country === 'FR' ? 'fr' : 'nl';
}
