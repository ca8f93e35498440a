import {
  ChannelType,
  type ChatInputCommandInteraction,
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
} from 'discord.js';
import { isLocale, LOCALES } from '../i18n/index.js';
import type { QuizService, SettingsChange } from '../quiz/QuizService.js';
import { RETAKE_POLICIES, type RetakePolicy } from '../quiz/types.js';
import { renderSettingsChanged, renderSettingsEmbed } from '../render/quizSettingsEmbed.js';
import type { Command, CommandResult } from './Command.js';
import { memberTranslator } from './locale.js';
import { FROM_CATALOGUE } from './localizeCommand.js';
import { answerAuthoring, withActor } from './quiz/authoringReplies.js';

export interface SettingsCommandDeps {
  service: QuizService;
}

/** The `/settings language` choice that clears the server's language. */
export const SERVER_DEFAULT_LANGUAGE = 'default';

function isRetakePolicy(value: string): value is RetakePolicy {
  return (RETAKE_POLICIES as readonly string[]).includes(value);
}

/** Reads the change a `/settings` subcommand asks for; null for `view`. */
function changeOf(interaction: ChatInputCommandInteraction): SettingsChange | null {
  const group = interaction.options.getSubcommandGroup(false);
  const sub = interaction.options.getSubcommand(true);
  if (group === 'manager-role') {
    const roleId = interaction.options.getRole('role', true).id;
    return sub === 'add' ? { kind: 'addManagerRole', roleId } : { kind: 'removeManagerRole', roleId };
  }
  if (sub === 'results-channel') {
    return { kind: 'resultsChannel', channelId: interaction.options.getChannel('channel')?.id ?? null };
  }
  if (sub === 'retakes') {
    const policy = interaction.options.getString('policy', true);
    // Discord only sends the declared choices; anything else is an out-of-date client.
    return { kind: 'retakePolicy', policy: isRetakePolicy(policy) ? policy : 'once' };
  }
  if (sub === 'language') {
    const language = interaction.options.getString('language', true);
    // `default`, or a language an out-of-date client still offers: the server's Discord language.
    return { kind: 'language', language: isLocale(language) ? language : null };
  }
  return null;
}

/**
 * `/settings`: results channel, manager roles (by id), retake policy and the language of public
 * posts. Manage Server only.
 */
export function createSettingsCommand(deps: SettingsCommandDeps): Command {
  return {
    definition: new SlashCommandBuilder()
      .setName('settings')
      .setDescription(FROM_CATALOGUE)
      .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
      .setContexts(InteractionContextType.Guild)
      .addSubcommand((sub) => sub.setName('view').setDescription(FROM_CATALOGUE))
      .addSubcommand((sub) =>
        sub
          .setName('results-channel')
          .setDescription(FROM_CATALOGUE)
          .addChannelOption((o) =>
            o
              .setName('channel')
              .setDescription(FROM_CATALOGUE)
              .addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
          ),
      )
      .addSubcommandGroup((group) =>
        group
          .setName('manager-role')
          .setDescription(FROM_CATALOGUE)
          .addSubcommand((sub) =>
            sub
              .setName('add')
              .setDescription(FROM_CATALOGUE)
              .addRoleOption((o) => o.setName('role').setDescription(FROM_CATALOGUE).setRequired(true)),
          )
          .addSubcommand((sub) =>
            sub
              .setName('remove')
              .setDescription(FROM_CATALOGUE)
              .addRoleOption((o) => o.setName('role').setDescription(FROM_CATALOGUE).setRequired(true)),
          ),
      )
      .addSubcommand((sub) =>
        sub
          .setName('retakes')
          .setDescription(FROM_CATALOGUE)
          .addStringOption((o) =>
            o
              .setName('policy')
              .setDescription(FROM_CATALOGUE)
              .setRequired(true)
              .addChoices(
                { name: FROM_CATALOGUE, value: 'once' },
                { name: FROM_CATALOGUE, value: 'unlimited' },
              ),
          ),
      )
      .addSubcommand((sub) =>
        sub
          .setName('language')
          .setDescription(FROM_CATALOGUE)
          .addStringOption((o) =>
            o
              .setName('language')
              .setDescription(FROM_CATALOGUE)
              .setRequired(true)
              // Every language of the catalogue is offered: a new one appears here by itself.
              .addChoices(
                { name: FROM_CATALOGUE, value: SERVER_DEFAULT_LANGUAGE },
                ...LOCALES.map((locale) => ({ name: FROM_CATALOGUE, value: locale })),
              ),
          ),
      )
      .toJSON(),

    execute(interaction): Promise<CommandResult> {
      return withActor(interaction, async (actor) => {
        const change = changeOf(interaction);
        // Replies are ephemeral: in the member's language.
        const t = memberTranslator(interaction);
        const serverLocale = interaction.guildLocale;
        if (change === null) {
          return answerAuthoring(interaction, deps.service.viewSettings(actor), (settings) => ({
            embeds: [renderSettingsEmbed(settings, serverLocale, t)],
          }));
        }
        return answerAuthoring(interaction, deps.service.updateSettings(actor, change), (update) => ({
          content: renderSettingsChanged(change, update.changed, t),
          embeds: [renderSettingsEmbed(update.settings, serverLocale, t)],
        }));
      });
    },
  };
}
