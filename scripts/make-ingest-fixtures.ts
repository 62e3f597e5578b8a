/**
 * Writes the national-export fixtures of test/fixtures/ingest/ (issue 12): a French Windows-1252 `;`
 * export (`1 234,56 €`, dd/mm/yyyy) and a German UTF-8-with-BOM export (dd.mm.yyyy, `1.234,56`), each
 * with about 0.5% impossible dates and some `n/a` amounts, plus a JSON file naming the lines that must
 * be rejected and the sum of the rest (in cents), which the tests check. Seeded: same files every run.
 *
 *   node --import tsx scripts/make-ingest-fixtures.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OUT = join(import.meta.dirname, '..', 'test', 'fixtures', 'ingest');

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function groupThousands(n: number, sep: string): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

interface Made {
  text: string;
  bad: { line: number; value: string; kind: 'date' | 'amount' }[];
  sumCents: number;
  rows: number;
}

function make(kind: 'fr' | 'de', rows: number, seed: number): Made {
  const r = rng(seed);
  const sep = ';';
  const header =
    kind === 'fr'
      ? ['N° commande', 'Client', 'Date commande', 'Montant TTC', 'Mode de paiement']
      : ['Bestellnummer', 'Kundennummer', 'Bestelldatum', 'Bestellwert (EUR)', 'Zahlungsart'];
  const lines = [header.join(sep)];
  const bad: Made['bad'] = [];
  let sumCents = 0;
  const impossibleFr = ['31/02/2025', '00/06/2024', '30/02/2024', '32/01/2025', '15/13/2024', '31/04/2024'];
  const impossibleDe = ['31.02.2025', '00.06.2024', '12.13.2024', '31.11.2024', '29.02.2023', '32.05.2024'];
  const pay =
    kind === 'fr'
      ? ['Carte', 'Virement', 'Chèque', 'PayPal']
      : ['Karte', 'Überweisung', 'Rechnung', 'PayPal'];
  for (let i = 0; i < rows; i++) {
    const line = i + 2;
    const y = 2023 + Math.floor(r() * 3);
    const m = 1 + Math.floor(r() * 12);
    const d = 1 + Math.floor(r() * 28);
    let date = kind === 'fr' ? `${pad(d)}/${pad(m)}/${y}` : `${pad(d)}.${pad(m)}.${y}`;
    const cents = 100 + Math.floor(r() * (r() < 0.1 ? 500000 : 30000));
    const euros = Math.floor(cents / 100);
    const frac = pad(cents % 100);
    let amount =
      kind === 'fr'
        ? `${groupThousands(euros, r() < 0.5 ? '\u00a0' : ' ')},${frac} €`
        : `${groupThousands(euros, '.')},${frac}`;
    const roll = r();
    if (roll < 0.005) {
      const list = kind === 'fr' ? impossibleFr : impossibleDe;
      date = list[Math.floor(r() * list.length)]!;
      bad.push({ line, value: date, kind: 'date' });
    } else if (roll < 0.008) {
      amount = r() < 0.5 ? 'n/a' : 'N/A';
      bad.push({ line, value: amount, kind: 'amount' });
    } else sumCents += cents;
    const id = kind === 'fr' ? `FR${100000 + i}` : `DE-${200000 + i}`;
    const customer =
      kind === 'fr' ? `C${1 + Math.floor(r() * 3000)}` : String(50000 + Math.floor(r() * 3000));
    lines.push([id, customer, date, amount, pay[Math.floor(r() * pay.length)]].join(sep));
  }
  return {
    text: `${lines.join(kind === 'fr' ? '\r\n' : '\n')}${kind === 'fr' ? '\r\n' : '\n'}`,
    bad,
    sumCents,
    rows,
  };
}

/** Windows-1252 bytes of a string (the characters this generator uses). */
function cp1252(text: string): Buffer {
  const special: Record<string, number> = { '€': 0x80 };
  const out = Buffer.alloc(text.length);
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const code = special[ch] ?? ch.charCodeAt(0);
    if (code > 0xff) throw new Error(`not in cp1252: ${ch}`);
    out[i] = code;
  }
  return out;
}

const fr = make('fr', 4000, 12);
const de = make('de', 4000, 1212);
writeFileSync(join(OUT, 'commandes-fr-cp1252.csv'), cp1252(fr.text));
writeFileSync(
  join(OUT, 'bestellungen-de-bom.csv'),
  Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(de.text, 'utf8')]),
);
const expected = {
  'commandes-fr-cp1252.csv': { rows: fr.rows, rejected: fr.bad, loadedSumCents: fr.sumCents },
  'bestellungen-de-bom.csv': { rows: de.rows, rejected: de.bad, loadedSumCents: de.sumCents },
};
writeFileSync(join(OUT, 'national-exports.expected.json'), `${JSON.stringify(expected, null, 1)}\n`);
console.log(`fr: ${fr.bad.length} bad of ${fr.rows}; de: ${de.bad.length} bad of ${de.rows}`);
