/**
 * The `sql` tagged template: values become bound parameters, identifiers go through `ident()`,
 * fragments nest. Nothing user-supplied is ever concatenated into SQL text.
 */

const RAW = Symbol('sql.raw');
const IDENT = Symbol('sql.ident');

/** A piece of SQL text with positional parameters, rendered by a dialect's placeholder style. */
export class SqlFragment {
  constructor(
    /** Text parts; parameter i sits between parts[i] and parts[i + 1]. */
    readonly parts: readonly string[],
    readonly values: readonly unknown[],
  ) {}

  /** Renders to text with placeholders made by `placeholder(index0)`. */
  render(placeholder: (index: number, value: unknown) => string): { text: string; params: unknown[] } {
    const params: unknown[] = [];
    let text = this.parts[0] ?? '';
    for (let i = 0; i < this.values.length; i++) {
      params.push(this.values[i]);
      text += placeholder(params.length - 1, this.values[i]) + (this.parts[i + 1] ?? '');
    }
    return { text, params };
  }

  /** Debug text with values inlined as literals; never sent to an engine. */
  toString(): string {
    return this.render((i) => debugLiteral(this.values[i])).text;
  }
}

interface RawText {
  readonly [RAW]: string;
}
interface Identifier {
  readonly [IDENT]: string;
}

/** SQL that is trusted text (keywords, operators). Only for constants written in our own code. */
export function raw(text: string): RawText {
  return { [RAW]: text };
}

/**
 * A quoted identifier. Dots separate schema parts: `ident('main.orders')` → `"main"."orders"`.
 * Embedded quotes are doubled, so any string is safe.
 */
export function ident(name: string): Identifier {
  if (name.length === 0) throw new TypeError('ident(): empty identifier');
  return { [IDENT]: name };
}

export function quoteIdent(name: string): string {
  return name
    .split('.')
    .map((p) => `"${p.replaceAll('"', '""')}"`)
    .join('.');
}

/** Quotes one identifier part without splitting on dots (for column names that contain dots). */
export function identPart(name: string): RawText {
  return raw(`"${name.replaceAll('"', '""')}"`);
}

/**
 * A string as a quoted SQL literal, for the few statements that cannot take bound parameters (a
 * `CREATE VIEW` body is stored as text). Single quotes are doubled, so any string is safe; a NUL
 * character, which no SQL string may hold, is refused.
 */
export function stringLiteral(text: string): RawText {
  if (text.includes('\0')) throw new TypeError('stringLiteral(): a NUL character cannot be in an SQL string');
  return raw(`'${text.replaceAll("'", "''")}'`);
}

function isRaw(v: unknown): v is RawText {
  return typeof v === 'object' && v !== null && RAW in v;
}
function isIdent(v: unknown): v is Identifier {
  return typeof v === 'object' && v !== null && IDENT in v;
}

/** Tagged template: sql`SELECT * FROM ${ident(t)} WHERE id = ${id}`. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlFragment {
  const parts: string[] = [strings[0] ?? ''];
  const out: unknown[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const next = strings[i + 1] ?? '';
    if (v instanceof SqlFragment) {
      appendFragment(parts, out, v);
      parts[parts.length - 1] += next;
    } else if (isRaw(v)) {
      parts[parts.length - 1] += v[RAW] + next;
    } else if (isIdent(v)) {
      parts[parts.length - 1] += quoteIdent(v[IDENT]) + next;
    } else {
      out.push(v);
      parts.push(next);
    }
  }
  return new SqlFragment(parts, out);
}

function appendFragment(parts: string[], out: unknown[], f: SqlFragment): void {
  parts[parts.length - 1] += f.parts[0] ?? '';
  for (let j = 0; j < f.values.length; j++) {
    out.push(f.values[j]);
    parts.push(f.parts[j + 1] ?? '');
  }
}

/** Joins fragments with a separator (default ", "). */
export function join(fragments: readonly SqlFragment[], separator = ', '): SqlFragment {
  const parts: string[] = [''];
  const out: unknown[] = [];
  fragments.forEach((f, i) => {
    if (i > 0) parts[parts.length - 1] += separator;
    appendFragment(parts, out, f);
  });
  return new SqlFragment(parts, out);
}

/** An empty fragment, for optional clauses. */
export const empty = new SqlFragment([''], []);

function debugLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return `'${String(v).replaceAll("'", "''")}'`;
}
