export {
  type BasketLeadField,
  type BasketLine,
  type BasketParseOptions,
  detectDelimiter,
  type ParsedBaskets,
  parseBasketText,
} from './parse.js';
export { readBasketFile } from './read.js';
