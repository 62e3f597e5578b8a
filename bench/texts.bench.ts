/**
 * Text analysis throughput: `analyzeTable` (read from DuckDB, language detection, lexicon sentiment, keyword
 * topics, topic discovery on a sample, write `text_sentiment`) on synthetic reviews and tickets in six
 * languages, built from the demo's phrases plus numbered product words so texts are not all identical.
 * Baseline in the same run: tokenisation alone over the same texts (the floor of any word-level method).
 * Prints texts per second, wall and CPU seconds and peak RSS. Size: TEXTS_BENCH_N (default 1,000,000).
 */
import { analyzeTable, tokenize } from '../src/analytics/texts/index.js';
import { DuckDbEngine, migrate, writeColumns } from '../src/store/index.js';
import { cpuSecondsSince, peakRssMiB } from './util.js';

const n = Number(process.env.TEXTS_BENCH_N ?? 1_000_000);

const PHRASES: Record<string, string[]> = {
  en: [
    'Fast delivery and well packaged.',
    'The quality is not good at all.',
    'Customer service does not answer my emails.',
    'Great value for money, would buy again!',
  ],
  nl: [
    'Snel geleverd en netjes verpakt.',
    'De kwaliteit is niet goed.',
    'De klantenservice reageert niet op mijn mails.',
    'Heel tevreden, echt een aanrader!',
  ],
  fr: [
    'Livraison rapide et bien emballé.',
    "La qualité n'est pas bonne.",
    'Le service client ne répond pas à mes e-mails.',
    'Très satisfaite, je recommande !',
  ],
  de: [
    'Schnelle Lieferung und gut verpackt.',
    'Die Qualität ist nicht gut.',
    'Der Kundenservice antwortet nicht auf meine E-Mails.',
    'Sehr zufrieden, absolut empfehlenswert!',
  ],
  ru: [
    'Быстрая доставка, хорошая упаковка.',
    'Качество совсем не хорошее.',
    'Служба поддержки не отвечает на письма.',
    'Очень довольна, рекомендую!',
  ],
  pt: [
    'Entrega rápida e bem embalado.',
    'A qualidade não é boa.',
    'O atendimento não responde meus e-mails.',
    'Muito satisfeita, recomendo!',
  ],
};
const LANGS = Object.keys(PHRASES);

function textAt(i: number): string {
  const phrases = PHRASES[LANGS[i % LANGS.length] as string] as string[];
  const a = phrases[(i >>> 3) % phrases.length] as string;
  const b = phrases[(i >>> 5) % phrases.length] as string;
  return `${a} ${b} item${i % 997}`;
}

const engine = await DuckDbEngine.open(':memory:');
await migrate(engine);
const ids: string[] = new Array(n);
const bodies: string[] = new Array(n);
for (let i = 0; i < n; i++) {
  ids[i] = `T${i}`;
  bodies[i] = textAt(i);
}
await writeColumns(engine, 'bench_texts', { text_id: ids, body: bodies });

let t = performance.now();
let cpu = process.cpuUsage();
let words = 0;
for (const b of bodies) words += tokenize(b).words.length;
const tokenSeconds = (performance.now() - t) / 1000;
const tokenCpu = cpuSecondsSince(cpu);

t = performance.now();
cpu = process.cpuUsage();
const r = await analyzeTable(engine, {
  table: 'bench_texts',
  textColumns: ['body'],
  idColumn: 'text_id',
  toTable: 'bench_sentiment',
});
const seconds = (performance.now() - t) / 1000;
const cpuSeconds = cpuSecondsSince(cpu);
const rss = await peakRssMiB();
console.log(
  `texts: ${n.toLocaleString('en')} (${words.toLocaleString('en')} words), written ${r.written.toLocaleString('en')}`,
);
console.log(`languages: ${r.languages.map((l) => `${l.language} ${l.texts}`).join(', ')}`);
console.log(`discovered topics: ${r.discoveredTopics.length}`);
console.log(
  `baseline tokenise only: ${tokenSeconds.toFixed(1)} s wall, ${tokenCpu.toFixed(1)} s CPU, ${Math.round(n / tokenSeconds).toLocaleString('en')} texts/s`,
);
console.log(
  `analyzeTable (read, detect, sentiment, topics, discovery, write): ${seconds.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU, ${Math.round(n / seconds).toLocaleString('en')} texts/s (${(seconds / tokenSeconds).toFixed(1)}× tokenising)`,
);
console.log(`peak RSS ${rss.toFixed(0)} MiB`);
await engine.close();
