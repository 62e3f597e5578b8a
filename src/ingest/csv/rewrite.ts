/**
 * The careful path of CSV staging: one streaming pass that transcodes to UTF-8 and writes every record
 * prefixed with the physical line number it starts on, so DuckDB reads exact source line numbers
 * even when quoted fields span lines, blank lines sit between records, or records are broken.
 * Whitespace-separated files get their runs of blanks turned into tabs on the way.
 */

import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { type CsvDialect, createDecoder } from './sniff.js';

export interface RewriteResult {
  /** Records written (the header record is not written). */
  records: number;
  /** Physical lines in the source. */
  lines: number;
  /** The delimiter of the written file. */
  delimiter: string;
  /** Records longer than `LONG_RECORD_CHARS`, with the line each starts on (at most 1,000 listed). */
  longRecords: { line: number; chars: number }[];
}

/** A record this long is listed in `longRecords`, so the stager can tell if the reader lost it. */
export const LONG_RECORD_CHARS = 1_000_000;

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

/**
 * Streams `source` into `target` as UTF-8, one record per line, each prefixed by `<line><delimiter>`.
 * The header record (when `dialect.header`) is dropped: the stager names the columns itself.
 *
 * @throws TypeError from the strict UTF-8 decoder when a byte sequence is not UTF-8 (the caller retries
 *   as Windows-1252).
 */
export async function rewriteWithLineNumbers(
  source: string,
  target: string,
  dialect: CsvDialect,
): Promise<RewriteResult> {
  const whitespace = dialect.delimiter === 'whitespace';
  const delimiter = whitespace ? '\t' : dialect.delimiter;
  const delimCode = delimiter.charCodeAt(0);
  const quoteCode = dialect.quote === '' ? -1 : dialect.quote.charCodeAt(0);
  const escapeCode = dialect.escape === '' ? -1 : dialect.escape.charCodeAt(0);
  const escapeIsQuote = escapeCode === quoteCode;
  const decode = createDecoder(dialect.encoding);
  const out = createWriteStream(target, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const failed = once(out, 'error').then(([e]) => {
    throw e;
  });
  failed.catch(() => undefined);

  let line = 1;
  let records = 0;
  let inQuote = false;
  let quoteSeen = false;
  let escaped = false;
  let prevCR = false;
  let recordOpen = false;
  let skipping = false;
  let fieldStart = true;
  let pendingBlank = false;
  let headerPending = dialect.header;
  let bomChecked = false;
  // Characters before the current chunk, where the open record started and on which line.
  let offset = 0;
  let recordStart = 0;
  let recordLine = 0;
  const longRecords: { line: number; chars: number }[] = [];
  const endRecord = (at: number) => {
    const chars = at - recordStart;
    if (chars > LONG_RECORD_CHARS && longRecords.length < 1000) longRecords.push({ line: recordLine, chars });
  };

  const pieces: string[] = [];
  let pieceBytes = 0;
  const push = (s: string) => {
    if (!skipping && s !== '') {
      pieces.push(s);
      pieceBytes += s.length;
    }
  };
  const flush = async () => {
    if (pieces.length === 0) return;
    const ok = out.write(pieces.join(''));
    pieces.length = 0;
    pieceBytes = 0;
    if (!ok) await Promise.race([once(out, 'drain'), failed]);
  };

  const processText = (text: string) => {
    let from = 0;
    const emit = (to: number) => {
      if (to > from) push(text.slice(from, to));
    };
    let i = 0;
    if (!bomChecked && text.length > 0) {
      bomChecked = true;
      if (text.charCodeAt(0) === 0xfeff) {
        i = 1;
        from = 1;
      }
    }
    for (; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (prevCR) {
        prevCR = false;
        if (ch === LF) {
          // Second half of a CRLF whose CR was already counted: keep it inside quotes, drop it outside.
          if (!inQuote) {
            emit(i);
            from = i + 1;
          }
          continue;
        }
      }
      if (inQuote) {
        if (escaped) {
          escaped = false;
        } else if (quoteSeen) {
          quoteSeen = false;
          if (escapeIsQuote && ch === quoteCode) continue;
          inQuote = false;
        } else if (!escapeIsQuote && ch === escapeCode) {
          escaped = true;
          continue;
        } else if (ch === quoteCode) {
          quoteSeen = true;
          continue;
        }
        if (inQuote) {
          if (ch === LF) line++;
          else if (ch === CR) {
            line++;
            prevCR = true;
          }
          continue;
        }
      }
      if (ch === LF || ch === CR) {
        emit(i);
        from = i + 1;
        if (recordOpen) {
          push('\n');
          if (skipping) skipping = false;
          else {
            records++;
            endRecord(offset + i);
          }
          recordOpen = false;
        }
        pendingBlank = false;
        line++;
        if (ch === CR) prevCR = true;
        fieldStart = true;
        continue;
      }
      if (whitespace && (ch === SPACE || ch === TAB)) {
        // Runs of blanks separate fields; leading and trailing blanks are dropped.
        emit(i);
        from = i + 1;
        if (recordOpen) pendingBlank = true;
        continue;
      }
      if (!recordOpen) {
        recordOpen = true;
        emit(i);
        from = i;
        if (headerPending) {
          headerPending = false;
          skipping = true;
        } else {
          push(`${line}${delimiter}`);
          recordStart = offset + i;
          recordLine = line;
        }
        fieldStart = true;
      } else if (pendingBlank) {
        pendingBlank = false;
        emit(i);
        from = i;
        push(delimiter);
        fieldStart = true;
      }
      if (ch === delimCode && !whitespace) {
        fieldStart = true;
        continue;
      }
      if (ch === quoteCode && fieldStart) {
        inQuote = true;
        quoteSeen = false;
        fieldStart = false;
        continue;
      }
      fieldStart = false;
    }
    emit(text.length);
    offset += text.length;
  };

  const input = createReadStream(source, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of input) {
      processText(decode(chunk as Buffer, false));
      if (pieceBytes > 1 << 20) await flush();
    }
    processText(decode(new Uint8Array(0), true));
    if (recordOpen) {
      push('\n');
      if (!skipping) {
        records++;
        endRecord(offset);
      }
    }
    skipping = false;
    await flush();
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
  } catch (error) {
    input.destroy();
    out.destroy();
    throw error;
  }
  return { records, lines: line, delimiter, longRecords };
}
