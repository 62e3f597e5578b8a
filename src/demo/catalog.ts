import { createDemoRng, type DemoRng } from './rng.js';

/**
 * The demo shop's catalog: 3-level category paths, prices, unit costs with realistic margins per
 * category, return rates, and the planted cross-sell products. The catalog is the same for every seed
 * (it is the shop, not the customers), so the planted SKUs below are stable and documented.
 */

export interface Leaf {
  /** Three-letter code used in SKUs. */
  code: string;
  path: string;
  top: string;
  priceMin: number;
  priceMax: number;
  /** Mean unit cost as a share of the price (1 − gross margin). */
  costShare: number;
  /** Probability that a line of this category is returned. */
  returnRate: number;
  /** Relative demand for the category (share of order lines); big-ticket categories sell less often. */
  demand: number;
  nouns: readonly string[];
  count: number;
}

const C = (
  code: string,
  path: string,
  priceMin: number,
  priceMax: number,
  costShare: number,
  returnRate: number,
  demand: number,
  nouns: string[],
  count = 10,
): Leaf => ({
  code,
  path,
  top: path.split(' > ')[0]!,
  priceMin,
  priceMax,
  costShare,
  returnRate,
  demand,
  nouns,
  count,
});

export const LEAVES: readonly Leaf[] = [
  C('WDR', 'Women > Clothing > Dresses', 29, 149, 0.38, 0.28, 3, [
    'summer dress',
    'wrap dress',
    'maxi dress',
    'shirt dress',
    'knit dress',
  ]),
  C('WTO', 'Women > Clothing > Tops', 12, 59, 0.36, 0.22, 4, [
    'blouse',
    'T-shirt',
    'tank top',
    'sweater',
    'cardigan',
  ]),
  C('WJE', 'Women > Clothing > Jeans', 39, 119, 0.4, 0.3, 2.5, [
    'skinny jeans',
    'mom jeans',
    'wide-leg jeans',
    'bootcut jeans',
  ]),
  C('WSH', 'Women > Shoes > Sneakers', 49, 159, 0.45, 0.24, 2, ['sneaker', 'running shoe', 'canvas shoe']),
  C('WBO', 'Women > Shoes > Boots', 79, 229, 0.45, 0.2, 1.2, ['ankle boot', 'chelsea boot', 'knee boot']),
  C(
    'WBE',
    'Women > Accessories > Belts',
    15,
    59,
    0.3,
    0.08,
    1,
    ['leather belt', 'braided belt', 'waist belt'],
    6,
  ),
  C('WBA', 'Women > Accessories > Bags', 29, 249, 0.35, 0.1, 1.2, [
    'tote bag',
    'crossbody bag',
    'backpack',
    'clutch',
  ]),
  C('MSH', 'Men > Clothing > Shirts', 25, 89, 0.37, 0.18, 3, [
    'oxford shirt',
    'flannel shirt',
    'linen shirt',
    'polo',
  ]),
  C('MTR', 'Men > Clothing > Trousers', 39, 119, 0.4, 0.2, 2.5, [
    'chino',
    'jeans',
    'cargo trousers',
    'suit trousers',
  ]),
  C('MJA', 'Men > Clothing > Jackets', 69, 299, 0.42, 0.15, 1.2, [
    'rain jacket',
    'puffer jacket',
    'blazer',
    'parka',
  ]),
  C('MSN', 'Men > Shoes > Sneakers', 49, 169, 0.45, 0.18, 1.5, [
    'sneaker',
    'running shoe',
    'leather sneaker',
  ]),
  C('MAC', 'Men > Accessories > Watches', 49, 399, 0.5, 0.06, 0.5, [
    'chronograph watch',
    'diver watch',
    'smartwatch strap',
  ]),
  C('KCL', 'Kids > Clothing > Baby', 9, 39, 0.35, 0.1, 2, ['romper', 'bodysuit set', 'sleepsuit', 'bib set']),
  C('KTO', 'Kids > Toys > Building sets', 14, 129, 0.55, 0.03, 1.5, [
    'building set',
    'marble run',
    'construction kit',
  ]),
  C('KBO', 'Kids > Toys > Board games', 15, 49, 0.5, 0.02, 1.5, [
    'board game',
    'card game',
    'puzzle 1000 pieces',
  ]),
  C(
    'HKC',
    'Home > Kitchen > Coffee machines',
    89,
    599,
    0.7,
    0.06,
    0.35,
    ['espresso machine', 'filter coffee maker', 'bean-to-cup machine', 'milk frother'],
    6,
  ),
  C(
    'HCT',
    'Home > Kitchen > Coffee & tea',
    6,
    29,
    0.45,
    0.01,
    2.5,
    ['espresso beans 1 kg', 'filter coffee 500 g', 'green tea', 'rooibos tea', 'descaler'],
    8,
  ),
  C('HCW', 'Home > Kitchen > Cookware', 19, 179, 0.5, 0.04, 1, [
    'frying pan',
    'casserole',
    'knife set',
    'saucepan set',
  ]),
  C('HLI', 'Home > Living > Lighting', 25, 249, 0.5, 0.07, 0.8, [
    'floor lamp',
    'table lamp',
    'pendant light',
    'LED strip',
  ]),
  C('HTE', 'Home > Living > Textiles', 12, 99, 0.4, 0.08, 1.5, [
    'cushion cover',
    'throw blanket',
    'curtain pair',
    'rug',
  ]),
  C('HBA', 'Home > Bathroom > Towels', 9, 59, 0.4, 0.05, 1.2, ['bath towel', 'bath robe', 'hand towel set']),
  C('EPH', 'Electronics > Phones > Smartphones', 199, 1099, 0.82, 0.05, 0.3, ['smartphone'], 6),
  C(
    'EPA',
    'Electronics > Phones > Accessories',
    9,
    49,
    0.3,
    0.04,
    1.5,
    ['phone case', 'screen protector', 'USB-C charger', 'power bank'],
    8,
  ),
  C(
    'ECO',
    'Electronics > Computing > Laptops',
    499,
    1799,
    0.85,
    0.04,
    0.15,
    ['laptop', 'ultrabook', 'gaming laptop'],
    6,
  ),
  C(
    'EPR',
    'Electronics > Computing > Printers',
    79,
    349,
    0.8,
    0.03,
    0.25,
    ['inkjet printer', 'laser printer', 'photo printer'],
    4,
  ),
  C(
    'EPS',
    'Electronics > Computing > Printer supplies',
    15,
    69,
    0.35,
    0.01,
    1,
    ['ink cartridge multipack', 'toner cartridge', 'photo paper'],
    6,
  ),
  C('EAU', 'Electronics > Audio > Headphones', 29, 399, 0.65, 0.06, 0.8, [
    'wireless earbuds',
    'over-ear headphones',
    'bluetooth speaker',
  ]),
  C(
    'STE',
    'Sports > Outdoor > Tents',
    79,
    449,
    0.55,
    0.05,
    0.35,
    ['trekking tent 2p', 'family tent 4p', 'pop-up tent'],
    5,
  ),
  C(
    'SSB',
    'Sports > Outdoor > Sleeping bags',
    39,
    249,
    0.5,
    0.05,
    0.4,
    ['down sleeping bag', 'synthetic sleeping bag', 'sleeping mat'],
    5,
  ),
  C('SRU', 'Sports > Running > Apparel', 19, 99, 0.4, 0.12, 1.5, [
    'running shirt',
    'running tights',
    'running jacket',
    'sports socks',
  ]),
  C('SFI', 'Sports > Fitness > Equipment', 15, 299, 0.55, 0.04, 1, [
    'yoga mat',
    'dumbbell set',
    'resistance bands',
    'kettlebell',
  ]),
  C('BSK', 'Beauty > Skincare > Face', 9, 79, 0.3, 0.02, 2.5, [
    'day cream',
    'serum',
    'cleanser',
    'sunscreen SPF50',
  ]),
  C('BHA', 'Beauty > Hair > Care', 6, 39, 0.3, 0.02, 2.5, [
    'shampoo',
    'conditioner',
    'hair mask',
    'hair oil',
  ]),
  C('BFR', 'Beauty > Fragrance > Perfume', 29, 149, 0.42, 0.03, 1.2, [
    'eau de parfum 50 ml',
    'eau de toilette 100 ml',
    'body mist',
  ]),
  C('BOO', 'Books > Fiction > Novels', 9, 29, 0.6, 0.01, 2, ['novel', 'thriller', 'short stories']),
  C('BON', 'Books > Non-fiction > Cooking', 15, 45, 0.6, 0.01, 1, [
    'cookbook',
    'baking book',
    'vegetarian cookbook',
  ]),
];

