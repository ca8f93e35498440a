/**
 * Slash-command texts come from the message catalogue (`commands.json` of each locale), not from
 * the builders: a definition is built with names only (`.setDescription(FROM_CATALOGUE)`, choices `{ name: FROM_CATALOGUE, value }`)
 * and `localizeCommand` fills in every description, choice name and the `name_localizations` /
 * `description_localizations` Discord shows to members of other languages.
 *
 * Catalogue layout: `commands.<command>` holds `name`, `description` and, per option (subcommand
 * group, subcommand or option), `options.<option name>` with the same fields; a choice is
 * `choices.<choice value>` (its display name).
 */
import type {
  APIApplicationCommandOption,
  APIApplicationCommandOptionChoice,
  LocalizationMap,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { DEFAULT_LOCALE, LOCALES, type Locale, rawMessage } from '../i18n/index.js';

/** What a builder's description or choice name is set to: the catalogue's text replaces it. */
export const FROM_CATALOGUE = '-';

/** A command, subcommand or option whose text is missing from the default catalogue (a bug). */
export class MissingCommandTextError extends Error {
  constructor(readonly key: string) {
    super(`the message catalogue (${DEFAULT_LOCALE}) has no text at ${key}`);
    this.name = 'MissingCommandTextError';
  }
}

const OTHER_LOCALES: readonly Locale[] = LOCALES.filter((locale) => locale !== DEFAULT_LOCALE);

function defaultText(key: string): string {
  const text = rawMessage(DEFAULT_LOCALE, key);
  if (text === undefined) throw new MissingCommandTextError(key);
  return text;
}

/** The other locales' texts at `key` (a locale without one is left to Discord's fallback). */
function localizations(key: string): LocalizationMap | undefined {
  const map: LocalizationMap = {};
  for (const locale of OTHER_LOCALES) {
    const text = rawMessage(locale, key);
    if (text !== undefined) map[locale] = text;
  }
  return Object.keys(map).length > 0 ? map : undefined;
}

interface NamedNode {
  name: string;
  description: string;
  name_localizations?: LocalizationMap | null;
  description_localizations?: LocalizationMap | null;
}

function localizeNode<Node extends NamedNode>(node: Node, key: string): Node {
  const names = localizations(`${key}.name`);
  const descriptions = localizations(`${key}.description`);
  return {
    ...node,
    description: defaultText(`${key}.description`),
    ...(names ? { name_localizations: names } : {}),
    ...(descriptions ? { description_localizations: descriptions } : {}),
  };
}

function localizeChoice<Value extends string | number>(
  choice: APIApplicationCommandOptionChoice<Value>,
  key: string,
): APIApplicationCommandOptionChoice<Value> {
  const choiceKey = `${key}.choices.${String(choice.value)}`;
  const names = localizations(choiceKey);
  return { ...choice, name: defaultText(choiceKey), ...(names ? { name_localizations: names } : {}) };
}

function localizeOption(option: APIApplicationCommandOption, parentKey: string): APIApplicationCommandOption {
  const key = `${parentKey}.options.${option.name}`;
  // The option union narrows poorly through a spread; each branch keeps its own shape.
  const localized = localizeNode(option, key) as APIApplicationCommandOption & {
    options?: APIApplicationCommandOption[];
    choices?: APIApplicationCommandOptionChoice<string | number>[];
  };
  if (localized.options) localized.options = localized.options.map((child) => localizeOption(child, key));
  if (localized.choices) localized.choices = localized.choices.map((choice) => localizeChoice(choice, key));
  return localized;
}

/** The definition with its texts from the catalogue, in every locale Badgey has. */
export function localizeCommand(
  definition: RESTPostAPIChatInputApplicationCommandsJSONBody,
): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const key = `commands.${definition.name}`;
  const localized = localizeNode(definition, key);
  return definition.options
    ? { ...localized, options: definition.options.map((option) => localizeOption(option, key)) }
    : localized;
}
