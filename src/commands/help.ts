import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { SlashCommandBuilder } from 'discord.js';
import { renderHelpEmbed } from '../render/helpEmbed.js';
import type { Command } from './Command.js';
import { memberTranslator } from './locale.js';
import { FROM_CATALOGUE } from './localizeCommand.js';
import { respond } from './replies.js';

export interface HelpCommandDeps {
  /** Every registered definition, read when `/help` runs (the list includes `/help` itself). */
  definitions(): readonly RESTPostAPIChatInputApplicationCommandsJSONBody[];
  docsUrl?: string;
}

/** `/help`: what Badgey does and the command list, ephemeral. */
export function createHelpCommand(deps: HelpCommandDeps): Command {
  return {
    definition: new SlashCommandBuilder().setName('help').setDescription(FROM_CATALOGUE).toJSON(),

    async execute(interaction) {
      // Ephemeral: the commands as the member's Discord client names them.
      const embed = renderHelpEmbed(
        { definitions: deps.definitions(), docsUrl: deps.docsUrl },
        memberTranslator(interaction),
      );
      await respond(interaction, { embeds: [embed], ephemeral: true });
      return undefined;
    },
  };
}
