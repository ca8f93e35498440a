import { randomBytes } from 'node:crypto';
import {
  type APIAttachment,
  type APIChannel,
  type APIGuild,
  type APIGuildMember,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIRole,
  type APIUser,
  ChannelType,
  type GatewayGuildCreateDispatchData,
  type GuildMemberFlags,
  type GuildSystemChannelFlags,
  PermissionFlagsBits,
  type RoleFlags,
  type UserFlags,
} from 'discord-api-types/v10';
import { watchUserId } from '../logLeaks.js';
import { snowflakeAt } from './snowflake.js';
import type {
  EmulatedChannel,
  EmulatedGuild,
  EmulatedMember,
  EmulatedRole,
  EmulatedUser,
  StoredMessage,
  UploadedFile,
} from './types.js';

/** Every permission bit Discord defines. */
export const ALL_PERMISSIONS: bigint = Object.values(PermissionFlagsBits).reduce((acc, bit) => acc | bit, 0n);
/** @everyone defaults in a new guild (view, send, history, embed, attach, reactions, slash commands…). */
export const EVERYONE_DEFAULT_PERMISSIONS: bigint =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.CreateInstantInvite |
  PermissionFlagsBits.ChangeNickname |
  PermissionFlagsBits.Connect |
  PermissionFlagsBits.Speak;

export interface StoredAttachment {
  attachment: APIAttachment;
  content: Buffer;
}

/** A random base64url interaction token, like Discord's (never needs percent-encoding). */
export function newInteractionToken(): string {
  return `aW50ZXJhY3Rpb24${randomBytes(48).toString('base64url')}`;
}

/** The emulator's world model: application, users, guilds, channels, messages, attachments. */
export class World {
  readonly users = new Map<string, EmulatedUser>();
  readonly guilds = new Map<string, EmulatedGuild>();
  readonly channels = new Map<string, EmulatedChannel>();
  readonly messages = new Map<string, StoredMessage>();
  readonly channelMessageIds = new Map<string, string[]>();
  readonly attachments = new Map<string, StoredAttachment>();
  readonly botUser: APIUser;
  readonly botEmulatedUser: EmulatedUser;

  constructor(
    readonly applicationId: string,
    botUsername: string,
    private readonly baseUrl: () => string,
  ) {
    this.botEmulatedUser = {
      id: applicationId,
      username: botUsername,
      globalName: null,
      bot: true,
      locale: 'en-US',
    };
    this.users.set(applicationId, this.botEmulatedUser);
    this.botUser = this.apiUser(this.botEmulatedUser);
  }

  // ── users / guilds ──────────────────────────────────────────────────────

  ensureUser(input: {
    id?: string;
    locale?: string;
    username: string;
    globalName?: string | null;
    bot?: boolean;
  }): EmulatedUser {
    const existing = input.id ? this.users.get(input.id) : undefined;
    if (existing) return existing;
    const user: EmulatedUser = {
      id: input.id ?? snowflakeAt(),
      username: input.username,
      globalName: input.globalName ?? null,
      bot: input.bot ?? false,
      locale: input.locale ?? 'en-US',
    };
    this.users.set(user.id, user);
    if (!user.bot) watchUserId(user.id, user.username); // a member's raw id must never reach a log
    return user;
  }

  requireGuild(guildId: string): EmulatedGuild {
    const guild = this.guilds.get(guildId);
    if (!guild) throw new Error(`DiscordEmulator: unknown guild ${guildId} (add it with addGuild)`);
    return guild;
  }

