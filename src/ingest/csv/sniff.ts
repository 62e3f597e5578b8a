/**
 * Sniffs a delimited text file from its first bytes: encoding, delimiter, quote, escape, header.
 * Pure functions over a byte buffer / string, so every rule is unit-testable without a file.
 */
import { InputError } from '../../errors.js';

/** Encodings we read. Anything but UTF-8 is transcoded to a temporary UTF-8 file before DuckDB reads it. */
export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'latin1';

/** A field delimiter, or 'whitespace' for files whose fields are separated by runs of spaces/tabs. */
export type CsvDelimiter = ',' | ';' | '\t' | '|' | 'whitespace';

export interface CsvDialect {
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
  quote: string;
  /** Escape character inside quoted fields: the quote itself (RFC 4180 doubling) or a backslash. */
  escape: string;
  header: boolean;
  /** Column names: header texts (cleaned, unique) or `column_1` … when there is no header. */
  names: string[];
  /** Why the header decision was taken, for dry-run output. */
  headerReason: string;
  /** Duplicate header texts and the names they were given (`"email" (column 3) → "email_2"`). */
  renamed?: string[];
}

/** Bytes read from the start of a file to sniff it. */
export const SNIFF_BYTES = 256 * 1024;

/**
 * Detects the encoding from a BOM, or by trying strict UTF-8, then telling Windows-1252 from Latin-1
 * by the bytes 0x80–0x9F (printable in Windows-1252, unused control codes in Latin-1).
 */
export function detectEncoding(head: Uint8Array): CsvEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8-bom';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  try {
    // stream: true tolerates a character cut off at the end of the head.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf-8';
  } catch (cause) {
    if (!(cause instanceof TypeError)) throw cause;
    for (const b of head) if (b >= 0x80 && b <= 0x9f) return 'windows-1252';
    return 'latin1';
  }
}

