/**
 * Sentences the server writes from numbers (life-event evidence, pricing answers), in five languages from one
 * table per module: each entry is a template per language with `{slot}` placeholders. `renderText` fills one;
 * `translateText` turns an English sentence made from the table (e.g. one stored in a table) into another
 * language by matching it against the English templates and re-filling the slots, slot values themselves
 * translated when they are table sentences (labels, nested reasons). Text that no template matches is returned
 * unchanged. Pure.
 */
import type { Language } from './field-labels.js';

export type TextTemplates = Readonly<Record<string, Readonly<Record<Language, string>>>>;

/** Fills `{slot}` placeholders; a slot without a value stays as written. */
export function fillTemplate(template: string, slots: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    slots[name] === undefined ? whole : String(slots[name]),
  );
}

/** The sentence `key` of `table` in `lang`. */
export function renderText(
  table: TextTemplates,
  key: string,
  slots: Readonly<Record<string, string | number>>,
  lang: Language,
): string {
  const entry = table[key];
  if (!entry) throw new RangeError(`renderText: no template ${JSON.stringify(key)}`);
  return fillTemplate(entry[lang], slots);
}

const compiled = new WeakMap<TextTemplates, { key: string; re: RegExp; slots: string[] }[]>();

function matchers(table: TextTemplates): { key: string; re: RegExp; slots: string[] }[] {
  let list = compiled.get(table);
  if (list) return list;
  list = Object.entries(table).map(([key, entry]) => {
    const slots: string[] = [];
    const parts = entry.en.split(/(\{\w+\})/);
    const body = parts
      .map((p) => {
        const m = /^\{(\w+)\}$/.exec(p);
        if (!m) return p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        slots.push(m[1]!);
        return '(.+?)';
      })
      .join('');
    return { key, re: new RegExp(`^${body}$`, 's'), slots };
  });
  // Longer literal text first, so that a specific template wins over a general one.
  list.sort((a, b) => b.re.source.length - a.re.source.length);
  compiled.set(table, list);
  return list;
}

/** An English sentence of `table` in `lang` (nested table sentences in its slots translated too). */
export function translateText(table: TextTemplates, text: string, lang: Language): string {
  if (lang === 'en') return text;
  for (const { key, re, slots } of matchers(table)) {
    const m = re.exec(text);
    if (!m) continue;
    const values: Record<string, string> = {};
    slots.forEach((name, i) => {
      values[name] = translateText(table, m[i + 1]!, lang);
    });
    return fillTemplate(table[key]![lang], values);
  }
  return text;
}
