import { readFile } from 'node:fs/promises';
import { ConnectorError, InputError } from '../../errors.js';
import { type BasketParseOptions, type ParsedBaskets, parseBasketText } from './parse.js';

/**
 * Reads a basket file (one transaction per line) from disk.
 *
 * @throws InputError FILE_NOT_FOUND when the file is missing; ConnectorError when it cannot be read.
 */
export async function readBasketFile(path: string, options: BasketParseOptions = {}): Promise<ParsedBaskets> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InputError(
        `Basket file ${path}: expected an existing file, found none. Check the path.`,
        { path },
        { cause, code: 'FILE_NOT_FOUND' },
      );
    }
    throw new ConnectorError(
      `Basket file ${path}: could not read it (${(cause as Error).message}).`,
      { path },
      { cause },
    );
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return parseBasketText(text, options);
}
