import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { InputError } from '../errors.js';

/**
 * Hard limits on what an import reads, checked before the engine sees the file (issue 19): a limit is a
 * plain error with where/expected/found/what to do, never a crash, a hang or a silent loss.
 */
export const INPUT_LIMITS = {
  /** Deepest nesting of arrays/objects in a JSON file (DuckDB's reader recurses per level). */
  jsonDepth: 64,
  /** Most columns in one file: every column is a text column of the staging copy. */
  columns: 2000,
} as const;

/**
 * Refuses anything that is not a plain file: a folder, a FIFO (which would block), a device, a socket.
 * A missing file passes: each reader reports it with its own wording.
 */
export async function assertRegularFile(path: string): Promise<void> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    return;
  }
  if (info.isDirectory()) {
    throw new InputError(
      `${path}: expected a file, found a folder. Name the files inside it, e.g. clientele import ${path}/*.csv`,
      { file: path },
      { code: 'INVALID_ARGUMENT' },
    );
  }
  if (!info.isFile()) {
    throw new InputError(
      `${path}: expected a regular file, found a ${info.isFIFO() ? 'named pipe (FIFO)' : 'device or socket'}. Save the data to a file first and import that.`,
      { file: path },
      { code: 'INVALID_ARGUMENT' },
    );
  }
}

/** Refuses a file with more columns than the limit. */
export function assertColumnLimit(count: number, where: string, limit: number = INPUT_LIMITS.columns): void {
  if (count <= limit) return;
  throw new InputError(
    `${where}: expected at most ${limit} columns, found ${count}. Keep the columns you need (e.g. cut -d, -f1-50) and import that file.`,
    { columns: count, limit },
    { code: 'LIMIT_EXCEEDED' },
  );
}

/**
 * Streams a JSON or NDJSON file once and refuses it when arrays/objects nest deeper than `maxDepth`
 * (strings and their escapes are skipped, so brackets inside text do not count). A 60 KB file of 30,000
 * nested arrays crashed the process inside the engine's reader before this check.
 */
export async function checkJsonDepth(
  path: string,
  where: string,
  maxDepth: number = INPUT_LIMITS.jsonDepth,
): Promise<void> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let line = 1;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === 0x0a) line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (b === 0x5c) escaped = true;
        else if (b === 0x22) inString = false;
        continue;
      }
      if (b === 0x22) inString = true;
      else if (b === 0x5b || b === 0x7b) {
        depth++;
        if (depth > maxDepth) {
          throw new InputError(
            `${where}, line ${line}: expected JSON nested at most ${maxDepth} levels deep, found deeper nesting. Flatten the records (one object per customer, order …) and import again.`,
            { line, maxDepth },
            { code: 'LIMIT_EXCEEDED' },
          );
        }
      } else if (b === 0x5d || b === 0x7d) depth = Math.max(0, depth - 1);
    }
  }
}
