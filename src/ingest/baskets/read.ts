import { readFile } from 'node:fs/promises';
import { ConnectorError, InputError } from '../../errors.js';
import { type EncodedBasketFile, encodeBasketText } from './encode.js';
import { type BasketParseOptions, type ParsedBaskets, parseBasketText } from './parse.js';

/**
 * Reads a basket file (one transaction per line) from disk, one object per line (for import).
 *
 * @throws InputError FILE_NOT_FOUND when the file is missing; ConnectorError when it cannot be read.
 */
export async function readBasketFile(path: string, options: BasketParseOptions = {}): Promise<ParsedBaskets> {
  return parseBasketText(await readText(path), options);
}

/**
 * Reads a basket file straight into encoded (basket, item) pairs for mining (see {@link encodeBasketText}).
 *
 * @throws InputError FILE_NOT_FOUND when the file is missing; ConnectorError when it cannot be read.
 */
export async function readEncodedBasketFile(
  path: string,
  options: BasketParseOptions = {},
): Promise<EncodedBasketFile> {
  return encodeBasketText(await readText(path), options);
}

async function readText(path: string): Promise<string> {
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
  return text;
}
