/**
 * `/quiz host` and `/quiz games` (managers) and the buttons of live games
 * (`live-game:answer|start|cancel`). Thin: check, call the LiveGameService, answer politely.
 */
import {
  ChannelType,
  type ChatInputCommandInteraction,
  MessageFlags,
  PermissionFlagsBits,
  type PermissionsBitField,
  type SlashCommandSubcommandBuilder,
} from 'discord.js';
import type { Clock } from '../../clock.js';
import { LIVE_GAME_HANDLER } from '../../components/handlerNames.js';
import type { LiveGameService } from '../../quiz/live/LiveGameService.js';
import { parseStartTime } from '../../quiz/live/startTime.js';
import type { QuizService } from '../../quiz/QuizService.js';
import {
  LIVE_PERMISSIONS,
  type LivePermission,
  renderAnswerAck,
  renderBadStart,
  renderGamesList,
  renderHostError,
  renderHosted,
  renderMissingPermissions,
} from '../../render/liveGame.js';
import { renderAuthoringError } from '../../render/quizAuthoringError.js';
import type { CommandResult, ComponentHandler } from '../Command.js';
import { memberTranslator, serverTranslator } from '../locale.js';
import { FROM_CATALOGUE } from '../localizeCommand.js';
import { replyError, respond } from '../replies.js';
import { actorOf } from './interactionActor.js';

/** What a game needs in its channel; render/liveGame.ts names each as Discord's settings do. */
export const LIVE_GAME_PERMISSIONS: Readonly<Record<LivePermission, bigint>> = {
  viewChannel: PermissionFlagsBits.ViewChannel,
  sendMessages: PermissionFlagsBits.SendMessages,
  embedLinks: PermissionFlagsBits.EmbedLinks,
  readMessageHistory: PermissionFlagsBits.ReadMessageHistory,
};

/** The permissions missing from `permissions` (null: unknown, so all of them), in display order. */
export function missingLivePermissions(permissions: Readonly<PermissionsBitField> | null): LivePermission[] {
  if (!permissions) return [...LIVE_PERMISSIONS];
  return LIVE_PERMISSIONS.filter((p) => !permissions.has(LIVE_GAME_PERMISSIONS[p], true));
}

/**
 * The bot's permissions in the target channel: the interaction's own `app_permissions` when it is
 * the channel the command ran in (exact), otherwise computed from the gateway cache (roles and
 * overwrites). `unknown` when the channel is not a text channel of this guild.
 */
function botPermissions(
  interaction: ChatInputCommandInteraction,
  channelId: string,
): Readonly<PermissionsBitField> | null | 'unknown' {
  if (channelId === interaction.channelId) return interaction.appPermissions;
  const guild = interaction.guild;
  const channel = guild?.channels.cache.get(channelId);
  if (!guild || !channel?.isTextBased()) return 'unknown';
  const me = guild.members.me;
  return me ? channel.permissionsFor(me) : null;
}

export interface LiveSubcommandDeps {
  service: LiveGameService;
  quizzes: QuizService;
  clock: Clock;
}

