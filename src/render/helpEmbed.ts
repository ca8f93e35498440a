import type {
  APIEmbed,
  ApplicationCommandOptionType,
  LocalizationMap,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import type { Translate } from '../i18n/index.js';

// Type-only import above: render/ has no runtime dependency on Discord packages.
const SUBCOMMAND = 1 as ApplicationCommandOptionType.Subcommand;
const SUBCOMMAND_GROUP = 2 as ApplicationCommandOptionType.SubcommandGroup;

export interface HelpView {
  definitions: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[];
  /** Where the user/operator documentation lives, if published. */
  docsUrl: string | undefined;
}

interface Localizable {
  name: string;
  description: string;
  name_localizations?: LocalizationMap | null;
  description_localizations?: LocalizationMap | null;
}

/**
 * A command's or option's name and description as a member of `locale` sees them in Discord: the
 * definitions already carry the catalogue's localizations (commands/localizeCommand.ts).
 */
function localized(node: Localizable, t: Translate): { name: string; description: string } {
  const locale = t.locale as keyof LocalizationMap;
  return {
    name: node.name_localizations?.[locale] ?? node.name,
    description: node.description_localizations?.[locale] ?? node.description,
  };
}

/** `/help`: what Badgey does and every command, generated from the registered definitions. */
export function renderHelpEmbed(view: HelpView, t: Translate): APIEmbed {
  const lines: string[] = [];
  const commands = view.definitions
    .map((def) => ({ def, text: localized(def, t) }))
    .sort((a, b) => a.text.name.localeCompare(b.text.name, t.locale));
  for (const { def, text } of commands) {
    const adminOnly = def.default_member_permissions !== undefined && def.default_member_permissions !== null;
    const line = (command: string, description: string) =>
      t(adminOnly ? 'help.managerCommand' : 'help.command', { command, description });
    const subcommands = (def.options ?? []).flatMap((option): [string, string][] => {
      if (option.type === SUBCOMMAND) {
        const sub = localized(option, t);
        return [[sub.name, sub.description]];
      }
      if (option.type === SUBCOMMAND_GROUP) {
        const group = localized(option, t).name;
        return (option.options ?? []).map((subOption) => {
          const sub = localized(subOption, t);
          return [`${group} ${sub.name}`, sub.description];
        });
      }
      return [];
    });
    if (subcommands.length === 0) lines.push(line(text.name, text.description));
    for (const [name, description] of subcommands) lines.push(line(`${text.name} ${name}`, description));
  }
  return {
    title: t('help.title'),
    description: t('help.description'),
    color: 0x5865f2,
    fields: [
      ...commandFields(lines, t),
      { name: t('help.fields.documentation'), value: view.docsUrl ?? t('help.docsDefault') },
      {
        name: t('help.fields.yourData'),
        value: t('help.yourData', {
          exportCommand: `${t('commands.mydata.name')} ${t('commands.mydata.options.export.name')}`,
          deleteCommand: `${t('commands.mydata.name')} ${t('commands.mydata.options.delete.name')}`,
        }),
      },
    ],
  };
}

/** Whole lines packed into fields of at most 1024 characters (Discord's field value limit). */
function commandFields(lines: readonly string[], t: Translate): { name: string; value: string }[] {
  const values: string[] = [];
  for (const line of lines) {
    const last = values.at(-1);
    if (last !== undefined && last.length + 1 + line.length <= 1024)
      values[values.length - 1] = `${last}\n${line}`;
    else values.push(line.slice(0, 1024));
  }
  if (values.length === 0) return [{ name: t('help.fields.commands'), value: t('help.noCommands') }];
  return values.map((value, i) => ({
    name: i === 0 ? t('help.fields.commands') : t('help.fields.moreCommands'),
    value,
  }));
}
