import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type APIApplicationCommand,
  type APIApplicationCommandAutocompleteGuildInteraction,
  type APIApplicationCommandInteractionDataOption,
  type APIAttachment,
  type APIChatInputApplicationCommandDMInteraction,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIInteraction,
  type APIInteractionDataResolved,
  type APIMessage,
  type APIMessageComponentGuildInteraction,
  type APIModalSubmitGuildInteraction,
  type APIUser,
  ApplicationCommandOptionType,
  ChannelType,
  ComponentType,
  GatewayDispatchEvents,
  GatewayIntentBits,
  GatewayOpcodes,
  InteractionResponseType,
  InteractionType,
  type Locale,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import { watchInteractionToken } from '../logLeaks.js';
import { ApiError, ErrorCodes } from './ApiError.js';
import { GatewayServer } from './GatewayServer.js';
import { objectBody, parseBody, readRaw } from './httpBody.js';
import { InteractionRecord } from './InteractionRecord.js';
import { type BucketState, RestLimits, type RestResponse } from './RestLimits.js';
import { DISCORD_EPOCH, shardOf, snowflakeAt, snowflakeTimestamp } from './snowflake.js';
import type {
  AutocompleteInjection,
  ChatInputInjection,
  ComponentInjection,
  DirectMessageCommandInjection,
  DiscordEmulatorOptions,
  EmulatedChannel,
  EmulatedGuild,
  EmulatedMember,
  EmulatedRole,
  EmulatedUser,
  EmulatorEventName,
  EmulatorEvents,
  Fault,
  FaultInput,
  GatewaySessionInfo,
  GuildInput,
  InteractionError,
  InteractionHandle,
  InteractionResponseKind,
  MemberInput,
  ModalSubmitInjection,
  RecordedGatewayFrame,
  RecordedRestCall,
  ResponseData,
  RoleInput,
  ShardSelector,
  StoredMessage,
  UploadedFile,
} from './types.js';
import {
  validateAutocompleteChoices,
  validateCommands,
  validateMessageBody,
  validateModal,
} from './validation.js';
import { EVERYONE_DEFAULT_PERMISSIONS, newInteractionToken, World } from './World.js';

type Params = Record<string, string>;

interface RouteContext {
  params: Params;
  query: Record<string, string>;
  body: unknown;
  files: UploadedFile[];
  call: RecordedRestCall;
  /** Set by interaction/webhook routes so refused calls are recorded on the interaction. */
  interaction?: InteractionRecord;
}

interface RouteResult {
  status: number;
  json?: unknown;
}

interface Route {
  method: string;
  pattern: string;
  segments: string[];
  auth: boolean;
  handler: (ctx: RouteContext) => RouteResult | Promise<RouteResult>;
}

/** Message flags a bot may set when creating a message (others are Discord's to set). */
const SETTABLE_FLAGS = 4 | 64 | 4096 | 32768; // SuppressEmbeds | Ephemeral | SuppressNotifications | IsComponentsV2
const EPHEMERAL = 64;
const LOADING = 128;
const MESSAGE_INTENTS = GatewayIntentBits.GuildMessages;
const json = (status: number, body?: unknown): RouteResult => ({ status, json: body });

/** A local Discord (REST v10 + gateway v10) on 127.0.0.1. Start with `DiscordEmulator.start()`. */
export class DiscordEmulator extends EventEmitter<EmulatorEvents> {
  /** e.g. 'http://127.0.0.1:PORT/api' → DISCORD_API_URL / discord.js `rest.api`. */
  readonly apiBase: string;
  /** 'ws://127.0.0.1:PORT/gateway' (what /gateway/bot answers). */
  readonly gatewayUrl: string;
  /** 'http://127.0.0.1:PORT' */
  readonly baseUrl: string;
  /** The accepted bot token. */
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: APIUser;
  /** Every REST request, in order (including faults and unknown routes). */
  readonly restCalls: RecordedRestCall[] = [];
  /** REST requests no route matched (answered 404 {message:'404: Not Found', code:0}). */
  readonly unhandledCalls: RecordedRestCall[] = [];
  /** Every gateway frame in both directions (closes sent by the emulator appear as op -1, t 'CLOSE'). */
  readonly gatewayFrames: RecordedGatewayFrame[] = [];
  /** How many bulk PUTs of commands (global or guild) were accepted. */
  commandRegistrations = 0;

  readonly shardCount: number;
  readonly ackDeadlineMs: number;
  readonly tokenLifetimeMs: number;
  readonly heartbeatIntervalMs: number;
  private readonly world: World;
  private readonly gateway: GatewayServer;
  private readonly routes: Route[];
  private readonly limits: RestLimits;
  private readonly commands = new Map<string, APIApplicationCommand[]>();
  private readonly commandIds = new Map<string, string>();
  private readonly interactions = new Map<string, InteractionRecord>();
  private readonly interactionsByToken = new Map<string, InteractionRecord>();
  private readonly pendingWaits = new Set<(error: Error) => void>();
  private available = true;
  private closed = false;