/** Decodes bytes of the given encoding (one chunk of a stream when `decoder` is reused). */
export function createDecoder(encoding: CsvEncoding): (bytes: Uint8Array, last: boolean) => string {
  if (encoding === 'latin1') {
    // TextDecoder('latin1') is Windows-1252 by the WHATWG spec; true ISO-8859-1 maps byte = code point.
    return (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  }
  const label = encoding === 'utf-8-bom' ? 'utf-8' : encoding;
  const decoder = new TextDecoder(label, { fatal: label === 'utf-8' });
  return (bytes, last) => decoder.decode(bytes, { stream: !last });
}

/** Whether the head looks like binary data rather than text. */
export function isBinary(head: Uint8Array, encoding: CsvEncoding): boolean {
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return false;
  let controls = 0;
  const n = Math.min(head.length, 8192);
  for (let i = 0; i < n; i++) {
    const b = head[i]!;
    if (b === 0) return true;
    if (b < 0x09 || (b > 0x0d && b < 0x20)) controls++;
  }
  return n > 0 && controls / n > 0.1;
}

/**
 * Splits text into records and fields with RFC 4180 rules: a quote opens a quoted field only at the
 * start of a field; inside, a doubled quote (or escape + quote) is a literal quote; CR, LF and CRLF end
 * a record outside quotes. Returns only records that end inside `text` unless `complete` is set.
 */
export function splitRecords(
  text: string,
  delimiter: string,
  quote: string,
  escapeChar: string,
  maxRecords: number,
  complete: boolean,
): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let inQuote = false;
  let fieldStart = true;
  let i = 0;
  const n = text.length;
  while (i < n && records.length < maxRecords) {
    const ch = text[i]!;
    if (inQuote) {
      if (escapeChar !== quote && ch === escapeChar && i + 1 < n) {
        field += text[i + 1];
        i += 2;
        continue;
      }
      if (ch === quote) {
        if (escapeChar === quote && text[i + 1] === quote) {
          field += quote;
          i += 2;
          continue;
        }
        inQuote = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      i++;
      if (fields.length > 0 || field !== '') {
        fields.push(field);
        records.push(fields);
      }
      fields = [];
      field = '';
      fieldStart = true;
      continue;
    }
    if (ch === delimiter) {
      fields.push(field);
      field = '';
      fieldStart = true;
      i++;
      continue;
    }
    if (ch === quote && fieldStart && quote !== '') {
      inQuote = true;
      fieldStart = false;
      i++;
      continue;
    }
    fieldStart = false;
    field += ch;
    i++;
  }
  if (complete && i >= n && !inQuote && (fields.length > 0 || field !== '') && records.length < maxRecords) {
    fields.push(field);
    records.push(fields);
  }
  return records;
}

/** Splits lines on runs of spaces/tabs (CDNOW-style files), ignoring blank lines. */
export function splitWhitespaceRecords(text: string, maxRecords: number, complete: boolean): string[][] {
  const lines = text.split(/\r\n|\n|\r/);
  if (!complete) lines.pop();
  return lines
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(0, maxRecords)
    .map((l) => l.split(/[ \t]+/));
}

const CANDIDATES: readonly CsvDelimiter[] = [';', '\t', '|', ','];

interface DelimiterScore {
  delimiter: CsvDelimiter;
  consistency: number;
  fields: number;
}

function scoreRecords(delimiter: CsvDelimiter, records: string[][]): DelimiterScore {
  const counts = new Map<number, number>();
  for (const r of records) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
  let mode = 0;
  let modeCount = 0;
  for (const [fields, count] of counts) {
    if (count > modeCount || (count === modeCount && fields > mode)) {
      mode = fields;
      modeCount = count;
    }
  }
  return { delimiter, consistency: records.length ? modeCount / records.length : 0, fields: mode };
}

/** Picks the delimiter whose split gives the most consistent field count above one. */
export function detectDelimiter(
  text: string,
  quote: string,
  escapeChar: string,
  complete: boolean,
): CsvDelimiter {
  const scores = CANDIDATES.map((d) =>
    scoreRecords(d, splitRecords(text, d, quote, escapeChar, 50, complete)),
  );
  const usable = scores.filter((s) => s.fields > 1);
  usable.sort(
    (a, b) =>
      b.consistency - a.consistency ||
      b.fields - a.fields ||
      CANDIDATES.indexOf(a.delimiter) - CANDIDATES.indexOf(b.delimiter),
  );
  const best = usable[0];
  if (best && best.consistency >= 0.9) return best.delimiter;
  const ws = scoreRecords('whitespace', splitWhitespaceRecords(text, 50, complete));
  if (ws.fields > 1 && ws.consistency >= 0.9) return 'whitespace';
  // One column, or a file too irregular to tell: the best candidate, else a comma.
  return best?.delimiter ?? ',';
}

/** Picks the quote character: '"' unless only single quotes wrap fields. */
export function detectQuote(text: string): { quote: string; escape: string } {
  const dq = /(^|[,;\t|])"/m.test(text);
  const sq = /(^|[,;\t|])'[^'\r\n]*'([,;\t|]|\r?$)/m.test(text);
  const quote = !dq && sq ? "'" : '"';
  const doubled = text.includes(quote + quote);
  const backslashed = text.includes(`\\${quote}`);
  return { quote, escape: backslashed && !doubled ? '\\' : quote };
}

const NUMBER_LIKE = /^[+-]?[€$£¥₽]?\s*[\d.,' \u00a0]*\d[\d.,' \u00a0]*\s*[€$£¥₽%]?$/;
const DATE_LIKE = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T].*)?$/;

function isValueLike(v: string): boolean {
  const t = v.trim();
  return t === '' || NUMBER_LIKE.test(t) || DATE_LIKE.test(t);
}

/**
 * Decides whether the first record is a header: never when one of its fields is blank or looks like a
 * number or date (a column name never does); otherwise yes.
 */
export function detectHeader(records: string[][]): { header: boolean; reason: string } {
  const first = records[0];
  if (!first) return { header: false, reason: 'the file has no records' };
  const valueLike = first.find((v) => isValueLike(v));
  if (valueLike !== undefined)
    return {
      header: false,
      reason: `the first line holds ${valueLike.trim() === '' ? 'an empty field' : `the value "${valueLike.trim()}"`}, not a column name`,
    };
  const rest = records.slice(1);
  const typed = first.findIndex(
    (_, c) => rest.length > 0 && rest.every((r) => r[c] !== undefined && isValueLike(r[c]!)),
  );
  if (typed >= 0)
    return { header: true, reason: `"${first[typed]!.trim()}" is text above a column of numbers or dates` };
  return { header: true, reason: 'the first line is all text' };
}

