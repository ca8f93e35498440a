import { type APIAttachment, ChannelType, GatewayDispatchEvents } from 'discord-api-types/v10';
import type { EmulatorCore } from './EmulatorCore.js';
import { DISCORD_EPOCH, snowflakeAt } from './snowflake.js';
import type {
  EmulatedChannel,
  EmulatedGuild,
  EmulatedMember,
  EmulatedRole,
  GuildInput,
  MemberInput,
  RoleInput,
} from './types.js';
import { EVERYONE_DEFAULT_PERMISSIONS } from './World.js';

/** Test-side changes to the world (guilds, roles, members, channels, attachments) and their gateway events. */
export class WorldControls {
  constructor(private readonly core: EmulatorCore) {}

  /** Adds a guild (with @everyone role and the bot as member); GUILD_CREATE to its shard if connected. */
  addGuild(input: GuildInput): EmulatedGuild {
    let id = input.id ?? snowflakeAt();
    if (input.id === undefined && input.shard !== undefined) {
      if (input.shard < 0 || input.shard >= this.core.shardCount)
        throw new Error(`DiscordEmulator: no shard ${input.shard}`);
      // Step the timestamp back (< shardCount ms) so that (id >> 22) % shardCount === shard.
      const t = Date.now() - Number(DISCORD_EPOCH);
      id = snowflakeAt(
        Number(DISCORD_EPOCH) +
          t -
          ((((t - input.shard) % this.core.shardCount) + this.core.shardCount) % this.core.shardCount),
      );
    }
    if (this.core.world.guilds.has(id)) throw new Error(`DiscordEmulator: guild ${id} already exists`);
    const owner = input.ownerId
      ? (this.core.world.users.get(input.ownerId) ??
        this.core.world.ensureUser({ id: input.ownerId, username: 'owner' }))
      : this.core.world.ensureUser({ username: 'owner' });
    const guild: EmulatedGuild = {
      id,
      name: input.name,
      ownerId: owner.id,
      locale: input.locale ?? 'en-US',
      channels: [],
      roles: [{ id, name: '@everyone', permissions: EVERYONE_DEFAULT_PERMISSIONS }],
      members: [],
    };
    const now = new Date().toISOString();
    guild.members.push({ user: owner, roles: [], permissionsOverride: undefined, nick: null, joinedAt: now });
    guild.members.push({
      user: this.core.world.botEmulatedUser,
      roles: [],
      permissionsOverride: undefined,
      nick: null,
      joinedAt: now,
    });
    for (const c of input.channels ?? [{ name: 'general' }]) {
      const channel = {
        id: c.id ?? snowflakeAt(),
        guildId: id,
        name: c.name,
        type: c.type ?? ChannelType.GuildText,
        botCanSend: true,
      };
      guild.channels.push(channel);
      this.core.world.channels.set(channel.id, channel);
    }
    this.core.world.guilds.set(id, guild);
    this.core.gateway.dispatch(GatewayDispatchEvents.GuildCreate, this.core.world.guildCreate(guild), {
      guildId: id,
    });
    return guild;
  }

  /** The bot leaves (or is removed from) a guild: GUILD_DELETE to its shard; its channels go too. */
  removeGuild(guildId: string): void {
    const guild = this.core.world.requireGuild(guildId);
    this.core.world.guilds.delete(guildId);
    for (const c of guild.channels) this.core.world.channels.delete(c.id);
    this.core.commands.delete(guildId);
    this.core.gateway.dispatch(GatewayDispatchEvents.GuildDelete, { id: guildId }, { guildId });
  }

  /** Changes a guild and sends GUILD_UPDATE to its shard (queued for replay when disconnected). */
  updateGuild(guildId: string, patch: { name?: string; locale?: string }): EmulatedGuild {
    const guild = this.core.world.requireGuild(guildId);
    if (patch.name !== undefined) guild.name = patch.name;
    if (patch.locale !== undefined) guild.locale = patch.locale;
    this.core.gateway.dispatch(GatewayDispatchEvents.GuildUpdate, this.core.world.apiGuild(guild), {
      guildId,
    });
    return guild;
  }

  guild(guildId: string): EmulatedGuild | undefined {
    return this.core.world.guilds.get(guildId);
  }

  addRole(guildId: string, input: RoleInput): EmulatedRole {
    const guild = this.core.world.requireGuild(guildId);
    const role: EmulatedRole = {
      id: input.id ?? snowflakeAt(),
      name: input.name,
      permissions: BigInt(input.permissions),
    };
    guild.roles.push(role);
    return role;
  }

