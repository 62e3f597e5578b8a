/**
 * The segment language: a hand-written lexer and recursive-descent parser producing an AST, and a printer
 * that writes the AST back in canonical form (parse → print → parse gives the same AST). Pure: the SQL
 * compiler lives in sql.ts.
 *
 * Grammar (keywords case-insensitive):
 * ```
 * expr      := or
 * or        := and ("or" and)*
 * and       := unary ("and" unary)*
 * unary     := "not" unary | "(" expr ")" | predicate
 * predicate := column op value
 *            | column ["not"] "between" value "and" value
 *            | column ["not"] "in" "(" value ("," value)* ")"
 *            | column "starts" "with" (string | "(" string ("," string)* ")")
 *            | column "is" ["not"] "null"
 *            | column                                  (a yes/no column, e.g. consent_email)
 * op        := "=" | "==" | "!=" | "<>" | "<" | "<=" | ">" | ">="
 * value     := number | 'text' | true | false | date 'YYYY-MM-DD' | today [("+" | "-") duration]
 * duration  := integer ("d" | "w" | "m" | "y")          (days, weeks, calendar months, years)
 * ```
 */
import { InputError } from '../../errors.js';
import { isIsoDate } from '../shared/dates.js';

export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Value =
  | { type: 'number'; value: number }
  | { type: 'string'; value: string }
  | { type: 'boolean'; value: boolean }
  | { type: 'date'; value: string }
  | { type: 'today'; offset: { amount: number; unit: DurationUnit } | null };

export type DurationUnit = 'd' | 'w' | 'm' | 'y';

export interface ColumnRef {
  name: string;
  /** Offset of the column name in the expression (0-based), for errors. */
  pos: number;
}

export type Expr =
  | { type: 'and' | 'or'; left: Expr; right: Expr }
  | { type: 'not'; expr: Expr }
  | { type: 'compare'; column: ColumnRef; op: CompareOp; value: Value; valuePos: number }
  | { type: 'between'; column: ColumnRef; low: Value; high: Value; negated: boolean }
  | { type: 'in'; column: ColumnRef; values: Value[]; negated: boolean }
  | { type: 'startsWith'; column: ColumnRef; prefixes: string[] }
  | { type: 'isNull'; column: ColumnRef; negated: boolean }
  | { type: 'flag'; column: ColumnRef };

type TokenType =
  | 'ident'
  | 'number'
  | 'duration'
  | 'string'
  | 'op'
  | 'lparen'
  | 'rparen'
  | 'comma'
  | 'plus'
  | 'minus'
  | 'eof';

interface Token {
  type: TokenType;
  text: string;
  pos: number;
}

const MAX_LENGTH = 10_000;

/** A syntax error: where (position), what was expected, what was found. */
export function syntaxError(source: string, pos: number, expected: string, found: string): InputError {
  const caret = `${' '.repeat(Math.min(pos, 200))}^`;
  return new InputError(
    `Segment expression, position ${pos + 1}: expected ${expected}, found ${found}.\n  ${source.slice(0, 200)}\n  ${caret}`,
    { position: pos + 1, expected, found, expression: source },
    { code: 'PARSE_ERROR' },
  );
}

function describe(t: Token): string {
  if (t.type === 'eof') return 'the end of the expression';
  return `"${t.text}"`;
}

