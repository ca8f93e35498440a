export {
  CATALOGUES,
  DEFAULT_LOCALE,
  isLocale,
  LOCALES,
  type Locale,
  type Messages,
  resolveLocale,
} from './catalogue.js';
export { formatDecimal } from './numbers.js';
export {
  type MessageKey,
  type MessageValues,
  MissingPlaceholderError,
  rawMessage,
  type Translate,
  translatorFor,
} from './translate.js';
