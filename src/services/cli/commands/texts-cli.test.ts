import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliOn } from '../../../../test/support/cli.js';
import { DuckDbEngine, migrate } from '../../../store/index.js';

let db: string;
let dir: string;
const L = `'test', 1`;

// Hand-written texts: a positive and a negative one per language, with stars to train on.
const TEXTS: [string, string, number, string][] = [
  ['c1', 'en', 5, 'Great quality and fast delivery, very happy.'],
  ['c1', 'en', 1, 'The parcel arrived late and the item was broken. Not happy at all.'],
  ['c2', 'nl', 5, 'Prima kwaliteit en snel geleverd, heel tevreden.'],
  ['c2', 'nl', 1, 'Het pakket kwam te laat en het product was kapot. Niet tevreden.'],
  ['c3', 'fr', 5, 'Très bonne qualité et livraison rapide, je recommande.'],
  ['c3', 'fr', 1, "Le colis est arrivé en retard et l'article était cassé. Je ne recommande pas."],
  ['c4', 'de', 5, 'Tolle Qualität und schnelle Lieferung, sehr zufrieden.'],
  ['c4', 'de', 1, 'Das Paket kam zu spät und der Artikel war kaputt. Nicht zufrieden.'],
  ['c5', 'ru', 5, 'Отличное качество и быстрая доставка, очень довольна.'],
  ['c5', 'ru', 1, 'Посылка пришла поздно, товар сломан. Не рекомендую.'],
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clientele-texts-cli-'));
  db = join(dir, 'shop.duckdb');
  const engine = await DuckDbEngine.open(db);
  await migrate(engine);
  const values = TEXTS.map(
    ([c, , rating, body], i) =>
      `('t${i}', '${c}', 'review', TIMESTAMP '2024-0${1 + (i % 9)}-01 00:00:00', ${rating}, '${body.replace(/'/g, "''")}', ${L})`,
  );
  await engine.exec(
    `INSERT INTO customer_texts (text_id, customer_id, kind, text_time, rating, body, source, load_id) VALUES ${values.join(',')}`,
  );
  await engine.exec(
    `CREATE TABLE tickets AS SELECT 'k' || i AS ticket_no, body AS message FROM (VALUES (1, 'Ainda não recebi o pedido, péssimo atendimento.'), (2, 'Produto ótimo, chegou antes do prazo!')) t(i, body)`,
  );
  await engine.close();
});

const cli = cliOn(() => db);

describe('CLI: texts analyze', () => {
  it('detects language, scores sentiment and tags topics of customer_texts', async () => {
    const r = await cli('texts', 'analyze', '--json');
    expect(r.exitCode).toBe(0);
    expect(r.json).toMatchObject({
      rows: 10,
      written: 10,
      table: 'customer_texts',
      toTable: 'text_sentiment',
    });
    const langs = r.json.languages.map((l: { language: string }) => l.language).sort();
    expect(langs).toEqual(['de', 'en', 'fr', 'nl', 'ru']);
    const rows = await cli(
      'sql',
      `SELECT t.rating, s.language, s.sentiment_label, s.topics FROM text_sentiment s JOIN customer_texts t USING (text_id) ORDER BY text_id`,
      '--json',
    );
    for (const [i, row] of (
      rows.json.rows as { rating: number; language: string; sentiment_label: string; topics: string }[]
    ).entries()) {
      expect(row.language).toBe(TEXTS[i]?.[1]);
      expect(row.sentiment_label).toBe(row.rating >= 4 ? 'positive' : 'negative');
      expect(row.topics.split(',')).toContain('delivery');
    }
    const human = await cli('texts', 'analyze', '--clusters', '0');
    expect(human.stdout).toMatch(/Analysed 10 texts of customer_texts; wrote 10 rows to text_sentiment/);
    // Languages are named, not coded.
    for (const name of ['English', 'Dutch', 'French', 'German', 'Russian'])
      expect(human.stdout).toContain(name);
    expect(human.stdout).not.toMatch(/│ (de|nl|fr|ru|en) +│/);
  });

  it('analyses any table, writes the id under its own name and saves a reusable model', async () => {
    const modelFile = join(dir, 'model.json');
    const r = await cli(
      'texts',
      'analyze',
      '--table',
      'tickets',
      '--text',
      'message',
      '--id',
      'ticket_no',
      '--to-table',
      'ticket_sentiment',
      '--save-model',
      modelFile,
      '--json',
    );
    expect(r.exitCode).toBe(0);
    const rows = await cli(
      'sql',
      'SELECT ticket_no, language, sentiment_label FROM ticket_sentiment ORDER BY 1',
      '--json',
    );
    expect(rows.json.rows).toEqual([
      { ticket_no: 'k1', language: 'pt', sentiment_label: 'negative' },
      { ticket_no: 'k2', language: 'pt', sentiment_label: 'positive' },
    ]);
    expect(JSON.parse(readFileSync(modelFile, 'utf8')).module).toBe('texts');
  });

  it('summarises the voice of the customer and one customer after analyze', async () => {
    const v = await cli('texts', 'voice', '--json');
    expect(v.exitCode).toBe(0);
    expect(v.json).toMatchObject({ texts: 10, analysed: 10, segmentSource: 'all' });
    const delivery = v.json.keywordTopics.find((t: { topic: string }) => t.topic === 'delivery');
    expect(delivery.texts).toBe(10);
    const c = await cli('texts', 'voice', '--customer', 'c1', '--json');
    expect(c.json).toMatchObject({ customerId: 'c1', texts: 2, shareNegative: 0.5 });
    const human = await cli('texts', 'voice');
    expect(human.stdout).toMatch(/Voice of the customer up to 2024-\d\d-01: 10 of 10 texts analysed/);
    expect(human.stdout).toContain('German');
    const dutch = await cli('texts', 'voice', '--lang', 'nl');
    for (const name of ['Engels', 'Nederlands', 'Frans', 'Duits', 'Russisch'])
      expect(dutch.stdout).toContain(name);
  });

  it('reports a missing column with the columns it found, and a bad topics file', async () => {
    const r = await cli('texts', 'analyze', '--table', 'tickets', '--text', 'body', '--id', 'ticket_no');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/expected column "body", found ticket_no, message/);
    const bad = join(dir, 'topics.yaml');
    writeFileSync(bad, 'delivery:\n  xx: parcel\n');
    const t = await cli('texts', 'analyze', '--topics', bad);
    expect(t.exitCode).toBe(2);
    expect(t.stderr).toMatch(/topics.delivery.xx/);
  });
});