export function tokenize(source: string): Token[] {
  if (source.length > MAX_LENGTH)
    throw syntaxError(
      source.slice(0, 200),
      MAX_LENGTH,
      `at most ${MAX_LENGTH} characters`,
      `${source.length}`,
    );
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (/[A-Za-z_]/.test(ch)) {
      while (i < source.length && /[A-Za-z0-9_]/.test(source[i]!)) i++;
      tokens.push({ type: 'ident', text: source.slice(start, i), pos: start });
    } else if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      while (i < source.length && /[0-9]/.test(source[i]!)) i++;
      if (source[i] === '.' && /[0-9]/.test(source[i + 1] ?? '')) {
        i++;
        while (i < source.length && /[0-9]/.test(source[i]!)) i++;
      }
      if (/[eE]/.test(source[i] ?? '') && /[-+0-9]/.test(source[i + 1] ?? '')) {
        i += /[-+]/.test(source[i + 1]!) ? 2 : 1;
        while (i < source.length && /[0-9]/.test(source[i]!)) i++;
      }
      if (/[dwmy]/.test(source[i] ?? '') && !/[A-Za-z0-9_]/.test(source[i + 1] ?? '')) {
        i++;
        tokens.push({ type: 'duration', text: source.slice(start, i), pos: start });
      } else if (/[A-Za-z_]/.test(source[i] ?? '')) {
        throw syntaxError(
          source,
          start,
          'a number, or a duration such as 90d, 12w, 6m or 1y',
          `"${source.slice(start, i + 1)}"`,
        );
      } else tokens.push({ type: 'number', text: source.slice(start, i), pos: start });
    } else if (ch === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= source.length)
          throw syntaxError(source, start, "a closing ' for this text", 'the end of the expression');
        if (source[i] === "'") {
          if (source[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += source[i];
        i++;
      }
      tokens.push({ type: 'string', text: value, pos: start });
    } else if (ch === '"') {
      throw syntaxError(
        source,
        i,
        "a column name (written without quotes) or a value (text in single quotes, 'text')",
        '"',
      );
    } else if ('<>=!'.includes(ch)) {
      const two = source.slice(i, i + 2);
      const op = ['<=', '>=', '<>', '!=', '=='].includes(two) ? two : ch;
      if (op === '!') throw syntaxError(source, i, 'an operator (=, !=, <>, <, <=, >, >=)', '"!"');
      i += op.length;
      tokens.push({ type: 'op', text: op, pos: start });
    } else if (ch === '(' || ch === ')' || ch === ',' || ch === '+' || ch === '-') {
      i++;
      const type = ({ '(': 'lparen', ')': 'rparen', ',': 'comma', '+': 'plus', '-': 'minus' } as const)[ch];
      tokens.push({ type, text: ch, pos: start });
    } else {
      throw syntaxError(source, i, 'a column, a value, an operator or a parenthesis', `"${ch}"`);
    }
  }
  tokens.push({ type: 'eof', text: '', pos: source.length });
  return tokens;
}

const KEYWORDS = new Set([
  'and',
  'or',
  'not',
  'between',
  'in',
  'is',
  'null',
  'true',
  'false',
  'today',
  'date',
  'starts',
  'with',
]);

