export { type EncodedBasketFile, encodeBasketText } from './encode.js';
export {
  type BasketLeadField,
  type BasketLine,
  type BasketParseOptions,
  detectDelimiter,
  type ParsedBaskets,
  parseBasketText,
} from './parse.js';
export { readBasketFile, readEncodedBasketFile } from './read.js';
