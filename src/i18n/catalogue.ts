/**
 * Every locale Badgey speaks and its message catalogue. To add a language, copy
 * `locales/en-US/` to `locales/<Discord locale>/`, translate the JSON files and add one line to
 * `CATALOGUES` (README: "Adding a language"); the catalogue tests then check every key and
 * placeholder.
 */
import de from './locales/de/index.js';
import enUS from './locales/en-US/index.js';

/** The fallback: every key exists here first, and a member whose language Badgey lacks reads it. */
export const DEFAULT_LOCALE = 'en-US';

/** The messages of the default locale: their shape defines the keys of every catalogue. */
export type Messages = typeof enUS;

/** Each supported locale (a Discord locale code) → its messages. The first is the default. */
export const CATALOGUES = {
  'en-US': enUS,
  de,
} as const satisfies Record<string, unknown>;

export type Locale = keyof typeof CATALOGUES;

export const LOCALES = Object.keys(CATALOGUES) as Locale[];

/** The language part of a locale code, lower case (`en-GB` → `en`). */
function languageOf(locale: string): string {
  return (locale.split('-')[0] ?? locale).toLowerCase();
}

/**
 * The supported locale for a Discord locale: the same code, else the same language (`en-GB` →
 * `en-US`, `de-AT` → `de`), else the default. Accepts null/undefined (no locale known).
 */
export function resolveLocale(requested: string | null | undefined): Locale {
  if (!requested) return DEFAULT_LOCALE;
  const lower = requested.toLowerCase();
  const exact = LOCALES.find((locale) => locale.toLowerCase() === lower);
  if (exact) return exact;
  return LOCALES.find((locale) => languageOf(locale) === languageOf(lower)) ?? DEFAULT_LOCALE;
}

/** True for a locale code Badgey has a catalogue for (exactly, as `/settings language` stores it). */
export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}
