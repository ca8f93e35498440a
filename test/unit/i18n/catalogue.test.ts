/**
 * The message catalogues agree: every locale has every key of the default (en-US) with the same
 * placeholders, each plural message has exactly the plural forms its language uses, and no message
 * is empty. Also the lookup's behaviour: fallback, plurals, number formats, untrusted values.
 */
import { Locale as DiscordLocale } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import {
  CATALOGUES,
  DEFAULT_LOCALE,
  LOCALES,
  MissingPlaceholderError,
  resolveLocale,
  translatorFor,
} from '../../../src/i18n/index.js';

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** Every message of a catalogue by its dotted key (plural forms keep their suffix). */
function flatten(tree: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree as Record<string, unknown>)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'string') out.set(path, value);
    else for (const [child, text] of flatten(value, path)) out.set(child, text);
  }
  return out;
}

/** Messages grouped by key without plural suffix: key → (form or '' → text). */
function grouped(tree: unknown): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const [key, text] of flatten(tree)) {
    const form = PLURAL_SUFFIX.exec(key)?.[1] ?? '';
    const base = form === '' ? key : key.slice(0, -(form.length + 1));
    const forms = out.get(base) ?? new Map<string, string>();
    forms.set(form, text);
    out.set(base, forms);
  }
  return out;
}

/** The names in `{{name}}` / `{{name, format}}`, sorted, without duplicates. */
function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([^,}\s]+)[^}]*\}\}/g)].map((m) => m[1] ?? ''))].sort();
}

const reference = grouped(CATALOGUES[DEFAULT_LOCALE]);

/**
 * Placeholders a translation may leave out (never add): en-US shows the yaml library's own
 * (English) message for each of its error codes, other languages their own sentence.
 */
const OMITTABLE_PLACEHOLDERS: readonly { key: RegExp; placeholder: string }[] = [
  { key: /^quizFile\.yaml\./, placeholder: 'detail' },
];

function mayOmit(key: string, placeholder: string): boolean {
  return OMITTABLE_PLACEHOLDERS.some((rule) => rule.key.test(key) && rule.placeholder === placeholder);
}

/** `/quiz take`, `/settings manager-role add`, … as a locale names them (`/quiz spielen` in German). */
function commandPaths(commands: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (node: { name: string; options?: Record<string, unknown> }, prefix: string) => {
    const path = `${prefix} ${node.name}`.trim();
    out.add(path);
    for (const child of Object.values(node.options ?? {})) walk(child as typeof node, path);
  };
  for (const command of Object.values(commands as Record<string, { name: string }>)) walk(command, '/');
  return new Set([...out].map((path) => path.replace(/^\/ /, '/')));
}

describe('the message catalogues', () => {
  it('use Discord locale codes', () => {
    const discordLocales = new Set<string>(Object.values(DiscordLocale));
    for (const locale of LOCALES) expect(discordLocales.has(locale), locale).toBe(true);
    expect(LOCALES[0]).toBe(DEFAULT_LOCALE);
    expect(LOCALES).toContain('de');
  });

  it('has a real catalogue to check', () => {
    expect(reference.size).toBeGreaterThan(50);
  });

  for (const locale of LOCALES) {
    describe(locale, () => {
      const messages = grouped(CATALOGUES[locale]);
      const pluralForms = new Intl.PluralRules(locale).resolvedOptions().pluralCategories.slice().sort();

      it('has every key of the default locale and no other', () => {
        expect([...messages.keys()].sort()).toEqual([...reference.keys()].sort());
      });

      it("gives each plural message exactly its language's plural forms", () => {
        for (const [key, forms] of messages) {
          const isPlural = (reference.get(key)?.get('') ?? null) === null;
          const expected = isPlural ? pluralForms : [''];
          expect([...forms.keys()].sort(), key).toEqual(expected);
        }
      });

      it("names commands as this locale's members see them in Discord's command picker", () => {
        const names = commandPaths(CATALOGUES[locale].commands);
        for (const [key, forms] of messages) {
          if (key.startsWith('commands.')) continue;
          for (const text of forms.values())
            for (const [, mention] of text.matchAll(/`(\/[^`{]+)`/g)) {
              const words = (mention ?? '').split(' ');
              const known = words.some((_, n) => names.has(words.slice(0, n + 1).join(' ')));
              expect(known, `${key}: ${mention}`).toBe(true);
            }
        }
      });

      it('has the same placeholders as the default locale, and no empty message', () => {
        for (const [key, forms] of messages) {
          const theirs = placeholders([...forms.values()].join(' '));
          const ours = placeholders([...(reference.get(key)?.values() ?? [])].join(' ')).filter(
            (name) => theirs.includes(name) || !mayOmit(key, name),
          );
          expect(theirs, key).toEqual(ours);
          for (const text of forms.values()) expect(text.trim(), key).not.toBe('');
        }
      });
    });
  }
});

describe('looking messages up', () => {
  it("maps a Discord locale to Badgey's: same code, same language, else English", () => {
    expect(resolveLocale('de')).toBe('de');
    expect(resolveLocale('en-GB')).toBe('en-US');
    expect(resolveLocale('en-US')).toBe('en-US');
    expect(resolveLocale('ja')).toBe('en-US');
    expect(resolveLocale(null)).toBe('en-US');
    expect(resolveLocale(undefined)).toBe('en-US');
    expect(translatorFor('de').locale).toBe('de');
  });

  it('chooses plural forms by count, per language', () => {
    const en = translatorFor('en-US');
    const de = translatorFor('de');
    expect(en('common.questionCount', { count: 1 })).toBe('1 question');
    expect(en('common.questionCount', { count: 2 })).toBe('2 questions');
    expect(de('common.questionCount', { count: 1 })).toBe('1 Frage');
    expect(de('common.questionCount', { count: 2 })).toBe('2 Fragen');
    expect(de('common.questionCount', { count: 1234 })).toBe('1.234 Fragen');
    expect(en('common.questionCount', { count: 1234 })).toBe('1,234 questions');
  });

  it('inserts untrusted text as is, never as a message', () => {
    const en = translatorFor('en-US');
    expect(en('errors.unknownCommand', { name: '{{name}} $t(errors.guildOnly)' })).toBe(
      "I don't know `/{{name}} $t(errors.guildOnly)` any more — it may have been removed in an update.",
    );
  });

  it('fails loudly when the code leaves a placeholder without a value', () => {
    expect(() => translatorFor('de')('errors.unknownCommand')).toThrow(MissingPlaceholderError);
  });
});
