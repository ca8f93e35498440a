import type { APIEmbed, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { SlashCommandBuilder } from 'discord.js';
import { renderHelpEmbed } from '../render/helpEmbed.js';
import type { Command } from './Command.js';
import { memberTranslator } from './locale.js';
import { FROM_CATALOGUE } from './localizeCommand.js';
import { respond } from './replies.js';

export interface HelpCommandDeps {
  /** Every registered definition, read at the first `/help` (the list includes `/help` itself). */
  definitions(): readonly RESTPostAPIChatInputApplicationCommandsJSONBody[];
  docsUrl?: string;
}

/** `/help`: what Badgey does and the command list, ephemeral. */
export function createHelpCommand(deps: HelpCommandDeps): Command {
  // The definitions are fixed once the commands are built, so the embed is the same for every
  // member who reads one language: drawn once per language (a few dozen catalogue lookups).
  const embeds = new Map<string, APIEmbed>();
  return {
    definition: new SlashCommandBuilder().setName('help').setDescription(FROM_CATALOGUE).toJSON(),

    async execute(interaction) {
      // Ephemeral: the commands as the member's Discord client names them.
      const t = memberTranslator(interaction);
      let embed = embeds.get(t.locale);
      if (!embed) {
        embed = renderHelpEmbed({ definitions: deps.definitions(), docsUrl: deps.docsUrl }, t);
        embeds.set(t.locale, embed);
      }
      await respond(interaction, { embeds: [embed], ephemeral: true });
      return undefined;
    },
  };
}