  requireChannel(channelId: string): EmulatedChannel {
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`DiscordEmulator: unknown channel ${channelId}`);
    return channel;
  }

  member(guildId: string, userId: string): EmulatedMember | undefined {
    return this.guilds.get(guildId)?.members.find((m) => m.user.id === userId);
  }

  requireMember(guildId: string, userId: string): EmulatedMember {
    const member = this.member(guildId, userId);
    if (!member) {
      throw new Error(`DiscordEmulator: user ${userId} is not a member of guild ${guildId} (use addMember)`);
    }
    return member;
  }

  /** Permissions as Discord computes them at guild level (owner and Administrator → all). */
  memberPermissions(guild: EmulatedGuild, member: EmulatedMember): bigint {
    if (member.permissionsOverride !== undefined) return member.permissionsOverride;
    if (guild.ownerId === member.user.id) return ALL_PERMISSIONS;
    let perms = guild.roles.find((r) => r.id === guild.id)?.permissions ?? 0n;
    for (const roleId of member.roles) {
      perms |= guild.roles.find((r) => r.id === roleId)?.permissions ?? 0n;
    }
    return (perms & PermissionFlagsBits.Administrator) !== 0n ? ALL_PERMISSIONS : perms;
  }

  /** The bot's permissions in a channel: everything but Administrator, minus Send when denied, minus `botDeny`. */
  botChannelPermissions(channel: EmulatedChannel | undefined): bigint {
    let perms = ALL_PERMISSIONS & ~PermissionFlagsBits.Administrator;
    if (channel && !channel.botCanSend) {
      perms &= ~(PermissionFlagsBits.SendMessages | PermissionFlagsBits.SendMessagesInThreads);
    }
    if (channel?.botDeny) perms &= ~channel.botDeny;
    return perms;
  }

  // ── payload builders ────────────────────────────────────────────────────

  apiUser(user: EmulatedUser): APIUser {
    return {
      id: user.id,
      username: user.username,
      discriminator: '0',
      global_name: user.globalName,
      avatar: null,
      bot: user.bot,
      system: false,
      mfa_enabled: false,
      banner: null,
      accent_color: null,
      locale: user.locale as APIUser['locale'],
      verified: true,
      flags: 0 as UserFlags,
      premium_type: 0,
      public_flags: 0 as UserFlags,
      avatar_decoration_data: null,
    };
  }

  apiRole(role: EmulatedRole, position: number): APIRole {
    return {
      id: role.id,
      name: role.name,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position,
      permissions: role.permissions.toString(),
      managed: false,
      mentionable: false,
      flags: 0 as RoleFlags,
    };
  }

  apiChannel(channel: EmulatedChannel, position = 0): APIChannel {
    if (channel.guildId === null) {
      return {
        id: channel.id,
        type: ChannelType.DM,
        last_message_id: null,
        recipients: [],
        flags: 0,
        name: null,
      } as unknown as APIChannel; // DM recipients are filled by the caller when it knows the user
    }
    return {
      id: channel.id,
      type: channel.type,
      guild_id: channel.guildId,
      name: channel.name,
      position,
      // The bot's own overwrite, so a client computes the same channel permissions from its cache.
      permission_overwrites: channel.botDeny
        ? [{ id: this.applicationId, type: 1, allow: '0', deny: channel.botDeny.toString() }]
        : [],
      nsfw: false,
      topic: null,
      last_message_id: null,
      rate_limit_per_user: 0,
      parent_id: null,
      flags: 0,
    } as unknown as APIChannel; // one shape serves every guild channel type the tests use (text, voice, category)
  }

  apiMember(guild: EmulatedGuild, member: EmulatedMember): APIGuildMember {
    return {
      user: this.apiUser(member.user),
      nick: member.nick,
      avatar: null,
      banner: null,
      roles: [...member.roles],
      joined_at: member.joinedAt,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0 as GuildMemberFlags,
      pending: false,
      communication_disabled_until: null,
      ...(guild.ownerId === member.user.id ? {} : {}),
    };
  }

  interactionMember(guild: EmulatedGuild, member: EmulatedMember): APIInteractionGuildMember {
    return {
      ...this.apiMember(guild, member),
      user: this.apiUser(member.user),
      permissions: this.memberPermissions(guild, member).toString(),
    };
  }

  apiGuild(guild: EmulatedGuild): APIGuild {
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: guild.ownerId,
      region: 'us-east',
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      widget_channel_id: null,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: guild.roles.map((r, i) => this.apiRole(r, i)),
      emojis: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: guild.channels[0]?.id ?? null,
      system_channel_flags: 0 as GuildSystemChannelFlags,
      rules_channel_id: null,
      max_presences: null,
      max_members: 500000,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: guild.locale as APIGuild['preferred_locale'],
      public_updates_channel_id: null,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      approximate_member_count: guild.members.length,
      approximate_presence_count: 0,
      nsfw_level: 0,
      stickers: [],
      premium_progress_bar_enabled: false,
      hub_type: null,
      safety_alerts_channel_id: null,
      incidents_data: null,
    };
  }

  guildCreate(guild: EmulatedGuild): GatewayGuildCreateDispatchData {
    const botMember = guild.members.find((m) => m.user.id === this.applicationId);
    return {
      ...this.apiGuild(guild),
      joined_at: botMember?.joinedAt ?? new Date().toISOString(),
      large: false,
      unavailable: false, // required: a guild first seen in READY stays unavailable without it
      member_count: guild.members.length,
      voice_states: [],
      members: botMember ? [this.apiMember(guild, botMember)] : [],
      channels: guild.channels.map(
        (c, i) => this.apiChannel(c, i) as GatewayGuildCreateDispatchData['channels'][number],
      ),
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  // ── messages / attachments ──────────────────────────────────────────────

  storeAttachment(name: string, content: Buffer, contentType: string): APIAttachment {
    const id = snowflakeAt();
    const attachment: APIAttachment = {
      id,
      filename: name,
      size: content.length,
      url: `${this.baseUrl()}/attachments/${id}/${encodeURIComponent(name)}`,
      proxy_url: `${this.baseUrl()}/attachments/${id}/${encodeURIComponent(name)}`,
      content_type: contentType,
    };
    this.attachments.set(id, { attachment, content });
    return attachment;
  }

  attachmentsFor(files: UploadedFile[]): APIAttachment[] {
    return files.map((f) => this.storeAttachment(f.name, f.content, f.contentType));
  }

  insertMessage(stored: StoredMessage): void {
    this.messages.set(stored.message.id, stored);
    const list = this.channelMessageIds.get(stored.message.channel_id) ?? [];
    list.push(stored.message.id);
    this.channelMessageIds.set(stored.message.channel_id, list);
  }

  channelMessages(channelId: string): StoredMessage[] {
    const ids = this.channelMessageIds.get(channelId) ?? [];
    const result: StoredMessage[] = [];
    for (const id of ids) {
      const stored = this.messages.get(id);
      if (stored && !stored.deleted) result.push(stored);
    }
    return result;
  }

  /** A message authored by the bot (fields discord.js needs, per the reference §3). */
  buildBotMessage(fields: {
    channelId: string;
    guildId: string | null;
    type: number;
    body: Record<string, unknown>;
    attachments: APIAttachment[];
    flags: number;
    webhook?: boolean;
    interactionMetadata?: APIMessage['interaction_metadata'];
  }): APIMessage {
    const { body } = fields;
    const message: APIMessage & { guild_id?: string } = {
      id: snowflakeAt(),
      type: fields.type,
      channel_id: fields.channelId,
      author: this.botUser,
      content: typeof body.content === 'string' ? body.content : '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: body.tts === true,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: fields.attachments,
      embeds: Array.isArray(body.embeds) ? (body.embeds as APIMessage['embeds']) : [],
      components: Array.isArray(body.components) ? (body.components as APIMessage['components']) : [],
      pinned: false,
      flags: fields.flags,
      ...(fields.guildId ? { guild_id: fields.guildId } : {}),
      ...(fields.webhook ? { webhook_id: this.applicationId, application_id: this.applicationId } : {}),
      ...(fields.interactionMetadata ? { interaction_metadata: fields.interactionMetadata } : {}),
    };
    return message;
  }

  /** PATCH semantics: only fields present in the body change. */
  applyEdit(stored: StoredMessage, body: Record<string, unknown>, newAttachments: APIAttachment[]): void {
    const message = stored.message;
    stored.history = [...(stored.history ?? []), structuredClone(message)];
    if ('content' in body) message.content = typeof body.content === 'string' ? body.content : '';
    if ('embeds' in body)
      message.embeds = Array.isArray(body.embeds) ? (body.embeds as APIMessage['embeds']) : [];
    if ('components' in body) {
      message.components = Array.isArray(body.components)
        ? (body.components as APIMessage['components'])
        : [];
    }
    if (Array.isArray(body.attachments)) {
      const keep = new Set(
        (body.attachments as Array<{ id?: unknown }>).map((a) => String(a.id ?? '')).filter((id) => id),
      );
      message.attachments = message.attachments.filter((a) => keep.has(a.id));
    }
    message.attachments = [...message.attachments, ...newAttachments];
    if ('allowed_mentions' in body) stored.allowedMentions = body.allowed_mentions as Record<string, unknown>;
    message.edited_timestamp = new Date().toISOString();
  }
}
