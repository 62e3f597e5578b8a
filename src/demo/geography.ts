import type { DemoRng } from './rng.js';
import { weightedTable } from './rng.js';

/**
 * Real cities with their real postcode ranges and coordinates. The demo draws a pool of postcode areas
 * from them (weighted by city size); customers live in those areas and `area_data` describes each one.
 */

export type Country = 'NL' | 'BE' | 'DE' | 'FR';

interface City {
  city: string;
  region: string;
  /** Inclusive postcode range (numeric part). */
  from: number;
  to: number;
  lat: number;
  lon: number;
  /** Relative size (thousands of inhabitants, roughly). */
  size: number;
}

const CITIES: Record<Country, readonly City[]> = {
  NL: [
    { city: 'Amsterdam', region: 'Noord-Holland', from: 1011, to: 1109, lat: 52.37, lon: 4.9, size: 900 },
    { city: 'Rotterdam', region: 'Zuid-Holland', from: 3011, to: 3089, lat: 51.92, lon: 4.48, size: 650 },
    { city: "'s-Gravenhage", region: 'Zuid-Holland', from: 2491, to: 2599, lat: 52.08, lon: 4.3, size: 550 },
    { city: 'Utrecht', region: 'Utrecht', from: 3511, to: 3585, lat: 52.09, lon: 5.12, size: 360 },
    { city: 'Eindhoven', region: 'Noord-Brabant', from: 5611, to: 5658, lat: 51.44, lon: 5.47, size: 240 },
    { city: 'Groningen', region: 'Groningen', from: 9711, to: 9747, lat: 53.22, lon: 6.57, size: 235 },
    { city: 'Tilburg', region: 'Noord-Brabant', from: 5011, to: 5049, lat: 51.56, lon: 5.09, size: 225 },
    { city: 'Almere', region: 'Flevoland', from: 1311, to: 1366, lat: 52.37, lon: 5.21, size: 220 },
    { city: 'Breda', region: 'Noord-Brabant', from: 4811, to: 4839, lat: 51.59, lon: 4.78, size: 185 },
    { city: 'Nijmegen', region: 'Gelderland', from: 6511, to: 6546, lat: 51.84, lon: 5.86, size: 180 },
    { city: 'Haarlem', region: 'Noord-Holland', from: 2011, to: 2037, lat: 52.38, lon: 4.64, size: 165 },
    { city: 'Arnhem', region: 'Gelderland', from: 6811, to: 6846, lat: 51.98, lon: 5.91, size: 165 },
    { city: 'Zwolle', region: 'Overijssel', from: 8011, to: 8048, lat: 52.52, lon: 6.08, size: 130 },
    { city: 'Maastricht', region: 'Limburg', from: 6211, to: 6229, lat: 50.85, lon: 5.69, size: 120 },
    { city: 'Leeuwarden', region: 'Friesland', from: 8911, to: 8941, lat: 53.2, lon: 5.8, size: 125 },
    { city: 'Deventer', region: 'Overijssel', from: 7411, to: 7429, lat: 52.25, lon: 6.16, size: 100 },
    { city: 'Assen', region: 'Drenthe', from: 9401, to: 9409, lat: 52.99, lon: 6.56, size: 70 },
    { city: 'Goes', region: 'Zeeland', from: 4461, to: 4465, lat: 51.5, lon: 3.89, size: 40 },
    { city: 'Hoorn', region: 'Noord-Holland', from: 1621, to: 1628, lat: 52.64, lon: 5.06, size: 75 },
  ],
  BE: [
    {
      city: 'Bruxelles',
      region: 'Bruxelles-Capitale',
      from: 1000,
      to: 1210,
      lat: 50.85,
      lon: 4.35,
      size: 1200,
    },
    { city: 'Antwerpen', region: 'Vlaanderen', from: 2000, to: 2660, lat: 51.22, lon: 4.4, size: 530 },
    { city: 'Gent', region: 'Vlaanderen', from: 9000, to: 9052, lat: 51.05, lon: 3.72, size: 265 },
    { city: 'Brugge', region: 'Vlaanderen', from: 8000, to: 8380, lat: 51.21, lon: 3.22, size: 120 },
    { city: 'Leuven', region: 'Vlaanderen', from: 3000, to: 3020, lat: 50.88, lon: 4.7, size: 100 },
    { city: 'Liège', region: 'Wallonie', from: 4000, to: 4032, lat: 50.63, lon: 5.57, size: 195 },
    { city: 'Namur', region: 'Wallonie', from: 5000, to: 5101, lat: 50.47, lon: 4.87, size: 110 },
    { city: 'Charleroi', region: 'Wallonie', from: 6000, to: 6061, lat: 50.41, lon: 4.44, size: 200 },
    { city: 'Hasselt', region: 'Vlaanderen', from: 3500, to: 3512, lat: 50.93, lon: 5.34, size: 80 },
    { city: 'Mechelen', region: 'Vlaanderen', from: 2800, to: 2812, lat: 51.03, lon: 4.48, size: 87 },
    { city: 'Kortrijk', region: 'Vlaanderen', from: 8500, to: 8511, lat: 50.83, lon: 3.26, size: 77 },
  ],
  DE: [
    { city: 'Berlin', region: 'Berlin', from: 10115, to: 14199, lat: 52.52, lon: 13.4, size: 3700 },
    { city: 'Hamburg', region: 'Hamburg', from: 20095, to: 22769, lat: 53.55, lon: 9.99, size: 1850 },
    { city: 'München', region: 'Bayern', from: 80331, to: 81929, lat: 48.14, lon: 11.58, size: 1500 },
    {
      city: 'Köln',
      region: 'Nordrhein-Westfalen',
      from: 50667,
      to: 51149,
      lat: 50.94,
      lon: 6.96,
      size: 1080,
    },
    { city: 'Frankfurt am Main', region: 'Hessen', from: 60306, to: 60599, lat: 50.11, lon: 8.68, size: 760 },
    {
      city: 'Stuttgart',
      region: 'Baden-Württemberg',
      from: 70173,
      to: 70629,
      lat: 48.78,
      lon: 9.18,
      size: 630,
    },
    {
      city: 'Düsseldorf',
      region: 'Nordrhein-Westfalen',
      from: 40210,
      to: 40629,
      lat: 51.23,
      lon: 6.77,
      size: 620,
    },
    { city: 'Leipzig', region: 'Sachsen', from: 4103, to: 4357, lat: 51.34, lon: 12.37, size: 600 },
    {
      city: 'Dortmund',
      region: 'Nordrhein-Westfalen',
      from: 44135,
      to: 44388,
      lat: 51.51,
      lon: 7.47,
      size: 590,
    },
    {
      city: 'Essen',
      region: 'Nordrhein-Westfalen',
      from: 45127,
      to: 45359,
      lat: 51.46,
      lon: 7.01,
      size: 580,
    },
    { city: 'Bremen', region: 'Bremen', from: 28195, to: 28779, lat: 53.08, lon: 8.8, size: 565 },
    { city: 'Dresden', region: 'Sachsen', from: 1067, to: 1328, lat: 51.05, lon: 13.74, size: 555 },
    { city: 'Hannover', region: 'Niedersachsen', from: 30159, to: 30669, lat: 52.38, lon: 9.73, size: 535 },
    { city: 'Nürnberg', region: 'Bayern', from: 90402, to: 90491, lat: 49.45, lon: 11.08, size: 520 },
    {
      city: 'Aachen',
      region: 'Nordrhein-Westfalen',
      from: 52062,
      to: 52080,
      lat: 50.78,
      lon: 6.08,
      size: 250,
    },
    {
      city: 'Münster',
      region: 'Nordrhein-Westfalen',
      from: 48143,
      to: 48167,
      lat: 51.96,
      lon: 7.63,
      size: 315,
    },
    {
      city: 'Freiburg im Breisgau',
      region: 'Baden-Württemberg',
      from: 79098,
      to: 79117,
      lat: 47.99,
      lon: 7.85,
      size: 230,
    },
  ],
  FR: [
    { city: 'Paris', region: 'Île-de-France', from: 75001, to: 75020, lat: 48.86, lon: 2.35, size: 2100 },
    {
      city: 'Marseille',
      region: "Provence-Alpes-Côte d'Azur",
      from: 13001,
      to: 13016,
      lat: 43.3,
      lon: 5.37,
      size: 870,
    },
    {
      city: 'Lyon',
      region: 'Auvergne-Rhône-Alpes',
      from: 69001,
      to: 69009,
      lat: 45.76,
      lon: 4.84,
      size: 520,
    },
    { city: 'Toulouse', region: 'Occitanie', from: 31000, to: 31500, lat: 43.6, lon: 1.44, size: 490 },
    {
      city: 'Nice',
      region: "Provence-Alpes-Côte d'Azur",
      from: 6000,
      to: 6300,
      lat: 43.7,
      lon: 7.27,
      size: 340,
    },
    { city: 'Nantes', region: 'Pays de la Loire', from: 44000, to: 44300, lat: 47.22, lon: -1.55, size: 320 },
    { city: 'Strasbourg', region: 'Grand Est', from: 67000, to: 67200, lat: 48.57, lon: 7.75, size: 290 },
    { city: 'Montpellier', region: 'Occitanie', from: 34000, to: 34090, lat: 43.61, lon: 3.88, size: 300 },
    {
      city: 'Bordeaux',
      region: 'Nouvelle-Aquitaine',
      from: 33000,
      to: 33800,
      lat: 44.84,
      lon: -0.58,
      size: 260,
    },
    { city: 'Lille', region: 'Hauts-de-France', from: 59000, to: 59800, lat: 50.63, lon: 3.06, size: 235 },
    { city: 'Rennes', region: 'Bretagne', from: 35000, to: 35700, lat: 48.11, lon: -1.68, size: 220 },
    { city: 'Reims', region: 'Grand Est', from: 51100, to: 51100, lat: 49.26, lon: 4.03, size: 180 },
  ],
};

