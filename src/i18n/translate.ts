/**
 * Looks messages up in the catalogue (i18next). Renderers take a `Translate` bound to one locale:
 * `t('session.question.title', { number: 1, count: 5 })`. Keys are checked at compile time
 * against the en-US catalogue; plural forms follow the locale's rules (`Intl.PluralRules`), and
 * `{{value, number}}` / `{{value, datetime}}` format with `Intl` for that locale.
 */
import i18next, { type TOptions } from 'i18next';
import {
  CATALOGUES,
  DEFAULT_LOCALE,
  LOCALES,
  type Locale,
  type Messages,
  resolveLocale,
} from './catalogue.js';

type PluralSuffix = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';
/** `questions_one` and `questions_other` are both the key `questions` (chosen by `count`). */
type WithoutPluralSuffix<Key extends string> = Key extends `${infer Base}_${PluralSuffix}` ? Base : Key;

type KeysOf<Tree, Prefix extends string = ''> = {
  [Key in keyof Tree & string]: Tree[Key] extends string
    ? `${Prefix}${WithoutPluralSuffix<Key>}`
    : KeysOf<Tree[Key], `${Prefix}${Key}.`>;
}[keyof Tree & string];

/** Every message key, e.g. `errors.guildOnly`. */
export type MessageKey = KeysOf<Messages>;

/**
 * The values of a message's placeholders. `count` picks the plural form. Text a member or author
 * wrote is inserted as is (never parsed as a message): escape Markdown before passing it.
 */
export type MessageValues = Readonly<Record<string, string | number | Date | readonly string[]>>;

/** A message lookup bound to one locale. */
export interface Translate {
  (key: MessageKey, values?: MessageValues): string;
  readonly locale: Locale;
}

/** A placeholder the code did not fill is a bug: fail where it happens (tests find it). */
export class MissingPlaceholderError extends Error {
  constructor(readonly text: string) {
    super(`message placeholder not given a value in: ${text}`);
    this.name = 'MissingPlaceholderError';
  }
}

const i18n = i18next.createInstance();
void i18n.init({
  // The whole catalogue is bundled: init is synchronous.
  initAsync: false,
  resources: Object.fromEntries(LOCALES.map((locale) => [locale, { translation: CATALOGUES[locale] }])),
  lng: DEFAULT_LOCALE,
  fallbackLng: DEFAULT_LOCALE,
  supportedLngs: LOCALES,
  // Locale codes are used as given (`de`, `en-US`); resolveLocale maps Discord's to ours.
  load: 'currentOnly',
  returnNull: false,
  returnEmptyString: false,
  interpolation: {
    // Discord is not HTML; Markdown is escaped by the renderers where text is untrusted.
    escapeValue: false,
    // A value is inserted as is: `{{x}}` or `$t(...)` in a quiz title stays text.
    skipOnVariables: true,
  },
  missingInterpolationHandler: (text: string) => {
    throw new MissingPlaceholderError(text);
  },
});

const translators = new Map<Locale, Translate>();

/** The lookup for a locale (any Discord locale code, or null: the default). */
export function translatorFor(requested: string | null | undefined): Translate {
  const locale = resolveLocale(requested);
  let translate = translators.get(locale);
  if (!translate) {
    const fixed = i18n.getFixedT(locale);
    // The catalogue never changes while running, and an i18next lookup costs microseconds (bench/
    // i18n.ts): a message without placeholders (labels, field names) is looked up once.
    const constant = new Map<MessageKey, string>();
    // i18next's own key types are not declared (see MessageKey): a lookup returns a string.
    const lookup = (key: MessageKey, values?: MessageValues): string => {
      if (values === undefined) {
        let text = constant.get(key);
        if (text === undefined) {
          text = String(fixed(key));
          constant.set(key, text);
        }
        return text;
      }
      const options: TOptions = { ...values };
      return String(fixed(key, options));
    };
    translate = Object.assign(lookup, { locale });
    translators.set(locale, translate);
  }
  return translate;
}

/**
 * A message exactly as the catalogue of `locale` has it, without falling back to the default
 * (undefined when missing): for command localizations, which Discord falls back itself.
 */
export function rawMessage(locale: Locale, key: string): string | undefined {
  const value = i18n.getResource(locale, 'translation', key);
  return typeof value === 'string' ? value : undefined;
}