/** Cleans header texts into unique, non-empty column names. */
export function columnNames(header: string[] | null, count: number): string[] {
  const names: string[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const base = header?.[i]?.replace(/^\uFEFF/, '').trim() || `column_${i + 1}`;
    const n = (seen.get(base.toLowerCase()) ?? 0) + 1;
    seen.set(base.toLowerCase(), n);
    names.push(n === 1 ? base : `${base}_${n}`);
  }
  return names;
}

export interface SniffOptions {
  delimiter?: CsvDelimiter;
  quote?: string;
  escape?: string;
  header?: boolean;
  encoding?: CsvEncoding;
}

/**
 * Sniffs the dialect of a delimited file from its head.
 *
 * @param head - the first bytes of the file ({@link SNIFF_BYTES}).
 * @param complete - whether `head` is the whole file.
 * @param where - the file name, for error messages.
 * @throws InputError UNKNOWN_FORMAT when the bytes are binary.
 */
export function sniffCsv(
  head: Uint8Array,
  complete: boolean,
  where: string,
  options: SniffOptions = {},
): CsvDialect {
  const encoding = options.encoding ?? detectEncoding(head);
  if (isBinary(head, encoding))
    throw new InputError(
      `${where}: expected a delimited text file (CSV, TSV), found binary data. Check the file, or pass --format for Excel, Parquet or JSON.`,
      { file: where },
      { code: 'UNKNOWN_FORMAT' },
    );
  let text = createDecoderLenient(encoding)(head);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const { quote, escape: escapeChar } = {
    ...detectQuote(text),
    ...(options.quote !== undefined ? { quote: options.quote } : {}),
    ...(options.escape !== undefined ? { escape: options.escape } : {}),
  };
  const delimiter = options.delimiter ?? detectDelimiter(text, quote, escapeChar, complete);
  const records =
    delimiter === 'whitespace'
      ? splitWhitespaceRecords(text, 50, complete)
      : splitRecords(text, delimiter, quote, escapeChar, 50, complete);
  const detected = detectHeader(records);
  const header = options.header ?? detected.header;
  const headerReason = options.header === undefined ? detected.reason : 'given';
  const counts = records.slice(header ? 1 : 0).map((r) => r.length);
  const mode = scoreRecords(delimiter, records.slice(header ? 1 : 0)).fields;
  const count = Math.max(
    header ? (records[0]?.length ?? 0) : 0,
    mode,
    counts.length ? 0 : (records[0]?.length ?? 0),
  );
  return {
    encoding,
    delimiter,
    quote,
    escape: escapeChar,
    header,
    names: columnNames(header ? (records[0] ?? null) : null, Math.max(count, 1)),
    headerReason,
    ...renamedHeaders(header ? (records[0] ?? null) : null, Math.max(count, 1)),
  };
}

/** Which header texts `columnNames` had to rename because they repeat an earlier one. */
function renamedHeaders(header: string[] | null, count: number): { renamed?: string[] } {
  if (!header) return {};
  const names = columnNames(header, count);
  const renamed = names.flatMap((name, i) => {
    const text = header[i]?.replace(/^\uFEFF/, '').trim() || `column_${i + 1}`;
    return name === text ? [] : [`"${text}" (column ${i + 1}) → "${name}"`];
  });
  return renamed.length ? { renamed } : {};
}

/** Decodes a head without failing on a byte sequence that a strict decoder would refuse. */
function createDecoderLenient(encoding: CsvEncoding): (bytes: Uint8Array) => string {
  if (encoding === 'latin1')
    return (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
  const label = encoding === 'utf-8-bom' ? 'utf-8' : encoding;
  return (b) => new TextDecoder(label).decode(b, { stream: true });
}