/** Phone country codes and national number lengths (after the trunk 0). */
export const PHONE: Record<Country, { code: string; mobilePrefix: readonly string[]; digits: number }> = {
  NL: { code: '31', mobilePrefix: ['6'], digits: 8 },
  BE: { code: '32', mobilePrefix: ['470', '472', '475', '478', '485', '494'], digits: 6 },
  DE: { code: '49', mobilePrefix: ['151', '160', '170', '171', '176'], digits: 8 },
  FR: { code: '33', mobilePrefix: ['6', '7'], digits: 8 },
};

/** One postcode area: what a customer's address points to and what `area_data` describes. */
export interface Area {
  country: Country;
  postcode: string;
  city: string;
  region: string;
  latitude: number;
  longitude: number;
  /** 0–1: share of the area that is urban. */
  urbanShare: number;
  population: number;
  households: number;
  /** Median yearly household income in euros. */
  medianIncome: number;
  /** 100 = national average. */
  purchasingPowerIndex: number;
  meanAge: number;
  /** Relative weight for placing customers here. */
  weight: number;
}

const NL_LETTERS = 'ABCDEFGHJKLMNPRSTVWXZ';
const NATIONAL_INCOME: Record<Country, number> = { NL: 43000, BE: 40000, DE: 45000, FR: 38000 };

