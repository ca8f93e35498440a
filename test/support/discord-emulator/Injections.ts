import {
  type APIApplicationCommandAutocompleteGuildInteraction,
  type APIApplicationCommandInteractionDataOption,
  type APIChatInputApplicationCommandDMInteraction,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIInteraction,
  type APIInteractionDataResolved,
  type APIMessageComponentGuildInteraction,
  type APIModalSubmitGuildInteraction,
  ApplicationCommandOptionType,
  ChannelType,
  ComponentType,
  GatewayDispatchEvents,
  InteractionType,
  type Locale,
} from 'discord-api-types/v10';
import { watchInteractionToken } from '../logLeaks.js';
import type { ChannelRoutes } from './ChannelRoutes.js';
import type { CommandRoutes } from './CommandRoutes.js';
import type { EmulatorCore } from './EmulatorCore.js';
import { InteractionRecord } from './InteractionRecord.js';
import { snowflakeAt, snowflakeTimestamp } from './snowflake.js';
import type {
  AutocompleteInjection,
  ChatInputInjection,
  ComponentInjection,
  DirectMessageCommandInjection,
  InteractionHandle,
  ModalSubmitInjection,
} from './types.js';
import { newInteractionToken } from './World.js';

/** Builds interaction payloads as Discord would (slash commands, components, modals, autocomplete, DMs) and dispatches them. */
export class Injections {
  constructor(
    private readonly core: EmulatorCore,
    private readonly channels: ChannelRoutes,
    private readonly commandRoutes: CommandRoutes,
  ) {}

  /** Injects a slash command (type 2) from a member; dispatched to the guild's shard. */
  injectChatInput(input: ChatInputInjection): InteractionHandle {
    const command = this.commandRoutes.findCommand(input.name, input.guildId);
    const options = input.options ?? [];
    const resolved = this.resolveOptions(input.guildId, options);
    const base = this.interactionBase(
      input.guildId,
      input.channelId,
      input.userId,
      input.locale,
      input.createdAt,
    );
    const payload: APIChatInputApplicationCommandGuildInteraction = {
      ...base,
      type: InteractionType.ApplicationCommand,
      data: {
        id: command.id,
        name: command.name,
        type: 1,
        ...(command.guild_id ? { guild_id: command.guild_id } : {}),
        options,
        ...(resolved ? { resolved } : {}),
      },
      ...(input.attachmentSizeLimit !== undefined
        ? { attachment_size_limit: input.attachmentSizeLimit }
        : {}),
    };
    return this.deliver(payload, input.guildId, input.channelId, undefined);
  }

  /** Injects a button click / select on a stored message (the bot's reply or any bot message). */
  injectComponent(input: ComponentInjection): InteractionHandle {
    const stored = this.core.world.messages.get(input.messageId);
    if (!stored || stored.deleted) throw new Error(`DiscordEmulator: unknown message ${input.messageId}`);
    const guildId = input.guildId ?? stored.guildId;
    if (!guildId)
      throw new Error('DiscordEmulator: component interactions need a guild (DMs are not emulated)');
    const channelId = input.channelId ?? stored.message.channel_id;
    const componentType =
      input.componentType ?? (input.values ? ComponentType.StringSelect : ComponentType.Button);
    const base = this.interactionBase(guildId, channelId, input.userId, input.locale, input.createdAt);
    const payload = {
      ...base,
      type: InteractionType.MessageComponent,
      message: structuredClone(stored.message),
      data: {
        custom_id: input.customId,
        component_type: componentType,
        ...(input.values ? { values: input.values } : {}),
      },
    } as APIMessageComponentGuildInteraction; // data is a union over component types; built generically here
    return this.deliver(payload, guildId, channelId, stored.message.id);
  }