const BRANDS: Record<string, readonly string[]> = {
  Women: ['Noordzee', 'Maison Lune', 'Fjordline', 'Atelier Vos'],
  Men: ['Noordzee', 'Hanseat', 'Northway', 'Atelier Vos'],
  Kids: ['Kleintje', 'Bricko', 'Spielwerk'],
  Home: ['Kaffeehaus', 'Huiselijk', 'Lumière', 'Kochwerk'],
  Electronics: ['Voltix', 'Sonora', 'Printa', 'Gigabyte Pro'],
  Sports: ['Trailpeak', 'Stride', 'Fjordline'],
  Beauty: ['Belle Peau', 'Groen & Puur', 'Aurum'],
  Books: ['Uitgeverij Kade', 'Maison du Livre'],
};

const COLOURS = ['black', 'navy', 'white', 'olive', 'sand', 'bordeaux', 'grey', 'blue'];

export interface Product {
  sku: string;
  name: string;
  categoryPath: string;
  top: string;
  leaf: string;
  brand: string;
  price: number;
  unitCost: number;
  returnRate: number;
  /** Relative popularity within the whole catalog. */
  popularity: number;
}

/** A planted affinity: buyers of `from` also buy `to` (same basket, or a later order within `withinDays`). */
export interface Affinity {
  kind: 'same-basket' | 'follow-up';
  from: string;
  to: string;
  /** Probability that `to` is bought, given `from` is bought. */
  probability: number;
  /** For follow-ups: the later order falls 1…withinDays days after the first. */
  withinDays: number;
}

