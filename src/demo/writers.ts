import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Streaming file writers for the demo files: rows are buffered up to ~1 MiB and written synchronously,
 * so memory stays flat whatever the number of customers, and the bytes depend only on the rows.
 */

const FLUSH_AT = 1 << 20;

export type Encoding = 'utf8' | 'utf8-bom' | 'latin1';

export interface CsvDialect {
  delimiter: ',' | ';' | '\t';
  /** Decimal separator used by `num()`. */
  decimal: '.' | ',';
  encoding: Encoding;
  lineEnding: '\n' | '\r\n';
}

export type Cell = string | number | null;

class BufferedFile {
  private fd: number;
  private chunks: string[] = [];
  private size = 0;
  rows = 0;

  constructor(
    readonly path: string,
    private readonly encoding: Encoding,
  ) {
    this.fd = openSync(path, 'w');
    if (encoding === 'utf8-bom') this.push('\ufeff');
  }

  push(text: string): void {
    this.chunks.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_AT) this.flush();
  }

  flush(): void {
    if (this.chunks.length === 0) return;
    const text = this.chunks.join('');
    this.chunks = [];
    this.size = 0;
    if (this.encoding === 'latin1') {
      const bad = /[^\t\n\r\u0020-\u00ff]/.exec(text);
      if (bad) throw new Error(`${this.path}: "${bad[0]}" cannot be written in Latin-1 (demo generator bug)`);
      writeSync(this.fd, Buffer.from(text, 'latin1'));
    } else {
      writeSync(this.fd, Buffer.from(text, 'utf8'));
    }
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** A CSV file with a header row, written in the given European or plain dialect. */
export class CsvWriter {
  private readonly file: BufferedFile;
  private readonly needsQuote: RegExp;

  constructor(
    path: string,
    readonly header: readonly string[],
    readonly dialect: CsvDialect,
  ) {
    this.file = new BufferedFile(path, dialect.encoding);
    this.needsQuote = new RegExp(`["\\r\\n${dialect.delimiter === '\t' ? '\\t' : dialect.delimiter}]`);
    this.writeLine(header);
    this.file.rows = 0;
  }

  get path(): string {
    return this.file.path;
  }

  /** Data rows written so far (the header not counted). */
  get rows(): number {
    return this.file.rows;
  }

  /** Formats a number with a fixed number of decimals and the file's decimal separator. */
  num(value: number, decimals: number): string {
    const text = value.toFixed(decimals);
    return this.dialect.decimal === ',' ? text.replace('.', ',') : text;
  }

  row(cells: readonly Cell[]): void {
    this.writeLine(cells);
  }

  /** Writes a line exactly as given (planted data-quality problems: a duplicated or broken row). */
  rawLine(text: string): void {
    this.file.push(text + this.dialect.lineEnding);
    this.file.rows++;
  }

  /** The text a row would be written as (without the line ending). */
  format(cells: readonly Cell[]): string {
    let line = '';
    for (let i = 0; i < cells.length; i++) {
      if (i > 0) line += this.dialect.delimiter;
      const v = cells[i];
      if (v === null || v === undefined) continue;
      const s = typeof v === 'number' ? String(v) : v;
      line += this.needsQuote.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
    }
    return line;
  }

  private writeLine(cells: readonly Cell[]): void {
    this.file.push(this.format(cells) + this.dialect.lineEnding);
    this.file.rows++;
  }

  close(): void {
    this.file.close();
  }
}

/** Newline-delimited JSON, one object per line, UTF-8. Keys keep the order given. */
export class NdjsonWriter {
  private readonly file: BufferedFile;

  constructor(path: string) {
    this.file = new BufferedFile(path, 'utf8');
  }

  get path(): string {
    return this.file.path;
  }

  get rows(): number {
    return this.file.rows;
  }

  write(record: Record<string, unknown>): void {
    this.file.push(`${JSON.stringify(record)}\n`);
    this.file.rows++;
  }

  close(): void {
    this.file.close();
  }
}