  /** Injects a modal submit (type 5) with text input values. */
  injectModalSubmit(input: ModalSubmitInjection): InteractionHandle {
    const source = input.messageId ? this.core.world.messages.get(input.messageId) : undefined;
    if (input.messageId && !source) throw new Error(`DiscordEmulator: unknown message ${input.messageId}`);
    const base = this.interactionBase(input.guildId, input.channelId, input.userId, input.locale);
    const payload: APIModalSubmitGuildInteraction = {
      ...base,
      type: InteractionType.ModalSubmit,
      ...(source ? { message: structuredClone(source.message) } : {}),
      data: {
        custom_id: input.customId,
        components: Object.entries(input.fields).map(([customId, value]) => ({
          type: ComponentType.ActionRow,
          components: [{ type: ComponentType.TextInput, custom_id: customId, value }],
        })),
      },
    };
    return this.deliver(payload, input.guildId, input.channelId, source?.message.id);
  }

  /** Injects an autocomplete request (type 4); one option must have `focused: true`. */
  injectAutocomplete(input: AutocompleteInjection): InteractionHandle {
    const command = this.commandRoutes.findCommand(input.name, input.guildId);
    const base = this.interactionBase(input.guildId, input.channelId, input.userId, input.locale);
    const payload = {
      ...base,
      type: InteractionType.ApplicationCommandAutocomplete,
      data: {
        id: command.id,
        name: command.name,
        type: 1,
        ...(command.guild_id ? { guild_id: command.guild_id } : {}),
        options: input.options,
      },
    } as APIApplicationCommandAutocompleteGuildInteraction; // focused options are typed loosely by design
    return this.deliver(payload, input.guildId, input.channelId, undefined);
  }

  /**
   * Injects a slash command used in the bot's DMs (`user` instead of `member`, no guild_id,
   * context 1, dispatched to shard 0). Only global commands allowed in DMs can be used there.
   */
  injectDirectMessageCommand(input: DirectMessageCommandInjection): InteractionHandle {
    const user = this.core.world.users.get(input.userId);
    if (!user) throw new Error(`DiscordEmulator: unknown user ${input.userId} (use addUser or addMember)`);
    const command = this.core.commands.get('global')?.find((c) => c.name === input.name && c.type === 1);
    if (!command) throw new Error(`DiscordEmulator: global command '${input.name}' is not registered`);
    const inDms = command.contexts ? command.contexts.includes(1) : command.dm_permission !== false;
    if (!inDms) throw new Error(`DiscordEmulator: command '${input.name}' is not available in DMs`);
    const channel = this.channels.dmChannel(user.id);
    const options = input.options ?? [];
    const resolved = this.resolveOptions(null, options);
    const payload: APIChatInputApplicationCommandDMInteraction = {
      id: snowflakeAt(),
      application_id: this.core.applicationId,
      type: InteractionType.ApplicationCommand,
      token: newInteractionToken(),
      version: 1,
      channel: {
        id: channel.id,
        type: ChannelType.DM,
      } as APIChatInputApplicationCommandDMInteraction['channel'],
      channel_id: channel.id,
      user: this.core.world.apiUser(user),
      app_permissions: this.core.world.botChannelPermissions(channel).toString(),
      locale: (input.locale ?? user.locale) as Locale,
      entitlements: [],
      authorizing_integration_owners: { '0': '0' },
      context: 1,
      attachment_size_limit: 10 * 1024 * 1024,
      data: { id: command.id, name: command.name, type: 1, options, ...(resolved ? { resolved } : {}) },
    };
    return this.deliver(payload, null, channel.id, undefined);
  }

  private interactionBase(
    guildId: string,
    channelId: string,
    userId: string,
    locale: string | undefined,
    createdAt?: number,
  ): Omit<APIChatInputApplicationCommandGuildInteraction, 'type' | 'data'> {
    const guild = this.core.world.requireGuild(guildId);
    const member = this.core.world.requireMember(guildId, userId);
    const channel = guild.channels.find((c) => c.id === channelId);
    if (!channel) throw new Error(`DiscordEmulator: channel ${channelId} is not in guild ${guildId}`);
    return {
      id: snowflakeAt(createdAt),
      application_id: this.core.applicationId,
      token: newInteractionToken(),
      version: 1,
      guild_id: guildId,
      guild: { id: guildId, locale: guild.locale as Locale, features: [] },
      channel: {
        id: channelId,
        type: channel.type,
        name: channel.name,
        guild_id: guildId,
      } as APIChatInputApplicationCommandGuildInteraction['channel'],
      channel_id: channelId,
      member: this.core.world.interactionMember(guild, member),
      app_permissions: this.core.world.botChannelPermissions(channel).toString(),
      locale: (locale ?? member.user.locale) as Locale,
      guild_locale: guild.locale as Locale,
      entitlements: [],
      authorizing_integration_owners: { '0': guildId },
      context: 0,
      attachment_size_limit: 10 * 1024 * 1024,
    };
  }