/**
 * The planted cross-sell patterns (documented in README.md). SKUs are `<leaf code>-<number>`; number 001
 * of each leaf is its first product, so these are stable.
 */
export const AFFINITIES: readonly Affinity[] = [
  { kind: 'same-basket', from: 'STE-001', to: 'SSB-001', probability: 0.5, withinDays: 0 },
  { kind: 'same-basket', from: 'EPR-001', to: 'EPS-001', probability: 0.65, withinDays: 0 },
  { kind: 'same-basket', from: 'WDR-001', to: 'WBE-001', probability: 0.35, withinDays: 0 },
  { kind: 'follow-up', from: 'HKC-001', to: 'HCT-001', probability: 0.6, withinDays: 30 },
  { kind: 'follow-up', from: 'EPH-001', to: 'EPA-001', probability: 0.5, withinDays: 14 },
];

/** Products that start an affinity get this popularity boost so each occurs in about 1% of orders. */
const PLANTED_BOOST = 3;

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Prices end in .99, .95 or .49 as shops like them. */
function shopPrice(rng: DemoRng, min: number, max: number): number {
  const base = min * (max / min) ** rng.next();
  const whole = Math.max(1, Math.floor(base));
  return whole + rng.pick([0.99, 0.95, 0.49, 0.99]);
}

/** The catalog, identical for every seed. */
export function createCatalog(): Product[] {
  const rng = createDemoRng(0x5eed_ca7a);
  const planted = new Set(AFFINITIES.map((a) => a.from));
  const products: Product[] = [];
  for (const leaf of LEAVES) {
    let harmonic = 0;
    for (let i = 1; i <= leaf.count; i++) harmonic += 1 / i ** 0.8;
    for (let i = 1; i <= leaf.count; i++) {
      const sku = `${leaf.code}-${String(i).padStart(3, '0')}`;
      const noun = leaf.nouns[(i - 1) % leaf.nouns.length]!;
      const brand = rng.pick(BRANDS[leaf.top]!);
      const colour = leaf.top === 'Women' || leaf.top === 'Men' ? ` ${rng.pick(COLOURS)}` : '';
      const name = `${brand} ${noun}${colour}`;
      const price = shopPrice(rng, leaf.priceMin, leaf.priceMax);
      const costShare = Math.min(0.95, Math.max(0.15, leaf.costShare + rng.normal() * 0.04));
      // Zipf-like popularity inside a leaf (the first products sell best), scaled to the leaf's demand.
      const popularity = (leaf.demand / i ** 0.8 / harmonic) * (planted.has(sku) ? PLANTED_BOOST : 1);
      products.push({
        sku,
        name: name.charAt(0).toUpperCase() + name.slice(1),
        categoryPath: leaf.path,
        top: leaf.top,
        leaf: leaf.code,
        brand,
        price,
        unitCost: round2(price * costShare),
        returnRate: leaf.returnRate,
        popularity,
      });
    }
  }
  return products;
}

/** Top-level categories in catalog order (customers have a preferred one). */
export const TOP_CATEGORIES = [...new Set(LEAVES.map((l) => l.top))];