export interface LiveSubcommands {
  /** Adds `channel` and `starts` after the `quiz` option of `/quiz host`. */
  addHostOptions(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder;
  host(interaction: ChatInputCommandInteraction): Promise<CommandResult>;
  games(interaction: ChatInputCommandInteraction): Promise<CommandResult>;
  components: Record<string, ComponentHandler>;
}

export function createLiveSubcommands(deps: LiveSubcommandDeps): LiveSubcommands {
  const { service, quizzes, clock } = deps;

  /** The guild's settings when the member may manage quizzes; null/false otherwise. */
  async function asManager(interaction: ChatInputCommandInteraction | Parameters<ComponentHandler>[0]) {
    const actor = actorOf(interaction);
    if (!actor) return null;
    const allowed = await quizzes.requireManager(actor);
    return allowed.ok ? allowed.value : false;
  }

  const button: ComponentHandler = async (interaction, customId, ctx) => {
    if (!interaction.inGuild()) return replyError(interaction, { kind: 'guildOnly' });
    const [gameId, optionArg] = customId.args;
    if (gameId === undefined) return replyError(interaction, { kind: 'staleComponent' });
    if (customId.action === 'answer') {
      const optionIndex = optionArg !== undefined && /^\d$/.test(optionArg) ? Number(optionArg) : -1;
      const result = await service.answer({
        gameId,
        userId: interaction.user.id,
        messageId: interaction.message.id,
        optionIndex,
        // When Discord received the click (the router reads it from the interaction id).
        clickedAt: ctx.times.issuedAtMs,
      });
      // Another process runs this game and answers the click itself.
      if (!result.ok && result.reason === 'elsewhere') return undefined;
      await interaction.reply({
        content: renderAnswerAck(result, memberTranslator(interaction)),
        flags: MessageFlags.Ephemeral,
      });
      return result.ok ? undefined : 'rejected';
    }
    if (customId.action === 'start' || customId.action === 'cancel') {
      const t = memberTranslator(interaction);
      const game = service.local(gameId);
      const isHost = game?.hostId === interaction.user.id;
      if (!isHost) {
        const manager = await asManager(interaction);
        if (!manager) {
          await respond(interaction, {
            content: t('live.click.notAllowed'),
            ephemeral: true,
          });
          return 'rejected';
        }
      }
      if (customId.action === 'start') {
        if (!service.startNow(gameId)) {
          await respond(interaction, { content: t('live.click.notWaiting'), ephemeral: true });
          return 'rejected';
        }
        await interaction.deferUpdate();
        return undefined;
      }
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const cancelled = await service.cancel(interaction.guildId, gameId);
      await respond(interaction, {
        content: cancelled ? t('live.click.cancelled') : t('live.click.alreadyOver'),
        ephemeral: true,
      });
      return cancelled ? undefined : 'rejected';
    }
    return replyError(interaction, { kind: 'staleComponent' });
  };

  return {
    addHostOptions(sub) {
      return sub
        .addChannelOption((o) =>
          o
            .setName('channel')
            .setDescription(FROM_CATALOGUE)
            .addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement),
        )
        .addStringOption((o) => o.setName('starts').setDescription(FROM_CATALOGUE).setMaxLength(40));
    },

    async host(interaction) {
      if (!interaction.inGuild()) return replyError(interaction, { kind: 'guildOnly' });
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const settings = await asManager(interaction);
      if (!settings) return replyError(interaction, { kind: 'missingPermission', permission: 'quizManager' });
      // The host reads the replies; the channel reads the game in the server's language.
      const t = memberTranslator(interaction);
      const locale = serverTranslator(settings.language, interaction.guildLocale).locale;
      const channelId = interaction.options.getChannel('channel')?.id ?? interaction.channelId;
      const startsText = interaction.options.getString('starts');
      let startsAt: number | null = null;
      if (startsText !== null) {
        const parsed = parseStartTime(startsText, clock.now());
        if (!parsed.ok) {
          await respond(interaction, { content: renderBadStart(parsed.error, t), ephemeral: true });
          return 'rejected';
        }
        startsAt = parsed.value;
      }
      const permissions = botPermissions(interaction, channelId);
      const missing = permissions === 'unknown' ? [...LIVE_PERMISSIONS] : missingLivePermissions(permissions);
      if (missing.length > 0) {
        await respond(interaction, {
          content: renderMissingPermissions(channelId, missing, t),
          ephemeral: true,
        });
        return 'rejected';
      }
      const quiz = await quizzes.resolveQuiz(
        interaction.guildId,
        interaction.options.getString('quiz', true),
      );
      if (!quiz.ok) {
        await respond(interaction, {
          content: renderAuthoringError(quiz.error, memberTranslator(interaction)),
          ephemeral: true,
        });
        return 'rejected';
      }
      const result = await service.host({
        guildId: interaction.guildId,
        channelId,
        hostId: interaction.user.id,
        quiz: quiz.value,
        startsAt,
        locale,
      });
      if (!result.ok) {
        await respond(interaction, { content: renderHostError(result.error, t), ephemeral: true });
        return 'rejected';
      }
      await respond(interaction, { content: renderHosted(result.game, t), ephemeral: true });
      return undefined;
    },

    async games(interaction) {
      if (!interaction.inGuild()) return replyError(interaction, { kind: 'guildOnly' });
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const manager = await asManager(interaction);
      if (!manager) return replyError(interaction, { kind: 'missingPermission', permission: 'quizManager' });
      const games = await service.listActive(interaction.guildId);
      const out = renderGamesList(games, clock.now(), memberTranslator(interaction));
      await respond(interaction, { embeds: out.embeds, components: out.components, ephemeral: true });
      return undefined;
    },

    components: { [LIVE_GAME_HANDLER]: button },
  };
}
