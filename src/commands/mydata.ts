import {
  type ChatInputCommandInteraction,
  InteractionContextType,
  type MessageComponentInteraction,
  MessageFlags,
  SlashCommandBuilder,
} from 'discord.js';
import type { ParsedCustomId } from '../components/customId.js';
import { MYDATA_DELETE_HANDLER } from '../components/handlerNames.js';
import {
  renderMyDataDeleteConfirmation,
  renderMyDataDeleted,
  renderMyDataExported,
  renderScoresError,
} from '../render/scores.js';
import type { ScoresService } from '../scores/ScoresService.js';
import type { Command, CommandContext, CommandResult, ComponentHandler } from './Command.js';
import { answerConfirmation } from './confirmation.js';
import { memberTranslator } from './locale.js';
import { FROM_CATALOGUE } from './localizeCommand.js';
import { guildMemberNames } from './memberNames.js';
import { replyError, respond } from './replies.js';
import { sendExportFile, uploadLimitOf } from './scores.js';

export interface MyDataCommandDeps {
  service: ScoresService;
}

/** `/mydata export|delete`: a member's own data in this server (anyone, only to them). */
export function createMyDataCommand(deps: MyDataCommandDeps): Command {
  const { service } = deps;

  async function exportOwn(interaction: ChatInputCommandInteraction, guildId: string) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const result = await service.exportOwn(
      guildId,
      interaction.user.id,
      uploadLimitOf(interaction),
      guildMemberNames(interaction.guild),
    );
    const t = memberTranslator(interaction);
    if (!result.ok) {
      await respond(interaction, { content: renderScoresError(result.error, t), ephemeral: true });
      return 'rejected' as const;
    }
    await sendExportFile(interaction, result.value, renderMyDataExported(result.value, t));
    return undefined;
  }

  async function askDelete(interaction: ChatInputCommandInteraction, guildId: string) {
    const counts = await service.countOwn(guildId, interaction.user.id);
    const t = memberTranslator(interaction);
    if (!counts.ok) {
      await respond(interaction, { content: renderScoresError(counts.error, t), ephemeral: true });
      return 'rejected' as const;
    }
    await respond(interaction, {
      ...renderMyDataDeleteConfirmation(counts.value, interaction.user.id, t),
      ephemeral: true,
    });
    return undefined;
  }

  const onButton: ComponentHandler = async (
    interaction: MessageComponentInteraction,
    customId: ParsedCustomId,
    ctx: CommandContext,
  ): Promise<CommandResult> => {
    const [ownerId] = customId.args;
    // Only the member whose data it is may press it: anyone else is refused, privately.
    return answerConfirmation(interaction, customId, ownerId, async (finish) => {
      if (!interaction.inGuild() || !ownerId) return replyError(interaction, { kind: 'guildOnly' });
      const result = await service.eraseOwn(interaction.guildId, ownerId);
      const t = memberTranslator(interaction);
      if (!result.ok) {
        await finish(renderScoresError(result.error, t));
        return 'rejected';
      }
      ctx.logger.info(
        { guildId: interaction.guildId, attempts: result.value.attempts },
        'member data erased',
      );
      await finish(renderMyDataDeleted(result.value, t));
      return undefined;
    });
  };

  return {
    definition: new SlashCommandBuilder()
      .setName('mydata')
      .setDescription(FROM_CATALOGUE)
      .setContexts(InteractionContextType.Guild)
      .addSubcommand((sub) => sub.setName('export').setDescription(FROM_CATALOGUE))
      .addSubcommand((sub) => sub.setName('delete').setDescription(FROM_CATALOGUE))
      .toJSON(),

    async execute(interaction) {
      if (!interaction.inGuild()) return replyError(interaction, { kind: 'guildOnly' });
      const sub = interaction.options.getSubcommand(true);
      if (sub === 'export') return exportOwn(interaction, interaction.guildId);
      if (sub === 'delete') return askDelete(interaction, interaction.guildId);
      return replyError(interaction, { kind: 'unknownCommand', name: `mydata ${sub}` });
    },

    components: { [MYDATA_DELETE_HANDLER]: onButton },
  };
}
