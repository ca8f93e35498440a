/**
 * Every slash command Badgey registers takes its texts from the catalogue, and the German names
 * follow Discord's naming rules (lower case, no spaces, ≤ 32 characters, unique among siblings), so
 * Discord accepts the registration. The catalogue has no texts for commands that do not exist.
 */
import type {
  APIApplicationCommandOption,
  LocalizationMap,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { describe, expect, it } from 'vitest';
import { type CommandDeps, createCommands } from '../../../src/commands/index.js';
import {
  FROM_CATALOGUE,
  localizeCommand,
  MissingCommandTextError,
} from '../../../src/commands/localizeCommand.js';
import { createLiveSubcommands } from '../../../src/commands/quiz/live.js';
import { createTakeSubcommand } from '../../../src/commands/quiz/take.js';
import { CATALOGUES, DEFAULT_LOCALE, LOCALES } from '../../../src/i18n/index.js';

// Building a definition never calls a dependency (they are used when a command runs), so every
// command is built here with empty ones, to see all of them at once.
const unused = {} as never;
const deps: CommandDeps = {
  status: unused,
  quiz: {
    service: unused,
    clock: unused,
    take: createTakeSubcommand(unused),
    live: createLiveSubcommands(unused),
  },
  settings: unused,
  leaderboard: unused,
  stats: unused,
  scores: unused,
};
const definitions = createCommands(deps).map((command) => command.definition);

/** Discord's rule for CHAT_INPUT names (and their localizations). */
const CHAT_INPUT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

type Node = RESTPostAPIChatInputApplicationCommandsJSONBody | APIApplicationCommandOption;

function children(node: Node): APIApplicationCommandOption[] {
  return 'options' in node && Array.isArray(node.options) ? node.options : [];
}

function eachNode(visit: (node: Node, path: string, siblings: readonly Node[]) => void): void {
  const walk = (node: Node, path: string, siblings: readonly Node[]) => {
    visit(node, path, siblings);
    for (const child of children(node)) walk(child, `${path} ${child.name}`, children(node));
  };
  for (const definition of definitions) walk(definition, definition.name, definitions);
}

function localized(map: LocalizationMap | null | undefined, locale: string): string | undefined {
  return (map as Record<string, string | null> | null | undefined)?.[locale] ?? undefined;
}

describe('slash-command texts from the catalogue', () => {
  it('builds all eight commands, none left with the builder placeholder', () => {
    expect(definitions.map((d) => d.name).sort()).toEqual(
      ['help', 'leaderboard', 'mydata', 'quiz', 'scores', 'settings', 'stats', 'status'].sort(),
    );
    eachNode((node, path) => {
      expect(node.description, path).not.toBe(FROM_CATALOGUE);
      expect(node.description.length, path).toBeLessThanOrEqual(100);
      for (const choice of 'choices' in node && node.choices ? node.choices : [])
        expect(choice.name, `${path} choice ${choice.value}`).not.toBe(FROM_CATALOGUE);
    });
  });

  for (const locale of LOCALES.filter((l) => l !== DEFAULT_LOCALE)) {
    it(`gives every command, option and choice a ${locale} name and description Discord accepts`, () => {
      eachNode((node, path, siblings) => {
        const name = localized(node.name_localizations, locale);
        const description = localized(node.description_localizations, locale);
        expect(name, `${path}: ${locale} name`).toBeDefined();
        expect(description, `${path}: ${locale} description`).toBeDefined();
        expect(name, path).toMatch(CHAT_INPUT_NAME);
        expect(name, path).toBe(name?.toLocaleLowerCase(locale));
        expect(description?.length, path).toBeLessThanOrEqual(100);
        const siblingNames = siblings.map((s) => localized(s.name_localizations, locale));
        expect(
          siblingNames.filter((n) => n === name),
          `${path}: ${locale} name unique`,
        ).toHaveLength(1);
        for (const choice of 'choices' in node && node.choices ? node.choices : []) {
          const choiceName = localized(choice.name_localizations, locale);
          expect(choiceName, `${path} choice ${choice.value}`).toBeDefined();
          expect(choiceName?.length, path).toBeLessThanOrEqual(100);
        }
      });
    });
  }

  it('speaks German in the registration payload', () => {
    const quiz = definitions.find((d) => d.name === 'quiz');
    const take = quiz?.options?.find((o) => o.name === 'take');
    expect(take?.name_localizations).toEqual({ de: 'spielen' });
    expect(definitions.find((d) => d.name === 'leaderboard')?.name_localizations).toEqual({
      de: 'bestenliste',
    });
  });

  it('has texts only for commands and options that exist, and names them as the code does', () => {
    const catalogued = CATALOGUES[DEFAULT_LOCALE].commands as Record<string, unknown>;
    const paths = (tree: Record<string, unknown>, prefix: string): string[] =>
      Object.entries(tree).flatMap(([name, value]) => {
        const node = value as { name: string; options?: Record<string, unknown> };
        expect(node.name, `${prefix}${name}`).toBe(name);
        return [`${prefix}${name}`, ...paths(node.options ?? {}, `${prefix}${name} `)];
      });
    const defined: string[] = [];
    eachNode((_node, path) => defined.push(path));
    expect(paths(catalogued, '').sort()).toEqual(defined.sort());
  });

  it('refuses a command the catalogue does not describe', () => {
    expect(() => localizeCommand({ name: 'nope', description: FROM_CATALOGUE })).toThrow(
      MissingCommandTextError,
    );
  });
});
