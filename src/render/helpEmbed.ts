import type {
  APIEmbed,
  ApplicationCommandOptionType,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';

// Type-only import above: render/ has no runtime dependency on Discord packages.
const SUBCOMMAND = 1 as ApplicationCommandOptionType.Subcommand;
const SUBCOMMAND_GROUP = 2 as ApplicationCommandOptionType.SubcommandGroup;

export interface HelpView {
  definitions: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[];
  /** Where the user/operator documentation lives, if published. */
  docsUrl: string | undefined;
}

/** `/help`: what Badgey does and every command, generated from the registered definitions. */
export function renderHelpEmbed(view: HelpView): APIEmbed {
  const lines: string[] = [];
  for (const def of [...view.definitions].sort((a, b) => a.name.localeCompare(b.name))) {
    const adminOnly = def.default_member_permissions !== undefined && def.default_member_permissions !== null;
    const suffix = adminOnly ? ' *(server managers)*' : '';
    const subcommands = (def.options ?? []).flatMap((option) => {
      if (option.type === SUBCOMMAND) return [[option.name, option.description]];
      if (option.type === SUBCOMMAND_GROUP)
        return (option.options ?? []).map((sub) => [`${option.name} ${sub.name}`, sub.description]);
      return [];
    });
    if (subcommands.length === 0) lines.push(`\`/${def.name}\` — ${def.description}${suffix}`);
    for (const [name, description] of subcommands)
      lines.push(`\`/${def.name} ${name}\` — ${description}${suffix}`);
  }
  const docs =
    view.docsUrl ?? 'The README of the Badgey repository: running, configuring and operating Badgey.';
  return {
    title: 'Badgey — quizzes for your server',
    description:
      "Hehehe! I'm Badgey. Server managers create quizzes; members take them with slash commands and buttons — timed, scored, with leaderboards.",
    color: 0x5865f2,
    fields: [
      ...commandFields(lines),
      { name: 'Documentation', value: docs },
      {
        name: 'Your data',
        value:
          'What Badgey stores, for how long and how to delete it: `docs/privacy.md` in the Badgey repository. `/mydata export` shows what it holds about you here; `/mydata delete` erases it.',
      },
    ],
  };
}

/** Whole lines packed into fields of at most 1024 characters (Discord's field value limit). */
function commandFields(lines: readonly string[]): { name: string; value: string }[] {
  const values: string[] = [];
  for (const line of lines) {
    const last = values.at(-1);
    if (last !== undefined && last.length + 1 + line.length <= 1024)
      values[values.length - 1] = `${last}\n${line}`;
    else values.push(line.slice(0, 1024));
  }
  if (values.length === 0) return [{ name: 'Commands', value: 'none yet' }];
  return values.map((value, i) => ({ name: i === 0 ? 'Commands' : 'More commands', value }));
}