  private constructor(
    private readonly server: Server,
    port: number,
    private readonly options: Required<
      Pick<
        DiscordEmulatorOptions,
        | 'logFrames'
        | 'maxConcurrency'
        | 'rateLimitHeaders'
        | 'allowPrivilegedIntents'
        | 'enforceIdentifyConcurrency'
      >
    > & {
      rateLimit: DiscordEmulatorOptions['rateLimit'];
      channelMessageRateLimit: DiscordEmulatorOptions['channelMessageRateLimit'];
    },
    init: Required<
      Pick<
        DiscordEmulatorOptions,
        'shardCount' | 'token' | 'ackDeadlineMs' | 'tokenLifetimeMs' | 'heartbeatIntervalMs'
      >
    > & { applicationId: string; botUsername: string },
  ) {
    super();
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.apiBase = `${this.baseUrl}/api`;
    this.gatewayUrl = `ws://127.0.0.1:${port}/gateway`;
    this.token = init.token;
    this.shardCount = init.shardCount;
    this.ackDeadlineMs = init.ackDeadlineMs;
    this.tokenLifetimeMs = init.tokenLifetimeMs;
    this.heartbeatIntervalMs = init.heartbeatIntervalMs;
    this.applicationId = init.applicationId;
    this.world = new World(init.applicationId, init.botUsername, () => this.baseUrl);
    this.botUser = this.world.botUser;
    this.limits = new RestLimits({
      rateLimit: options.rateLimit,
      channelMessageRateLimit: options.channelMessageRateLimit,
    });
    this.gateway = new GatewayServer({
      token: init.token,
      applicationId: init.applicationId,
      botUser: this.botUser,
      heartbeatIntervalMs: init.heartbeatIntervalMs,
      allowPrivilegedIntents: options.allowPrivilegedIntents,
      logFrames: options.logFrames,
      enforceIdentifyConcurrency: options.enforceIdentifyConcurrency,
      maxConcurrency: options.maxConcurrency,
      resumeGatewayUrl: () => `ws://127.0.0.1:${port}/gateway-resume`,
      isAvailable: () => this.available,
      guildCreatesFor: (shard, count) =>
        [...this.world.guilds.values()]
          .filter((g) => shardOf(g.id, count) === shard)
          .map((g) => ({ id: g.id, d: this.world.guildCreate(g) })),
      recordFrame: (frame) => {
        this.gatewayFrames.push(frame);
        this.emit('frame', frame);
      },
      emit: (event, ...args) => {
        // biome-ignore lint/suspicious/noExplicitAny: Node's typed EventEmitter cannot relate a generic event to its args
        (this.emit as (e: string, ...a: any[]) => boolean)(event, ...args);
      },
    });
    this.routes = this.buildRoutes();
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.handleHttp(req, res).catch((error: unknown) => {
        process.stderr.write(
          `[discord-emulator] internal error: ${String((error as Error)?.stack ?? error)}\n`,
        );
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Emulator internal error', code: 0 }));
      });
    });
    server.on('upgrade', (req, socket, head: Buffer) => this.gateway.handleUpgrade(req, socket, head));
  }

  /** Starts the HTTP + WebSocket server on 127.0.0.1 (port 0 by default). */
  static async start(options: DiscordEmulatorOptions = {}): Promise<DiscordEmulator> {
    const server = createServer();
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    return new DiscordEmulator(
      server,
      port,
      {
        logFrames: options.logFrames ?? false,
        maxConcurrency: options.maxConcurrency ?? 1,
        rateLimitHeaders: options.rateLimitHeaders ?? true,
        allowPrivilegedIntents: options.allowPrivilegedIntents ?? false,
        enforceIdentifyConcurrency: options.enforceIdentifyConcurrency ?? false,
        rateLimit: options.rateLimit,
        channelMessageRateLimit: options.channelMessageRateLimit,
      },
      {
        shardCount: options.shardCount ?? 1,
        token: options.token ?? 'test-token',
        ackDeadlineMs: options.ackDeadlineMs ?? 3000,
        tokenLifetimeMs: options.tokenLifetimeMs ?? 15 * 60_000,
        heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
        applicationId: options.applicationId ?? snowflakeAt(),
        botUsername: options.botUsername ?? 'Badgey',
      },
    );
  }

  /** Stops the server, drops every gateway connection and rejects pending waits. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const abort of [...this.pendingWaits]) abort(new Error('DiscordEmulator closed'));
    for (const rec of this.interactions.values()) rec.abort('DiscordEmulator closed');
    this.gateway.shutdown();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ── world ────────────────────────────────────────────────────────────────

  /** Adds a guild (with @everyone role and the bot as member); GUILD_CREATE to its shard if connected. */
  addGuild(input: GuildInput): EmulatedGuild {
    let id = input.id ?? snowflakeAt();
    if (input.id === undefined && input.shard !== undefined) {
      if (input.shard < 0 || input.shard >= this.shardCount)
        throw new Error(`DiscordEmulator: no shard ${input.shard}`);
      // Step the timestamp back (< shardCount ms) so that (id >> 22) % shardCount === shard.
      const t = Date.now() - Number(DISCORD_EPOCH);
      id = snowflakeAt(
        Number(DISCORD_EPOCH) +
          t -
          ((((t - input.shard) % this.shardCount) + this.shardCount) % this.shardCount),
      );
    }
    if (this.world.guilds.has(id)) throw new Error(`DiscordEmulator: guild ${id} already exists`);
    const owner = input.ownerId
      ? (this.world.users.get(input.ownerId) ??
        this.world.ensureUser({ id: input.ownerId, username: 'owner' }))
      : this.world.ensureUser({ username: 'owner' });
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
      user: this.world.botEmulatedUser,
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
      this.world.channels.set(channel.id, channel);
    }
    this.world.guilds.set(id, guild);
    this.gateway.dispatch(GatewayDispatchEvents.GuildCreate, this.world.guildCreate(guild), { guildId: id });
    return guild;
  }

  /** The bot leaves (or is removed from) a guild: GUILD_DELETE to its shard; its channels go too. */
  removeGuild(guildId: string): void {
    const guild = this.world.requireGuild(guildId);
    this.world.guilds.delete(guildId);
    for (const c of guild.channels) this.world.channels.delete(c.id);
    this.commands.delete(guildId);
    this.gateway.dispatch(GatewayDispatchEvents.GuildDelete, { id: guildId }, { guildId });
  }

  /** Changes a guild and sends GUILD_UPDATE to its shard (queued for replay when disconnected). */
  updateGuild(guildId: string, patch: { name?: string; locale?: string }): EmulatedGuild {
    const guild = this.world.requireGuild(guildId);
    if (patch.name !== undefined) guild.name = patch.name;
    if (patch.locale !== undefined) guild.locale = patch.locale;
    this.gateway.dispatch(GatewayDispatchEvents.GuildUpdate, this.world.apiGuild(guild), { guildId });
    return guild;
  }

  guild(guildId: string): EmulatedGuild | undefined {
    return this.world.guilds.get(guildId);
  }

  addRole(guildId: string, input: RoleInput): EmulatedRole {
    const guild = this.world.requireGuild(guildId);
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
    const guild = this.world.requireGuild(guildId);
    const user = this.world.ensureUser(input.user);
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
    const channel = this.world.requireChannel(channelId);
    if (perms.botCanSend !== undefined) channel.botCanSend = perms.botCanSend;
    if (perms.botDeny !== undefined) {
      channel.botDeny = perms.botDeny;
      if (channel.guildId) {
        const guild = this.world.requireGuild(channel.guildId);
        this.gateway.dispatch(
          GatewayDispatchEvents.ChannelUpdate,
          this.world.apiChannel(channel, guild.channels.indexOf(channel)),
          { guildId: channel.guildId },
        );
      }
    }
  }

  /** Adds a text channel to a guild (CHANNEL_CREATE to its shard). */
  addChannel(guildId: string, input: { name: string; id?: string }): EmulatedChannel {
    const guild = this.world.requireGuild(guildId);
    const channel: EmulatedChannel = {
      id: input.id ?? snowflakeAt(),
      guildId,
      name: input.name,
      type: ChannelType.GuildText,
      botCanSend: true,
    };
    guild.channels.push(channel);
    this.world.channels.set(channel.id, channel);
    this.gateway.dispatch(
      GatewayDispatchEvents.ChannelCreate,
      this.world.apiChannel(channel, guild.channels.length - 1),
      { guildId },
    );
    return channel;
  }

  /** Deletes a guild channel (CHANNEL_DELETE to its shard); its routes then answer 404 10003. */
  deleteChannel(channelId: string): void {
    const channel = this.world.requireChannel(channelId);
    if (!channel.guildId) throw new Error('DiscordEmulator: only guild channels can be deleted');
    const guild = this.world.requireGuild(channel.guildId);
    const position = guild.channels.indexOf(channel);
    guild.channels.splice(position, 1);
    this.world.channels.delete(channelId);
    this.gateway.dispatch(GatewayDispatchEvents.ChannelDelete, this.world.apiChannel(channel, position), {
      guildId: channel.guildId,
    });
  }

  /** Adds `count` members named `<prefix>1…` at once (a crowd for live games and benchmarks). */
  addMembers(guildId: string, count: number, prefix = 'member'): EmulatedMember[] {
    const guild = this.world.requireGuild(guildId);
    const members: EmulatedMember[] = [];
    const joinedAt = new Date().toISOString();
    for (let i = 1; i <= count; i++) {
      const user = this.world.ensureUser({ username: `${prefix}${i}` });
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
    return this.world.storeAttachment(
      name,
      Buffer.isBuffer(content) ? content : Buffer.from(content),
      contentType,
    );
  }

  /** Content of an attachment by id or url (user-uploaded or sent by the bot). */
  attachmentContent(idOrUrl: string): Buffer | undefined {
    const id = /\/attachments\/(\d+)\//.exec(idOrUrl)?.[1] ?? idOrUrl;
    return this.world.attachments.get(id)?.content;
  }

  // ── interactions ─────────────────────────────────────────────────────────

  /** Injects a slash command (type 2) from a member; dispatched to the guild's shard. */
  injectChatInput(input: ChatInputInjection): InteractionHandle {
    const command = this.findCommand(input.name, input.guildId);
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
    const stored = this.world.messages.get(input.messageId);
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
    const source = input.messageId ? this.world.messages.get(input.messageId) : undefined;
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
    const command = this.findCommand(input.name, input.guildId);
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
    const user = this.world.users.get(input.userId);
    if (!user) throw new Error(`DiscordEmulator: unknown user ${input.userId} (use addUser or addMember)`);
    const command = this.commands.get('global')?.find((c) => c.name === input.name && c.type === 1);
    if (!command) throw new Error(`DiscordEmulator: global command '${input.name}' is not registered`);
    const inDms = command.contexts ? command.contexts.includes(1) : command.dm_permission !== false;
    if (!inDms) throw new Error(`DiscordEmulator: command '${input.name}' is not available in DMs`);
    const channel = this.dmChannel(user.id);
    const options = input.options ?? [];
    const resolved = this.resolveOptions(null, options);
    const payload: APIChatInputApplicationCommandDMInteraction = {
      id: snowflakeAt(),
      application_id: this.applicationId,
      type: InteractionType.ApplicationCommand,
      token: newInteractionToken(),
      version: 1,
      channel: {
        id: channel.id,
        type: ChannelType.DM,
      } as APIChatInputApplicationCommandDMInteraction['channel'],
      channel_id: channel.id,
      user: this.world.apiUser(user),
      app_permissions: this.world.botChannelPermissions(channel).toString(),
      locale: (input.locale ?? 'en-US') as Locale,
      entitlements: [],
      authorizing_integration_owners: { '0': '0' },
      context: 1,
      attachment_size_limit: 10 * 1024 * 1024,
      data: { id: command.id, name: command.name, type: 1, options, ...(resolved ? { resolved } : {}) },
    };
    return this.deliver(payload, null, channel.id, undefined);
  }

  /** Adds a user who is in no guild (for DMs); members get their user through addMember. */
  addUser(input: { id?: string; username: string; globalName?: string | null }): EmulatedUser {
    return this.world.ensureUser(input);
  }

  private dmChannel(userId: string): EmulatedChannel {
    const name = `dm-${userId}`;
    let channel = [...this.world.channels.values()].find((c) => c.guildId === null && c.name === name);
    if (!channel) {
      channel = { id: snowflakeAt(), guildId: null, name, type: ChannelType.DM, botCanSend: true };
      this.world.channels.set(channel.id, channel);
    }
    return channel;
  }

  interaction(id: string): InteractionHandle | undefined {
    return this.interactions.get(id);
  }

  private findCommand(name: string, guildId: string): APIApplicationCommand {
    const command =
      this.commands.get(guildId)?.find((c) => c.name === name && c.type === 1) ??
      this.commands.get('global')?.find((c) => c.name === name && c.type === 1);
    if (!command) {
      throw new Error(`DiscordEmulator: command '${name}' is not registered (guild ${guildId} or global)`);
    }
    return command;
  }

  private interactionBase(
    guildId: string,
    channelId: string,
    userId: string,
    locale = 'en-US',
    createdAt?: number,
  ): Omit<APIChatInputApplicationCommandGuildInteraction, 'type' | 'data'> {
    const guild = this.world.requireGuild(guildId);
    const member = this.world.requireMember(guildId, userId);
    const channel = guild.channels.find((c) => c.id === channelId);
    if (!channel) throw new Error(`DiscordEmulator: channel ${channelId} is not in guild ${guildId}`);
    return {
      id: snowflakeAt(createdAt),
      application_id: this.applicationId,
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
      member: this.world.interactionMember(guild, member),
      app_permissions: this.world.botChannelPermissions(channel).toString(),
      locale: locale as Locale,
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
    const guild = guildId ? this.world.requireGuild(guildId) : undefined;
    const visit = (list: APIApplicationCommandInteractionDataOption[]): void => {
      for (const option of list) {
        if ('options' in option && Array.isArray(option.options)) visit(option.options);
        if (!('value' in option)) continue;
        const value = String(option.value);
        const asUser = (): boolean => {
          const user = this.world.users.get(value);
          if (!user) return false;
          resolved.users = { ...resolved.users, [value]: this.world.apiUser(user) };
          const member = guild ? this.world.member(guild.id, value) : undefined;
          if (guild && member) {
            const { user: _user, ...rest } = this.world.interactionMember(guild, member);
            resolved.members = { ...resolved.members, [value]: rest };
          }
          return true;
        };
        const asRole = (): boolean => {
          if (!guild) return false;
          const index = guild.roles.findIndex((r) => r.id === value);
          const role = guild.roles[index];
          if (!role) return false;
          resolved.roles = { ...resolved.roles, [value]: this.world.apiRole(role, index) };
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
            const channel = this.world.channels.get(value);
            if (channel) {
              resolved.channels = {
                ...resolved.channels,
                [value]: {
                  id: channel.id,
                  name: channel.name,
                  type: channel.type,
                  permissions: this.world.botChannelPermissions(channel).toString(),
                } as NonNullable<APIInteractionDataResolved['channels']>[string],
              };
            }
            break;
          }
          case ApplicationCommandOptionType.Attachment: {
            const stored = this.world.attachments.get(value);
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
        const stored = this.world.messages.get(id);
        return stored && !stored.deleted ? stored.message : undefined;
      },
    );
    this.interactions.set(record.id, record);
    this.interactionsByToken.set(record.token, record);
    watchInteractionToken(record.token); // must never reach a bot's log
    record.deliveredTo = this.gateway.dispatch(GatewayDispatchEvents.InteractionCreate, payload, {
      ...(guildId ? { guildId } : { shard: 0 }), // DMs arrive on shard 0
    });
    return record;
  }

  // ── messages / commands ──────────────────────────────────────────────────

  /** Messages in a channel (oldest first), including ephemeral interaction replies (flags & 64). */
  messages(channelId: string): APIMessage[] {
    return this.world.channelMessages(channelId).map((s) => s.message);
  }

  /** Same with uploaded files and allowed_mentions. */
  storedMessages(channelId: string): StoredMessage[] {
    return this.world.channelMessages(channelId);
  }

  message(messageId: string): StoredMessage | undefined {
    return this.world.messages.get(messageId);
  }

  /** Resolves with the first existing or new/edited message in the channel matching `predicate`. */
  waitForMessage(
    channelId: string,
    predicate: (m: APIMessage) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<APIMessage> {
    const existing = this.messages(channelId).find(predicate);
    if (existing) return Promise.resolve(existing);
    return this.waitFor(
      'message',
      (s) => !s.deleted && s.message.channel_id === channelId && predicate(s.message),
      timeoutMs,
    ).then((s) => s.message);
  }

  /** Global commands (no guildId) or a guild's commands. */
  registeredCommands(opts: { guildId?: string } = {}): APIApplicationCommand[] {
    return [...(this.commands.get(opts.guildId ?? 'global') ?? [])];
  }

  // ── gateway ──────────────────────────────────────────────────────────────

  /** Closes the shard's WebSocket(s) with a close frame (4000 → resume, 1000 → re-identify, 4004 → fatal). */
  closeGateway(code: number, opts: ShardSelector & { reason?: string } = {}): number {
    return this.gateway.closeAll(code, opts.shard, opts.reason);
  }

  /** Destroys the TCP socket without a close frame (client sees 1006 and resumes). */
  dropGateway(opts: ShardSelector = {}): number {
    return this.gateway.dropAll(opts.shard);
  }

  /** Sends op 7 RECONNECT. */
  sendReconnect(opts: ShardSelector = {}): number {
    return this.gateway.sendOp(GatewayOpcodes.Reconnect, null, opts.shard);
  }

  /** Sends op 9 INVALID_SESSION; non-resumable also forgets the session (the client re-IDENTIFYs). */
  invalidateSession(opts: ShardSelector & { resumable: boolean }): number {
    return this.gateway.invalidate(opts.resumable, opts.shard);
  }

  /** Sends op 1 (the client must heartbeat at once). */
  requestHeartbeat(opts: ShardSelector = {}): number {
    return this.gateway.sendOp(GatewayOpcodes.Heartbeat, null, opts.shard);
  }

  /** Heartbeats go unanswered (for every later connection too) until resumeHeartbeatAcks. */
  stopHeartbeatAcks(opts: ShardSelector = {}): void {
    this.gateway.setAcks(false, opts.shard);
  }

  resumeHeartbeatAcks(opts: ShardSelector = {}): void {
    this.gateway.setAcks(true, opts.shard);
  }

  /**
   * Sends a dispatch to the guild's shard session(s) (or `shard`, default 0). Disconnected
   * sessions keep it for replay on RESUME. Returns the number of sessions it went to.
   */
  dispatch(t: string, d: unknown, opts: { guildId?: string; shard?: number; intent?: number } = {}): number {
    return this.gateway.dispatch(t, d, opts);
  }

  /** Every session ever identified, oldest first ('closed' ones are forgotten by the server). */
  get sessions(): GatewaySessionInfo[] {
    return this.gateway.sessionInfos();
  }

  /** The newest live session of a shard. */
  sessionFor(shard = 0): GatewaySessionInfo | undefined {
    return this.sessions.filter((s) => s.shard === shard && s.state !== 'closed').at(-1);
  }

  /** Open WebSocket connections (identified or not). */
  get openGatewayConnections(): number {
    return this.gateway.openConnectionCount();
  }

  // ── REST faults / availability ───────────────────────────────────────────

  /** The next `times` matching requests answer `status` (429 with Retry-After) instead of the route. */
  injectFault(input: FaultInput): Fault {
    return this.limits.injectFault(input);
  }

  /** false: REST answers 503 and new gateway connections are refused ({dropConnections} also drops open ones). */
  setAvailable(available: boolean, opts: { dropConnections?: boolean } = {}): void {
    this.available = available;
    if (!available && opts.dropConnections) this.gateway.dropAll(undefined);
  }

  // ── waiting ──────────────────────────────────────────────────────────────

  /** Resolves with the first `event` payload matching `predicate`, emitted after the call. */
  waitFor<E extends EmulatorEventName>(
    event: E,
    predicate: (...args: EmulatorEvents[E]) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<EmulatorEvents[E][0]> {
    return new Promise((resolve, reject) => {
      const listener = (...args: EmulatorEvents[E]): void => {
        if (!predicate(...args)) return;
        cleanup();
        resolve(args[0]);
      };
      const abort = (error: Error): void => {
        cleanup();
        reject(error);
      };
      const timer = setTimeout(
        () => abort(new Error(`DiscordEmulator.waitFor('${event}'): nothing matched within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const cleanup = (): void => {
        clearTimeout(timer);
        this.pendingWaits.delete(abort);
        // biome-ignore lint/suspicious/noExplicitAny: Node's typed EventEmitter cannot relate a generic E to its listener type
        this.off(event as any, listener as any);
      };
      this.pendingWaits.add(abort);
      // biome-ignore lint/suspicious/noExplicitAny: as above
      this.on(event as any, listener as any);
    });
  }

  /** Clears restCalls, unhandledCalls and gatewayFrames (e.g. between bench phases). */
  clearRecords(): void {
    this.restCalls.length = 0;
    this.unhandledCalls.length = 0;
    this.gatewayFrames.length = 0;
  }

  // ── HTTP plumbing ────────────────────────────────────────────────────────

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname.startsWith('/attachments/')) {
      this.serveAttachment(url.pathname, method, res);
      return;
    }
    const apiMatch = /^\/api(?:\/v(\d+))?(\/.*)?$/.exec(url.pathname);
    const raw = await readRaw(req);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const segments = (apiMatch?.[2] ?? url.pathname)
      .split('/')
      .filter((s) => s.length > 0)
      .map(safeDecode);
    const path = `/${segments.join('/')}`;
    const query = Object.fromEntries(url.searchParams.entries());
    const call: RecordedRestCall = {
      method,
      path,
      query,
      headers,
      body: undefined,
      files: [],
      status: 0,
      at: Date.now(),
      matchedRoute: null,
    };
    this.restCalls.push(call);
    let result: RouteResult;
    let route: Route | undefined;
    let params: Params = {};
    let bucketState: BucketState | undefined;
    const ctx: RouteContext = { params, query, body: undefined, files: [], call };
    try {
      const parsed = await parseBody(raw, req.headers['content-type']);
      call.body = parsed.body;
      call.files = parsed.files;
      ctx.body = parsed.body;
      ctx.files = parsed.files;
      if (!apiMatch) throw new ApiError(404, 0, '404: Not Found');
      if (!this.available) {
        result = json(503, { message: 'Service Unavailable (emulated outage)', code: 0 });
      } else {
        const fault = this.limits.takeFault(method, path);
        if (fault) {
          call.fault = true;
          this.writeAnswer(res, this.limits.faultResponse(fault), call);
          return;
        }
        for (const r of this.routes) {
          const p = r.method === method ? matchSegments(r.segments, segments) : undefined;
          if (p) {
            route = r;
            params = p;
            break;
          }
        }
        if (!route) {
          this.unhandledCalls.push(call);
          throw new ApiError(404, 0, '404: Not Found');
        }
        call.matchedRoute = `${route.method} ${route.pattern}`;
        ctx.params = params;
        if (route.auth && headers.authorization !== `Bot ${this.token}`) {
          throw new ApiError(401, 0, '401: Unauthorized');
        }
        bucketState = this.limits.takeRateLimit(route, params);
        if (bucketState && bucketState.count > bucketState.limit) {
          this.writeAnswer(res, this.limits.rateLimitedResponse(route, bucketState), call);
          return;
        }
        // Handlers are synchronous so call.status is set before any waiter resumes.
        const out = route.handler(ctx);
        result = out instanceof Promise ? await out : out;
      }
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      result = json(error.status, error.toJSON());
      call.status = error.status;
      if (ctx.interaction) this.recordInteractionError(ctx.interaction, call, error);
    }
    call.status = result.status;
    const responseHeaders: Record<string, string> = {};
    if (this.options.rateLimitHeaders)
      Object.assign(responseHeaders, this.limits.rateLimitHeaders(route, bucketState));
    if (result.json !== undefined) responseHeaders['content-type'] = 'application/json';
    res.writeHead(result.status, responseHeaders);
    res.end(result.json !== undefined ? JSON.stringify(result.json) : undefined);
    this.logCall(call);
    this.emit('rest', call);
  }

  private serveAttachment(pathname: string, method: string, res: ServerResponse): void {
    const id = pathname.split('/')[2] ?? '';
    const stored = this.world.attachments.get(id);
    if (!stored || (method !== 'GET' && method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
      return;
    }
    res.writeHead(200, {
      'content-type': stored.attachment.content_type ?? 'application/octet-stream',
      'content-length': String(stored.content.length),
    });
    res.end(method === 'HEAD' ? undefined : stored.content);
  }

  /** Writes a fault's or a rate limit's answer and records the call. */
  private writeAnswer(res: ServerResponse, answer: RestResponse, call: RecordedRestCall): void {
    call.status = answer.status;
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(JSON.stringify(answer.json));
    this.logCall(call);
    this.emit('rest', call);
  }

  private logCall(call: RecordedRestCall): void {
    if (!this.options.logFrames) return;
    process.stderr.write(
      `[emu rest] ${call.method} ${call.path} → ${call.status}${call.matchedRoute ? '' : ' (unhandled)'}${call.fault ? ' (fault)' : ''}\n`,
    );
  }

  private recordInteractionError(rec: InteractionRecord, call: RecordedRestCall, error: ApiError): void {
    const entry: InteractionError = {
      method: call.method,
      path: call.path,
      status: error.status,
      code: error.code,
      message: error.message,
      at: Date.now(),
    };
    rec.addError(entry);
    this.emit('interactionError', { interactionId: rec.id, error: entry });
  }

  // ── routes ───────────────────────────────────────────────────────────────

  private buildRoutes(): Route[] {
    const routes: Route[] = [];
    const add = (method: string, pattern: string, auth: boolean, handler: Route['handler']): void => {
      routes.push({ method, pattern, segments: pattern.split('/').filter((s) => s), auth, handler });
    };
    const app = (ctx: RouteContext): void => {
      if (ctx.params.app !== this.applicationId)
        throw new ApiError(404, ErrorCodes.UnknownApplication, 'Unknown Application');
    };

    add('GET', '/gateway', false, () => json(200, { url: this.gatewayUrl }));
    add('GET', '/gateway/bot', true, () =>
      json(200, {
        url: this.gatewayUrl,
        shards: this.shardCount,
        session_start_limit: {
          total: 1000,
          remaining: 999,
          reset_after: 14_400_000,
          max_concurrency: this.options.maxConcurrency,
        },
      }),
    );
    add('GET', '/users/@me', true, () => json(200, this.botUser));
    add('GET', '/users/:userId', true, (ctx) => {
      const user = this.world.users.get(ctx.params.userId ?? '');
      if (!user) throw new ApiError(404, ErrorCodes.UnknownUser, 'Unknown User');
      return json(200, this.world.apiUser(user));
    });
    add('POST', '/users/@me/channels', true, (ctx) => {
      const recipientId = String(objectBody(ctx.body).recipient_id ?? '');
      const user = this.world.users.get(recipientId);
      if (!user) throw new ApiError(404, ErrorCodes.UnknownUser, 'Unknown User');
      const channel = this.dmChannel(recipientId);
      return json(200, {
        ...(this.world.apiChannel(channel) as object),
        recipients: [this.world.apiUser(user)],
      });
    });
    add('GET', '/applications/@me', true, () =>
      json(200, {
        id: this.applicationId,
        name: this.botUser.username,
        icon: null,
        description: '',
        summary: '',
        type: null,
        bot_public: true,
        bot_require_code_grant: false,
        verify_key: '0'.repeat(64),
        flags: 0,
        team: null,
        owner: this.world.apiUser(this.world.users.get(this.firstOwnerId()) ?? this.world.botEmulatedUser),
        bot: this.botUser,
        approximate_guild_count: this.world.guilds.size,
        integration_types_config: { '0': {} },
        redirect_uris: [],
        interactions_endpoint_url: null,
        tags: [],
      }),
    );

    // Application commands (global and guild).
    const scope = (ctx: RouteContext): string => {
      app(ctx);
      const guildId = ctx.params.guildId;
      if (guildId === undefined) return 'global';
      if (!this.world.guilds.has(guildId))
        throw new ApiError(403, ErrorCodes.MissingAccess, 'Missing Access');
      return guildId;
    };
    for (const prefix of ['/applications/:app/commands', '/applications/:app/guilds/:guildId/commands']) {
      add('GET', prefix, true, (ctx) => json(200, this.commands.get(scope(ctx)) ?? []));
      add('PUT', prefix, true, (ctx) => {
        const key = scope(ctx);
        const commands = validateCommands(ctx.body).map((c) => this.toCommand(c, key));
        this.commands.set(key, commands);
        this.commandRegistrations += 1;
        this.emit('commandsRegistered', { guildId: key === 'global' ? null : key, commands });
        return json(200, commands);
      });
      add('POST', prefix, true, (ctx) => {
        const key = scope(ctx);
        const [validated] = validateCommands([objectBody(ctx.body)]);
        const command = this.toCommand(validated ?? {}, key);
        const list = (this.commands.get(key) ?? []).filter(
          (c) => !(c.name === command.name && c.type === command.type),
        );
        list.push(command);
        this.commands.set(key, list);
        return json(201, command);
      });
      add('GET', `${prefix}/:commandId`, true, (ctx) => {
        const command = this.commands.get(scope(ctx))?.find((c) => c.id === ctx.params.commandId);
        if (!command) throw new ApiError(404, 10063, 'Unknown application command');
        return json(200, command);
      });
      add('DELETE', `${prefix}/:commandId`, true, (ctx) => {
        const key = scope(ctx);
        const list = this.commands.get(key) ?? [];
        if (!list.some((c) => c.id === ctx.params.commandId))
          throw new ApiError(404, 10063, 'Unknown application command');
        this.commands.set(
          key,
          list.filter((c) => c.id !== ctx.params.commandId),
        );
        return json(204);
      });
    }

    // Interaction callback (no Authorization: the token in the URL is the credential).
    add('POST', '/interactions/:interactionId/:token/callback', false, (ctx) =>
      this.interactionCallback(ctx),
    );

    // Interaction webhooks.
    add('GET', '/webhooks/:app/:token/messages/@original', false, (ctx) => {
      const rec = this.webhookInteraction(ctx);
      return json(200, this.interactionMessage(rec, rec.originalMessageId).message);
    });
    add('PATCH', '/webhooks/:app/:token/messages/@original', false, (ctx) =>
      this.editInteractionMessage(ctx, '@original'),
    );
    add('DELETE', '/webhooks/:app/:token/messages/@original', false, (ctx) =>
      this.deleteInteractionMessage(ctx, '@original'),
    );
    add('GET', '/webhooks/:app/:token/messages/:messageId', false, (ctx) => {
      const rec = this.webhookInteraction(ctx);
      return json(200, this.interactionMessage(rec, ctx.params.messageId).message);
    });
    add('PATCH', '/webhooks/:app/:token/messages/:messageId', false, (ctx) =>
      this.editInteractionMessage(ctx, ctx.params.messageId ?? ''),
    );
    add('DELETE', '/webhooks/:app/:token/messages/:messageId', false, (ctx) =>
      this.deleteInteractionMessage(ctx, ctx.params.messageId ?? ''),
    );
    add('POST', '/webhooks/:app/:token', false, (ctx) => this.followup(ctx));

    // Channels and messages.
    add('GET', '/channels/:channelId', true, (ctx) => {
      const channel = this.channelOr404(ctx.params.channelId);
      const position = channel.guildId
        ? (this.world.guilds.get(channel.guildId)?.channels.indexOf(channel) ?? 0)
        : 0;
      return json(200, this.world.apiChannel(channel, position));
    });
    add('POST', '/channels/:channelId/messages', true, (ctx) => this.createChannelMessage(ctx));
    add('GET', '/channels/:channelId/messages', true, (ctx) => {
      this.channelOr404(ctx.params.channelId);
      const limit = Math.min(100, Number(ctx.query.limit ?? 50) || 50);
      const list = this.messages(ctx.params.channelId ?? '').filter(
        (m) => ((m.flags ?? 0) & EPHEMERAL) === 0,
      );
      return json(200, list.slice(-limit).reverse());
    });
    add('GET', '/channels/:channelId/messages/:messageId', true, (ctx) =>
      json(200, this.channelMessageOr404(ctx).message),
    );
    add('PATCH', '/channels/:channelId/messages/:messageId', true, (ctx) => {
      const stored = this.channelMessageOr404(ctx);
      const body = objectBody(ctx.body);
      validateMessageBody(body, ctx.files.length, false);
      this.world.applyEdit(stored, body, this.world.attachmentsFor(ctx.files));
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
      json(200, this.world.apiGuild(this.guildOr404(ctx.params.guildId))),
    );
    add('GET', '/guilds/:guildId/channels', true, (ctx) => {
      const guild = this.guildOr404(ctx.params.guildId);
      return json(
        200,
        guild.channels.map((c, i) => this.world.apiChannel(c, i)),
      );
    });
    add('GET', '/guilds/:guildId/roles', true, (ctx) => {
      const guild = this.guildOr404(ctx.params.guildId);
      return json(
        200,
        guild.roles.map((r, i) => this.world.apiRole(r, i)),
      );
    });
    add('GET', '/guilds/:guildId/members/:userId', true, (ctx) => {
      const guild = this.guildOr404(ctx.params.guildId);
      const member = guild.members.find((m) => m.user.id === ctx.params.userId);
      if (!member) throw new ApiError(404, ErrorCodes.UnknownMember, 'Unknown Member');
      return json(200, this.world.apiMember(guild, member));
    });
    add('GET', '/guilds/:guildId/members', true, (ctx) => {
      const guild = this.guildOr404(ctx.params.guildId);
      const limit = Math.min(1000, Number(ctx.query.limit ?? 1) || 1);
      return json(
        200,
        guild.members.slice(0, limit).map((m) => this.world.apiMember(guild, m)),
      );
    });
    return routes;
  }

  private firstOwnerId(): string {
    return [...this.world.guilds.values()][0]?.ownerId ?? this.applicationId;
  }

  private toCommand(input: Record<string, unknown>, scopeKey: string): APIApplicationCommand {
    const type = typeof input.type === 'number' ? input.type : 1;
    const name = String(input.name ?? '');
    const idKey = `${scopeKey}:${type}:${name}`;
    let id = this.commandIds.get(idKey);
    if (!id) {
      id = snowflakeAt();
      this.commandIds.set(idKey, id);
    }
    const perms = input.default_member_permissions;
    return {
      id,
      application_id: this.applicationId,
      version: snowflakeAt(),
      type,
      name,
      name_localizations: (input.name_localizations as APIApplicationCommand['name_localizations']) ?? null,
      description: String(input.description ?? ''),
      description_localizations:
        (input.description_localizations as APIApplicationCommand['description_localizations']) ?? null,
      options: Array.isArray(input.options) ? (input.options as APIApplicationCommand['options']) : [],
      default_member_permissions: perms === undefined || perms === null ? null : String(perms),
      dm_permission: input.dm_permission === undefined ? true : input.dm_permission === true,
      contexts: (input.contexts as APIApplicationCommand['contexts']) ?? null,
      integration_types: (input.integration_types as APIApplicationCommand['integration_types']) ?? [0],
      nsfw: input.nsfw === true,
      ...(scopeKey === 'global' ? {} : { guild_id: scopeKey }),
    } as APIApplicationCommand; // `type` is a plain number here; discord-api-types narrows it to the enum
  }

  private guildOr404(guildId: string | undefined): EmulatedGuild {
    const guild = guildId ? this.world.guilds.get(guildId) : undefined;
    if (!guild) throw new ApiError(404, ErrorCodes.UnknownGuild, 'Unknown Guild');
    return guild;
  }

  private channelOr404(channelId: string | undefined) {
    const channel = channelId ? this.world.channels.get(channelId) : undefined;
    if (!channel) throw new ApiError(404, ErrorCodes.UnknownChannel, 'Unknown Channel');
    if (channel.botDeny && (channel.botDeny & PermissionFlagsBits.ViewChannel) !== 0n)
      throw new ApiError(403, ErrorCodes.MissingAccess, 'Missing Access');
    return channel;
  }

  private channelMessageOr404(ctx: RouteContext): StoredMessage {
    this.channelOr404(ctx.params.channelId);
    const stored = this.world.messages.get(ctx.params.messageId ?? '');
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
    const message = this.world.buildBotMessage({
      channelId: channel.id,
      guildId: channel.guildId,
      type: body.message_reference ? 19 : 0,
      body,
      attachments: this.world.attachmentsFor(ctx.files),
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
    this.world.insertMessage(stored);
    this.messageChanged(stored, GatewayDispatchEvents.MessageCreate);
    return json(200, message);
  }

  /** Emits 'message' and dispatches MESSAGE_* to sessions with the GuildMessages intent (never for ephemeral). */
  private messageChanged(stored: StoredMessage, t: GatewayDispatchEvents): void {
    this.emit('message', stored);
    if (((stored.message.flags ?? 0) & EPHEMERAL) !== 0 || !stored.guildId) return;
    const d =
      t === GatewayDispatchEvents.MessageDelete
        ? { id: stored.message.id, channel_id: stored.message.channel_id, guild_id: stored.guildId }
        : { ...stored.message, guild_id: stored.guildId };
    this.gateway.dispatch(t, d, { guildId: stored.guildId, intent: MESSAGE_INTENTS });
  }

  // ── interaction responses ────────────────────────────────────────────────

  private interactionCallback(ctx: RouteContext): RouteResult {
    const rec = this.interactions.get(ctx.params.interactionId ?? '');
    if (!rec || rec.token !== ctx.params.token) {
      throw new ApiError(404, ErrorCodes.UnknownInteraction, 'Unknown interaction');
    }
    ctx.interaction = rec;
    if (rec.acknowledged) {
      throw new ApiError(
        400,
        ErrorCodes.InteractionAlreadyAcknowledged,
        'Interaction has already been acknowledged.',
      );
    }
    if (Date.now() - rec.createdAt > this.ackDeadlineMs) {
      throw new ApiError(404, ErrorCodes.UnknownInteraction, 'Unknown interaction');
    }
    const body = objectBody(ctx.body);
    const type = body.type as InteractionResponseType;
    const data = (body.data ?? {}) as ResponseData;
    if (!allowedCallbackTypes(rec).includes(type)) {
      throw new ApiError(400, ErrorCodes.InvalidFormBody, 'Invalid Form Body', {
        type: {
          _errors: [
            { code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: `Response type ${type} is not valid here` },
          ],
        },
      });
    }
    let messageId: string | undefined;
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource: {
        validateMessageBody(data, ctx.files.length, true);
        const flags = (typeof data.flags === 'number' ? data.flags : 0) & SETTABLE_FLAGS;
        messageId = this.createInteractionMessage(rec, data, ctx.files, flags).message.id;
        rec.originalMessageId = messageId;
        rec.ephemeral = (flags & EPHEMERAL) !== 0;
        break;
      }
      case InteractionResponseType.DeferredChannelMessageWithSource: {
        const flags = ((typeof data.flags === 'number' ? data.flags : 0) & EPHEMERAL) | LOADING;
        messageId = this.createInteractionMessage(rec, {}, [], flags).message.id;
        rec.originalMessageId = messageId;
        rec.ephemeral = (flags & EPHEMERAL) !== 0;
        rec.loading = true;
        break;
      }
      case InteractionResponseType.DeferredMessageUpdate:
        rec.originalMessageId = rec.sourceMessageId;
        messageId = rec.sourceMessageId;
        break;
      case InteractionResponseType.UpdateMessage: {
        validateMessageBody(data, ctx.files.length, false);
        const stored = rec.sourceMessageId ? this.world.messages.get(rec.sourceMessageId) : undefined;
        if (!stored || stored.deleted) throw new ApiError(404, ErrorCodes.UnknownMessage, 'Unknown Message');
        this.world.applyEdit(stored, data, this.world.attachmentsFor(ctx.files));
        rec.originalMessageId = stored.message.id;
        messageId = stored.message.id;
        this.messageChanged(stored, GatewayDispatchEvents.MessageUpdate);
        break;
      }
      case InteractionResponseType.ApplicationCommandAutocompleteResult:
        validateAutocompleteChoices(data);
        break;
      case InteractionResponseType.Modal:
        validateModal(data);
        break;
      default:
        break;
    }
    rec.ackType = type;
    this.recordResponse(rec, 'callback', data, ctx.files, messageId, type);
    if (ctx.query.with_response !== 'true') return json(204);
    const message = messageId ? this.world.messages.get(messageId)?.message : undefined;
    return json(200, {
      interaction: {
        id: rec.id,
        type: rec.type,
        activity_instance_id: null,
        response_message_id: messageId ?? null,
        response_message_loading: rec.loading,
        response_message_ephemeral: rec.ephemeral,
      },
      resource: { type, ...(message ? { message } : {}) },
    });
  }

  private createInteractionMessage(
    rec: InteractionRecord,
    data: ResponseData,
    files: UploadedFile[],
    flags: number,
    kind: 'original' | 'followup' = 'original',
  ): StoredMessage {
    const member = rec.payload.member;
    const user = member?.user ?? rec.payload.user;
    const message = this.world.buildBotMessage({
      channelId: rec.channelId,
      guildId: rec.guildId,
      type: rec.type === InteractionType.ApplicationCommand && kind === 'original' ? 20 : 19,
      body: data,
      attachments: this.world.attachmentsFor(files),
      flags,
      webhook: true,
      interactionMetadata: {
        id: rec.id,
        type: rec.type,
        user: user!,
        authorizing_integration_owners: rec.payload.authorizing_integration_owners,
      } as APIMessage['interaction_metadata'],
    });
    const stored: StoredMessage = {
      message,
      guildId: rec.guildId,
      files,
      allowedMentions: data.allowed_mentions,
      via: 'interaction',
      deleted: false,
    };
    this.world.insertMessage(stored);
    this.messageChanged(stored, GatewayDispatchEvents.MessageCreate);
    return stored;
  }

  private recordResponse(
    rec: InteractionRecord,
    kind: InteractionResponseKind,
    data: ResponseData,
    files: UploadedFile[],
    messageId: string | undefined,
    type?: InteractionResponseType,
  ): void {
    const response = rec.addResponse({
      kind,
      ...(type !== undefined ? { type } : {}),
      data,
      files,
      ...(messageId ? { messageId } : {}),
    });
    this.emit('interactionResponse', { interactionId: rec.id, response });
  }

  /** Token checks shared by every webhook route: 50027 after the token lifetime, 10015 before any ACK. */
  private webhookInteraction(ctx: RouteContext): InteractionRecord {
    if (ctx.params.app !== this.applicationId)
      throw new ApiError(404, ErrorCodes.UnknownWebhook, 'Unknown Webhook');
    const rec = this.interactionsByToken.get(ctx.params.token ?? '');
    if (!rec) throw new ApiError(401, ErrorCodes.InvalidWebhookToken, 'Invalid Webhook Token');
    ctx.interaction = rec;
    if (Date.now() - rec.createdAt > this.tokenLifetimeMs) {
      throw new ApiError(401, ErrorCodes.InvalidWebhookToken, 'Invalid Webhook Token');
    }
    if (!rec.acknowledged) throw new ApiError(404, ErrorCodes.UnknownWebhook, 'Unknown Webhook');
    return rec;
  }

  private interactionMessage(rec: InteractionRecord, messageId: string | undefined): StoredMessage {
    const owned =
      messageId !== undefined && (messageId === rec.originalMessageId || rec.followupIds.includes(messageId));
    const stored = owned ? this.world.messages.get(messageId) : undefined;
    if (!stored || stored.deleted) throw new ApiError(404, ErrorCodes.UnknownMessage, 'Unknown Message');
    return stored;
  }

  private editInteractionMessage(ctx: RouteContext, which: string): RouteResult {
    const rec = this.webhookInteraction(ctx);
    const isOriginal = which === '@original';
    const stored = this.interactionMessage(rec, isOriginal ? rec.originalMessageId : which);
    const body = objectBody(ctx.body);
    validateMessageBody(body, ctx.files.length, false);
    this.world.applyEdit(stored, body, this.world.attachmentsFor(ctx.files));
    if (stored.message.id === rec.originalMessageId && rec.loading) {
      rec.loading = false;
      stored.message.flags = (stored.message.flags ?? 0) & ~LOADING;
    }
    if (typeof body.flags === 'number') {
      const keep = (stored.message.flags ?? 0) & EPHEMERAL;
      stored.message.flags = keep | (body.flags & SETTABLE_FLAGS & ~EPHEMERAL);
    }
    this.recordResponse(
      rec,
      isOriginal ? 'edit_original' : 'edit_message',
      body,
      ctx.files,
      stored.message.id,
    );
    this.messageChanged(stored, GatewayDispatchEvents.MessageUpdate);
    return json(200, stored.message);
  }

  private deleteInteractionMessage(ctx: RouteContext, which: string): RouteResult {
    const rec = this.webhookInteraction(ctx);
    const isOriginal = which === '@original';
    const stored = this.interactionMessage(rec, isOriginal ? rec.originalMessageId : which);
    stored.deleted = true;
    if (stored.message.id === rec.originalMessageId) rec.loading = false;
    this.recordResponse(rec, isOriginal ? 'delete_original' : 'delete_message', {}, [], stored.message.id);
    this.messageChanged(stored, GatewayDispatchEvents.MessageDelete);
    return json(204);
  }

  private followup(ctx: RouteContext): RouteResult {
    const rec = this.webhookInteraction(ctx);
    const body = objectBody(ctx.body) as ResponseData;
    validateMessageBody(body, ctx.files.length, true);
    const bodyFlags = (typeof body.flags === 'number' ? body.flags : 0) & SETTABLE_FLAGS;
    let stored: StoredMessage;
    const original = rec.originalMessageId ? this.world.messages.get(rec.originalMessageId) : undefined;
    if (rec.loading && original && !original.deleted) {
      // The first followup after a deferred reply completes the loading message (ephemerality from the ACK).
      stored = original;
      this.world.applyEdit(stored, body, this.world.attachmentsFor(ctx.files));
      stored.message.edited_timestamp = null;
      stored.message.flags = (rec.ephemeral ? EPHEMERAL : 0) | (bodyFlags & ~EPHEMERAL);
      rec.loading = false;
      this.messageChanged(stored, GatewayDispatchEvents.MessageUpdate);
    } else {
      stored = this.createInteractionMessage(rec, body, ctx.files, bodyFlags, 'followup');
      rec.followupIds.push(stored.message.id);
    }
    this.recordResponse(rec, 'followup', body, ctx.files, stored.message.id);
    return ctx.query.wait === 'false' ? json(204) : json(200, stored.message);
  }
}

function allowedCallbackTypes(rec: InteractionRecord): InteractionResponseType[] {
  const R = InteractionResponseType;
  switch (rec.type) {
    case InteractionType.ApplicationCommand:
      return [R.ChannelMessageWithSource, R.DeferredChannelMessageWithSource, R.Modal];
    case InteractionType.MessageComponent:
      return [
        R.ChannelMessageWithSource,
        R.DeferredChannelMessageWithSource,
        R.DeferredMessageUpdate,
        R.UpdateMessage,
        R.Modal,
      ];
    case InteractionType.ApplicationCommandAutocomplete:
      return [R.ApplicationCommandAutocompleteResult];
    case InteractionType.ModalSubmit:
      return rec.sourceMessageId
        ? [
            R.ChannelMessageWithSource,
            R.DeferredChannelMessageWithSource,
            R.DeferredMessageUpdate,
            R.UpdateMessage,
          ]
        : [R.ChannelMessageWithSource, R.DeferredChannelMessageWithSource];
    default:
      return [R.Pong];
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function matchSegments(pattern: string[], actual: string[]): Params | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Params = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const a = actual[i]!;
    if (p.startsWith(':')) {
      // '@me' / '@original' are literals in other routes; never let a parameter swallow them.
      if (a.startsWith('@')) return undefined;
      params[p.slice(1)] = a;
    } else if (p !== a) {
      return undefined;
    }
  }
  return params;
}
