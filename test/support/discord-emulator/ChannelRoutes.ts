import {
  type APIMessage,
  ChannelType,
  GatewayDispatchEvents,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import { ApiError, ErrorCodes } from './ApiError.js';
import type { EmulatorCore } from './EmulatorCore.js';
import { objectBody } from './httpBody.js';
import {
  type AddRoute,
  EPHEMERAL,
  json,
  MESSAGE_INTENTS,
  type RouteContext,
  type RouteResult,
  SETTABLE_FLAGS,
} from './routing.js';
import { snowflakeAt } from './snowflake.js';
import type { EmulatedChannel, EmulatedGuild, StoredMessage } from './types.js';
import { validateMessageBody } from './validation.js';

/** REST routes of the bot's own resources: gateway info, users, the application, channels, messages, guilds. */
export class ChannelRoutes {
  constructor(private readonly core: EmulatorCore) {}

  /** Gateway, user and application routes (registered before the command routes, as before the split). */
  registerInfo(add: AddRoute): void {
    add('GET', '/gateway', false, () => json(200, { url: this.core.gatewayUrl }));
    add('GET', '/gateway/bot', true, () =>
      json(200, {
        url: this.core.gatewayUrl,
        shards: this.core.shardCount,
        session_start_limit: {
          total: 1000,
          remaining: 999,
          reset_after: 14_400_000,
          max_concurrency: this.core.options.maxConcurrency,
        },
      }),
    );
    add('GET', '/users/@me', true, () => json(200, this.core.botUser));
    add('GET', '/users/:userId', true, (ctx) => {
      const user = this.core.world.users.get(ctx.params.userId ?? '');
      if (!user) throw new ApiError(404, ErrorCodes.UnknownUser, 'Unknown User');
      return json(200, this.core.world.apiUser(user));
    });
    add('POST', '/users/@me/channels', true, (ctx) => {
      const recipientId = String(objectBody(ctx.body).recipient_id ?? '');
      const user = this.core.world.users.get(recipientId);
      if (!user) throw new ApiError(404, ErrorCodes.UnknownUser, 'Unknown User');
      const channel = this.dmChannel(recipientId);
      return json(200, {
        ...(this.core.world.apiChannel(channel) as object),
        recipients: [this.core.world.apiUser(user)],
      });
    });
    add('GET', '/applications/@me', true, () =>
      json(200, {
        id: this.core.applicationId,
        name: this.core.botUser.username,
        icon: null,
        description: '',
        summary: '',
        type: null,
        bot_public: true,
        bot_require_code_grant: false,
        verify_key: '0'.repeat(64),
        flags: 0,
        team: null,
        owner: this.core.world.apiUser(
          this.core.world.users.get(this.firstOwnerId()) ?? this.core.world.botEmulatedUser,
        ),
        bot: this.core.botUser,
        approximate_guild_count: this.core.world.guilds.size,
        integration_types_config: { '0': {} },
        redirect_uris: [],
        interactions_endpoint_url: null,
        tags: [],
      }),
    );
  }

  /** Channel, message and guild routes. */
  register(add: AddRoute): void {
    // Channels and messages.
    add('GET', '/channels/:channelId', true, (ctx) => {
      const channel = this.channelOr404(ctx.params.channelId);
      const position = channel.guildId
        ? (this.core.world.guilds.get(channel.guildId)?.channels.indexOf(channel) ?? 0)
        : 0;
      return json(200, this.core.world.apiChannel(channel, position));
    });
    add('POST', '/channels/:channelId/messages', true, (ctx) => this.createChannelMessage(ctx));
    add('GET', '/channels/:channelId/messages', true, (ctx) => {
      this.channelOr404(ctx.params.channelId);
      const limit = Math.min(100, Number(ctx.query.limit ?? 50) || 50);
      const list = this.core.world
        .channelMessages(ctx.params.channelId ?? '')
        .map((s) => s.message)
        .filter((m) => ((m.flags ?? 0) & EPHEMERAL) === 0);
      return json(200, list.slice(-limit).reverse());
    });
    add('GET', '/channels/:channelId/messages/:messageId', true, (ctx) =>
      json(200, this.channelMessageOr404(ctx).message),
    );
    add('PATCH', '/channels/:channelId/messages/:messageId', true, (ctx) => {
      const stored = this.channelMessageOr404(ctx);
      const body = objectBody(ctx.body);
      validateMessageBody(body, ctx.files.length, false);
      this.core.world.applyEdit(stored, body, this.core.world.attachmentsFor(ctx.files));
      this.messageChanged(stored, GatewayDispatchEvents.MessageUpdate);
      return json(200, stored.message);
    });
    add('DELETE', '/channels/:channelId/messages/:messageId', true, (ctx) => {
      const stored = this.channelMessageOr404(ctx);
      stored.deleted = true;
      this.messageChanged(stored, GatewayDispatchEvents.MessageDelete);
      return json(204);
    });
    add('POST', '/channels/:channelId/typing', true, (ctx) => {
      this.channelOr404(ctx.params.channelId);
      return json(204);
    });
    add('PUT', '/channels/:channelId/messages/:messageId/reactions/:emoji/@me', true, (ctx) => {
      this.channelMessageOr404(ctx);
      return json(204);
    });

    // Guilds.
    add('GET', '/guilds/:guildId', true, (ctx) =>
      json(200, this.core.world.apiGuild(this.guildOr404(ctx.params.guildId))),
    );
    add('GET', '/guilds/:guildId/channels', true, (ctx) => {
      const guild = this.guildOr404(ctx.params.guildId);
      return json(
        200,
        guild.channels.map((c, i) => this.core.world.apiChannel(c, i)),
      );
    });
    add('GET', '/guilds/:guildId/roles', true, (ctx) => {
      const guild = this.guildOr404(ctx.params.guildId);
      return json(
        200,
        guild.roles.map((r, i) => this.core.world.apiRole(r, i)),
      );
    });
    add('GET', '/guilds/:guildId/members/:userId', true, (ctx) => {
      const guild = this.guildOr404(ctx.params.guildId);
      const member = guild.members.find((m) => m.user.id === ctx.params.userId);
      if (!member) throw new ApiError(404, ErrorCodes.UnknownMember, 'Unknown Member');
      return json(200, this.core.world.apiMember(guild, member));
    });
    add('GET', '/guilds/:guildId/members', true, (ctx) => {
      const guild = this.guildOr404(ctx.params.guildId);
      const limit = Math.min(1000, Number(ctx.query.limit ?? 1) || 1);
      return json(
        200,
        guild.members.slice(0, limit).map((m) => this.core.world.apiMember(guild, m)),
      );
    });
  }

  dmChannel(userId: string): EmulatedChannel {
    const name = `dm-${userId}`;
    let channel = [...this.core.world.channels.values()].find((c) => c.guildId === null && c.name === name);
    if (!channel) {
      channel = { id: snowflakeAt(), guildId: null, name, type: ChannelType.DM, botCanSend: true };
      this.core.world.channels.set(channel.id, channel);
    }
    return channel;
  }

  private firstOwnerId(): string {
    return [...this.core.world.guilds.values()][0]?.ownerId ?? this.core.applicationId;
  }

  private guildOr404(guildId: string | undefined): EmulatedGuild {
    const guild = guildId ? this.core.world.guilds.get(guildId) : undefined;
    if (!guild) throw new ApiError(404, ErrorCodes.UnknownGuild, 'Unknown Guild');
    return guild;
  }

  private channelOr404(channelId: string | undefined) {
    const channel = channelId ? this.core.world.channels.get(channelId) : undefined;
    if (!channel) throw new ApiError(404, ErrorCodes.UnknownChannel, 'Unknown Channel');
    if (channel.botDeny && (channel.botDeny & PermissionFlagsBits.ViewChannel) !== 0n)
      throw new ApiError(403, ErrorCodes.MissingAccess, 'Missing Access');
    return channel;
  }

  private channelMessageOr404(ctx: RouteContext): StoredMessage {
    this.channelOr404(ctx.params.channelId);
    const stored = this.core.world.messages.get(ctx.params.messageId ?? '');
    if (!stored || stored.deleted || stored.message.channel_id !== ctx.params.channelId) {
      throw new ApiError(404, ErrorCodes.UnknownMessage, 'Unknown Message');
    }
    return stored;
  }

  private createChannelMessage(ctx: RouteContext): RouteResult {
    const channel = this.channelOr404(ctx.params.channelId);
    const denied = channel.botDeny ?? 0n;
    if (!channel.botCanSend || (denied & PermissionFlagsBits.SendMessages) !== 0n)
      throw new ApiError(403, ErrorCodes.MissingPermissions, 'Missing Permissions');
    const body = objectBody(ctx.body);
    validateMessageBody(body, ctx.files.length, true);
    const flags = (typeof body.flags === 'number' ? body.flags : 0) & SETTABLE_FLAGS & ~EPHEMERAL;
    const message = this.core.world.buildBotMessage({
      channelId: channel.id,
      guildId: channel.guildId,
      type: body.message_reference ? 19 : 0,
      body,
      attachments: this.core.world.attachmentsFor(ctx.files),
      flags,
    });
    if (body.message_reference) {
      message.message_reference = body.message_reference as APIMessage['message_reference'];
    }
    const stored: StoredMessage = {
      message,
      guildId: channel.guildId,
      files: ctx.files,
      allowedMentions: body.allowed_mentions as Record<string, unknown> | undefined,
      via: 'channel',
      deleted: false,
    };
    this.core.world.insertMessage(stored);
    this.messageChanged(stored, GatewayDispatchEvents.MessageCreate);
    return json(200, message);
  }

  /** Emits 'message' and dispatches MESSAGE_* to sessions with the GuildMessages intent (never for ephemeral). */
  messageChanged(stored: StoredMessage, t: GatewayDispatchEvents): void {
    this.core.events.emit('message', stored);
    if (((stored.message.flags ?? 0) & EPHEMERAL) !== 0 || !stored.guildId) return;
    const d =
      t === GatewayDispatchEvents.MessageDelete
        ? { id: stored.message.id, channel_id: stored.message.channel_id, guild_id: stored.guildId }
        : { ...stored.message, guild_id: stored.guildId };
    this.core.gateway.dispatch(t, d, { guildId: stored.guildId, intent: MESSAGE_INTENTS });
  }
}