function formatPostcode(country: Country, n: number, rng: DemoRng): string {
  switch (country) {
    case 'NL': {
      let letters = '';
      do {
        letters = rng.pick([...NL_LETTERS]) + rng.pick([...NL_LETTERS]);
      } while (letters === 'SA' || letters === 'SD' || letters === 'SS');
      return `${n} ${letters}`;
    }
    case 'BE':
      return String(n);
    case 'DE':
    case 'FR':
      return String(n).padStart(5, '0');
  }
}

/** Draws `perCountry[c]` distinct postcode areas per country with plausible statistics. */
export function createAreaPool(rng: DemoRng, perCountry: Record<Country, number>): Area[] {
  const areas: Area[] = [];
  for (const country of Object.keys(CITIES) as Country[]) {
    const cities = CITIES[country];
    const table = weightedTable(cities.map((c) => c.size));
    const seen = new Set<string>();
    let attempts = 0;
    while (seen.size < perCountry[country] && attempts < perCountry[country] * 20) {
      attempts++;
      const city = cities[table.draw(rng)]!;
      const n = city.from + rng.int(city.to - city.from + 1);
      const postcode = formatPostcode(country, n, rng);
      if (seen.has(postcode)) continue;
      seen.add(postcode);
      // Big cities are urban with younger, richer inner areas; small towns are mixed.
      const bigness = Math.min(1, Math.log10(city.size) / 3.4);
      const urbanShare = clamp(bigness * 0.9 + rng.normal() * 0.08, 0.05, 1);
      const incomeFactor = Math.exp(0.25 * rng.normal() + 0.15 * (urbanShare - 0.6));
      const households = Math.round(rng.gamma(6, 500 + 900 * urbanShare));
      const population = Math.round(households * (2.5 - 0.7 * urbanShare + 0.1 * rng.normal()));
      areas.push({
        country,
        postcode,
        city: city.city,
        region: city.region,
        latitude: round(city.lat + rng.normal() * 0.03, 5),
        longitude: round(city.lon + rng.normal() * 0.045, 5),
        urbanShare: round(urbanShare, 3),
        population,
        households,
        medianIncome: Math.round((NATIONAL_INCOME[country] * incomeFactor) / 100) * 100,
        purchasingPowerIndex: round(100 * incomeFactor * (0.95 + 0.1 * rng.next()), 1),
        meanAge: round(clamp(44 - 6 * urbanShare + rng.normal() * 2.5, 30, 58), 1),
        weight: population,
      });
    }
  }
  return areas;
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, x));
}

export function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}