/** Parses a segment expression into its AST; throws InputError (PARSE_ERROR) with position, expected, found. */
export function parseSegment(source: string): Expr {
  const tokens = tokenize(source);
  let k = 0;
  const peek = () => tokens[k]!;
  const next = () => tokens[k++]!;
  const isKw = (t: Token, kw: string) => t.type === 'ident' && t.text.toLowerCase() === kw;
  const fail = (expected: string): never => {
    throw syntaxError(source, peek().pos, expected, describe(peek()));
  };
  const expectKw = (kw: string, expected = `"${kw}"`) => {
    if (!isKw(peek(), kw)) fail(expected);
    return next();
  };

  const parseOr = (): Expr => {
    let left = parseAnd();
    while (isKw(peek(), 'or')) {
      next();
      left = { type: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): Expr => {
    let left = parseUnary();
    while (isKw(peek(), 'and')) {
      next();
      left = { type: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): Expr => {
    const t = peek();
    if (isKw(t, 'not')) {
      next();
      return { type: 'not', expr: parseUnary() };
    }
    if (t.type === 'lparen') {
      next();
      const inner = parseOr();
      if (peek().type !== 'rparen') fail('")" or "and"/"or"');
      next();
      return inner;
    }
    return parsePredicate();
  };
  const parseColumn = (): ColumnRef => {
    const t = peek();
    if (t.type !== 'ident' || KEYWORDS.has(t.text.toLowerCase()))
      fail('a column name (e.g. age, revenue, last_order, rfm_segment) or "not" or "("');
    next();
    return { name: t.text.toLowerCase(), pos: t.pos };
  };
  const parseValue = (): Value => {
    const t = peek();
    const expected = "a value (a number, 'text', true/false, date 'YYYY-MM-DD' or today - 90d)";
    if (t.type === 'minus' && tokens[k + 1]?.type === 'number') {
      next();
      return { type: 'number', value: -Number(next().text) };
    }
    if (t.type === 'number') {
      next();
      return { type: 'number', value: Number(t.text) };
    }
    if (t.type === 'string') {
      next();
      return { type: 'string', value: t.text };
    }
    if (isKw(t, 'true') || isKw(t, 'false')) {
      next();
      return { type: 'boolean', value: t.text.toLowerCase() === 'true' };
    }
    if (isKw(t, 'date')) {
      next();
      const d = peek();
      if (d.type !== 'string' || !isValidDate(d.text)) fail("a date in single quotes, 'YYYY-MM-DD'");
      next();
      return { type: 'date', value: d.text };
    }
    if (isKw(t, 'today')) {
      next();
      const sign = peek();
      if (sign.type !== 'plus' && sign.type !== 'minus') return { type: 'today', offset: null };
      next();
      const dur = peek();
      if (dur.type !== 'duration') fail('a duration such as 90d, 12w, 6m or 1y');
      next();
      const amount = Number(dur.text.slice(0, -1)) * (sign.type === 'minus' ? -1 : 1);
      if (!Number.isInteger(amount))
        throw syntaxError(source, dur.pos, 'a whole number of days, weeks, months or years', `"${dur.text}"`);
      return { type: 'today', offset: { amount, unit: dur.text.slice(-1) as DurationUnit } };
    }
    return fail(expected);
  };
  const parsePredicate = (): Expr => {
    const column = parseColumn();
    const t = peek();
    if (t.type === 'op') {
      next();
      const valuePos = peek().pos;
      return { type: 'compare', column, op: normaliseOp(t.text), value: parseValue(), valuePos };
    }
    let negated = false;
    if (isKw(t, 'not')) {
      next();
      negated = true;
      if (!isKw(peek(), 'between') && !isKw(peek(), 'in')) fail('"between" or "in" after "not"');
    }
    if (isKw(peek(), 'between')) {
      next();
      const low = parseValue();
      expectKw('and', '"and" between the two bounds');
      return { type: 'between', column, low, high: parseValue(), negated };
    }
    if (isKw(peek(), 'in')) {
      next();
      if (peek().type !== 'lparen') fail('"(" starting the list of values');
      next();
      const values = [parseValue()];
      while (peek().type === 'comma') {
        next();
        values.push(parseValue());
      }
      if (peek().type !== 'rparen') fail('"," or ")" in the list of values');
      next();
      return { type: 'in', column, values, negated };
    }
    if (isKw(peek(), 'starts')) {
      next();
      expectKw('with', '"with" after "starts"');
      const prefixes: string[] = [];
      const one = () => {
        const s = peek();
        if (s.type !== 'string' || s.text === '') fail("a non-empty prefix in single quotes, e.g. '10'");
        next();
        prefixes.push(s.text);
      };
      if (peek().type === 'lparen') {
        next();
        one();
        while (peek().type === 'comma') {
          next();
          one();
        }
        if (peek().type !== 'rparen') fail('"," or ")" in the list of prefixes');
        next();
      } else one();
      return { type: 'startsWith', column, prefixes };
    }
    if (isKw(peek(), 'is')) {
      next();
      let neg = false;
      if (isKw(peek(), 'not')) {
        next();
        neg = true;
      }
      expectKw('null', '"null" after "is"');
      return { type: 'isNull', column, negated: neg };
    }
    const after = peek();
    if (after.type === 'eof' || after.type === 'rparen' || isKw(after, 'and') || isKw(after, 'or'))
      return { type: 'flag', column };
    return fail('an operator (=, !=, <, <=, >, >=), "between", "in", "starts with" or "is null"');
  };

  const expr = parseOr();
  if (peek().type !== 'eof') fail('"and", "or" or the end of the expression');
  return expr;
}

function normaliseOp(op: string): CompareOp {
  if (op === '==') return '=';
  if (op === '!=') return '<>';
  return op as CompareOp;
}

/** True for a real calendar date `YYYY-MM-DD`. */
export const isValidDate = (text: string): boolean => isIsoDate(text);

/** `today ± duration` as a concrete date, with calendar months and years (day clamped to the month's end). */
export function resolveToday(asOf: string, offset: { amount: number; unit: DurationUnit } | null): string {
  const d = new Date(`${asOf}T00:00:00Z`);
  if (!offset) return asOf;
  const { amount, unit } = offset;
  if (unit === 'd' || unit === 'w') {
    d.setUTCDate(d.getUTCDate() + amount * (unit === 'w' ? 7 : 1));
    return d.toISOString().slice(0, 10);
  }
  const months = amount * (unit === 'y' ? 12 : 1);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const target = new Date(Date.UTC(y, m, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target.toISOString().slice(0, 10);
}

const PRECEDENCE = { or: 1, and: 2 } as const;

/** Writes an AST back as canonical text that parses to the same AST. */
export function printSegment(expr: Expr): string {
  switch (expr.type) {
    case 'and':
    case 'or': {
      const p = PRECEDENCE[expr.type];
      const side = (e: Expr, right: boolean) => {
        const q = e.type === 'and' || e.type === 'or' ? PRECEDENCE[e.type] : 3;
        return q < p || (right && q === p) ? `(${printSegment(e)})` : printSegment(e);
      };
      return `${side(expr.left, false)} ${expr.type} ${side(expr.right, true)}`;
    }
    case 'not': {
      const inner = printSegment(expr.expr);
      return expr.expr.type === 'and' || expr.expr.type === 'or' ? `not (${inner})` : `not ${inner}`;
    }
    case 'compare':
      return `${expr.column.name} ${expr.op} ${printValue(expr.value)}`;
    case 'between':
      return `${expr.column.name}${expr.negated ? ' not' : ''} between ${printValue(expr.low)} and ${printValue(expr.high)}`;
    case 'in':
      return `${expr.column.name}${expr.negated ? ' not' : ''} in (${expr.values.map(printValue).join(', ')})`;
    case 'startsWith':
      return `${expr.column.name} starts with ${
        expr.prefixes.length === 1 ? quote(expr.prefixes[0]!) : `(${expr.prefixes.map(quote).join(', ')})`
      }`;
    case 'isNull':
      return `${expr.column.name} is ${expr.negated ? 'not ' : ''}null`;
    case 'flag':
      return expr.column.name;
  }
}

export function printValue(v: Value): string {
  switch (v.type) {
    case 'number':
      return String(v.value);
    case 'string':
      return quote(v.value);
    case 'boolean':
      return String(v.value);
    case 'date':
      return `date ${quote(v.value)}`;
    case 'today':
      return v.offset
        ? `today ${v.offset.amount < 0 ? '-' : '+'} ${Math.abs(v.offset.amount)}${v.offset.unit}`
        : 'today';
  }
}

function quote(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** The columns an expression refers to, in order of first use. */
export function columnsOf(expr: Expr): ColumnRef[] {
  const out: ColumnRef[] = [];
  const walk = (e: Expr) => {
    if (e.type === 'and' || e.type === 'or') {
      walk(e.left);
      walk(e.right);
    } else if (e.type === 'not') walk(e.expr);
    else if ('column' in e) out.push(e.column);
  };
  walk(expr);
  return out;
}

/** The text values each column is compared with by =, <> or in (for the unknown-value check). */
export function textValuesOf(expr: Expr): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (column: string, v: Value) => {
    if (v.type !== 'string') return;
    const list = out.get(column) ?? [];
    if (!list.includes(v.value)) list.push(v.value);
    out.set(column, list);
  };
  const walk = (e: Expr) => {
    if (e.type === 'and' || e.type === 'or') {
      walk(e.left);
      walk(e.right);
    } else if (e.type === 'not') walk(e.expr);
    else if (e.type === 'compare' && (e.op === '=' || e.op === '<>')) add(e.column.name, e.value);
    else if (e.type === 'in') for (const v of e.values) add(e.column.name, v);
  };
  walk(expr);
  return out;
}

/** Strips positions so two ASTs can be compared structurally. */
export function withoutPositions(expr: Expr): unknown {
  return JSON.parse(
    JSON.stringify(expr, (key, value) => (key === 'pos' || key === 'valuePos' ? undefined : value)),
  );
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/** Up to three known names closest to `name`. */
export function suggest(name: string, known: readonly string[]): string[] {
  return known
    .map((k) => ({ k, d: editDistance(name, k) - (k.includes(name) || name.includes(k) ? 2 : 0) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(name.length / 2)))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, 3)
    .map((x) => x.k);
}