  /** Adds a member (and its user). `permissions` overrides the payload's `member.permissions`. */
  addMember(guildId: string, input: MemberInput): EmulatedMember {
    const guild = this.core.world.requireGuild(guildId);
    const user = this.core.world.ensureUser(input.user);
    const existing = guild.members.find((m) => m.user.id === user.id);
    if (existing) throw new Error(`DiscordEmulator: user ${user.id} is already a member of ${guildId}`);
    for (const roleId of input.roles ?? []) {
      if (!guild.roles.some((r) => r.id === roleId))
        throw new Error(`DiscordEmulator: unknown role ${roleId}`);
    }
    const member: EmulatedMember = {
      user,
      roles: [...(input.roles ?? [])],
      permissionsOverride: input.permissions === undefined ? undefined : BigInt(input.permissions),
      nick: input.nick ?? null,
      joinedAt: new Date().toISOString(),
    };
    guild.members.push(member);
    return member;
  }

  /**
   * botCanSend:false → the bot's POST /channels/:id/messages answers 403 {code:50013}.
   * `botDeny` → a member overwrite denying the bot these bits (CHANNEL_UPDATE is sent, so the bot's
   * cache sees it): without View Channel every channel route answers 403 50001, without Send
   * Messages a POST answers 403 50013.
   */
  setChannelPermissions(channelId: string, perms: { botCanSend?: boolean; botDeny?: bigint }): void {
    const channel = this.core.world.requireChannel(channelId);
    if (perms.botCanSend !== undefined) channel.botCanSend = perms.botCanSend;
    if (perms.botDeny !== undefined) {
      channel.botDeny = perms.botDeny;
      if (channel.guildId) {
        const guild = this.core.world.requireGuild(channel.guildId);
        this.core.gateway.dispatch(
          GatewayDispatchEvents.ChannelUpdate,
          this.core.world.apiChannel(channel, guild.channels.indexOf(channel)),
          { guildId: channel.guildId },
        );
      }
    }
  }

  /** Adds a text channel to a guild (CHANNEL_CREATE to its shard). */
  addChannel(guildId: string, input: { name: string; id?: string }): EmulatedChannel {
    const guild = this.core.world.requireGuild(guildId);
    const channel: EmulatedChannel = {
      id: input.id ?? snowflakeAt(),
      guildId,
      name: input.name,
      type: ChannelType.GuildText,
      botCanSend: true,
    };
    guild.channels.push(channel);
    this.core.world.channels.set(channel.id, channel);
    this.core.gateway.dispatch(
      GatewayDispatchEvents.ChannelCreate,
      this.core.world.apiChannel(channel, guild.channels.length - 1),
      { guildId },
    );
    return channel;
  }

  /** Deletes a guild channel (CHANNEL_DELETE to its shard); its routes then answer 404 10003. */
  deleteChannel(channelId: string): void {
    const channel = this.core.world.requireChannel(channelId);
    if (!channel.guildId) throw new Error('DiscordEmulator: only guild channels can be deleted');
    const guild = this.core.world.requireGuild(channel.guildId);
    const position = guild.channels.indexOf(channel);
    guild.channels.splice(position, 1);
    this.core.world.channels.delete(channelId);
    this.core.gateway.dispatch(
      GatewayDispatchEvents.ChannelDelete,
      this.core.world.apiChannel(channel, position),
      {
        guildId: channel.guildId,
      },
    );
  }

  /** Adds `count` members named `<prefix>1…` at once (a crowd for live games and benchmarks). */
  addMembers(guildId: string, count: number, prefix = 'member'): EmulatedMember[] {
    const guild = this.core.world.requireGuild(guildId);
    const members: EmulatedMember[] = [];
    const joinedAt = new Date().toISOString();
    for (let i = 1; i <= count; i++) {
      const user = this.core.world.ensureUser({ username: `${prefix}${i}` });
      const member: EmulatedMember = {
        user,
        roles: [],
        permissionsOverride: undefined,
        nick: null,
        joinedAt,
      };
      guild.members.push(member);
      members.push(member);
    }
    return members;
  }

  /** Stores a file served at http://127.0.0.1:PORT/attachments/ID/NAME (for attachment options). */
  addAttachment(
    name: string,
    content: Buffer | string,
    contentType = 'application/octet-stream',
  ): APIAttachment {
    return this.core.world.storeAttachment(
      name,
      Buffer.isBuffer(content) ? content : Buffer.from(content),
      contentType,
    );
  }

  /** Content of an attachment by id or url (user-uploaded or sent by the bot). */
  attachmentContent(idOrUrl: string): Buffer | undefined {
    const id = /\/attachments\/(\d+)\//.exec(idOrUrl)?.[1] ?? idOrUrl;
    return this.core.world.attachments.get(id)?.content;
  }
}