  private resolveOptions(
    guildId: string | null,
    options: APIApplicationCommandInteractionDataOption[],
  ): APIInteractionDataResolved | undefined {
    const resolved: APIInteractionDataResolved = {};
    const guild = guildId ? this.core.world.requireGuild(guildId) : undefined;
    const visit = (list: APIApplicationCommandInteractionDataOption[]): void => {
      for (const option of list) {
        if ('options' in option && Array.isArray(option.options)) visit(option.options);
        if (!('value' in option)) continue;
        const value = String(option.value);
        const asUser = (): boolean => {
          const user = this.core.world.users.get(value);
          if (!user) return false;
          resolved.users = { ...resolved.users, [value]: this.core.world.apiUser(user) };
          const member = guild ? this.core.world.member(guild.id, value) : undefined;
          if (guild && member) {
            const { user: _user, ...rest } = this.core.world.interactionMember(guild, member);
            resolved.members = { ...resolved.members, [value]: rest };
          }
          return true;
        };
        const asRole = (): boolean => {
          if (!guild) return false;
          const index = guild.roles.findIndex((r) => r.id === value);
          const role = guild.roles[index];
          if (!role) return false;
          resolved.roles = { ...resolved.roles, [value]: this.core.world.apiRole(role, index) };
          return true;
        };
        switch (option.type) {
          case ApplicationCommandOptionType.User:
            asUser();
            break;
          case ApplicationCommandOptionType.Role:
            asRole();
            break;
          case ApplicationCommandOptionType.Mentionable:
            if (!asUser()) asRole();
            break;
          case ApplicationCommandOptionType.Channel: {
            const channel = this.core.world.channels.get(value);
            if (channel) {
              resolved.channels = {
                ...resolved.channels,
                [value]: {
                  id: channel.id,
                  name: channel.name,
                  type: channel.type,
                  permissions: this.core.world.botChannelPermissions(channel).toString(),
                } as NonNullable<APIInteractionDataResolved['channels']>[string],
              };
            }
            break;
          }
          case ApplicationCommandOptionType.Attachment: {
            const stored = this.core.world.attachments.get(value);
            if (!stored) throw new Error(`DiscordEmulator: attachment ${value} unknown (use addAttachment)`);
            resolved.attachments = { ...resolved.attachments, [value]: stored.attachment };
            break;
          }
          default:
            break;
        }
      }
    };
    visit(options);
    return Object.keys(resolved).length > 0 ? resolved : undefined;
  }

  private deliver(
    payload: APIInteraction,
    guildId: string | null,
    channelId: string,
    sourceMessageId: string | undefined,
  ): InteractionRecord {
    const record = new InteractionRecord(
      payload.id,
      payload.token,
      payload.type,
      snowflakeTimestamp(payload.id), // the deadline counts from the id's time, as the bot sees it
      payload,
      guildId,
      channelId,
      sourceMessageId,
      (id) => {
        const stored = this.core.world.messages.get(id);
        return stored && !stored.deleted ? stored.message : undefined;
      },
    );
    this.core.interactions.set(record.id, record);
    this.core.interactionsByToken.set(record.token, record);
    watchInteractionToken(record.token); // must never reach a bot's log
    record.deliveredTo = this.core.gateway.dispatch(GatewayDispatchEvents.InteractionCreate, payload, {
      ...(guildId ? { guildId } : { shard: 0 }), // DMs arrive on shard 0
    });
    return record;
  }
}
