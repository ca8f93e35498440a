import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type APIApplicationCommand,
  type APIAttachment,
  type APIMessage,
  type APIUser,
  GatewayOpcodes,
} from 'discord-api-types/v10';
import { ChannelRoutes } from './ChannelRoutes.js';
import { CommandRoutes } from './CommandRoutes.js';
import type { EmulatorCore, EmulatorOptions } from './EmulatorCore.js';
import { GatewayServer } from './GatewayServer.js';
import { Injections } from './Injections.js';
import type { InteractionRecord } from './InteractionRecord.js';
import { InteractionRoutes } from './InteractionRoutes.js';
import { RestLimits } from './RestLimits.js';
import { RestServer } from './RestServer.js';
import type { AddRoute, Route } from './routing.js';
import { shardOf, snowflakeAt } from './snowflake.js';
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
  InteractionHandle,
  MemberInput,
  ModalSubmitInjection,
  RecordedGatewayFrame,
  RecordedRestCall,
  RoleInput,
  ShardSelector,
  StoredMessage,
} from './types.js';
import { World } from './World.js';
import { WorldControls } from './WorldControls.js';

/**
 * A local Discord (REST v10 + gateway v10) on 127.0.0.1. Start with `DiscordEmulator.start()`.
 * This class is the facade tests use; the jobs live in their parts: RestServer (HTTP plumbing),
 * RestLimits (faults, rate limits), ChannelRoutes / CommandRoutes / InteractionRoutes (REST
 * routes), Injections (interactions from users), WorldControls + World (guilds, members,
 * channels, messages), GatewayServer (the WebSocket gateway).
 */
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
  private readonly worldControls: WorldControls;
  private readonly channelRoutes: ChannelRoutes;
  private readonly commandRoutes: CommandRoutes;
  private readonly interactionRoutes: InteractionRoutes;
  private readonly injections: Injections;
  private readonly rest: RestServer;
  private readonly limits: RestLimits;
  private readonly commands = new Map<string, APIApplicationCommand[]>();
  private readonly interactions = new Map<string, InteractionRecord>();
  private readonly interactionsByToken = new Map<string, InteractionRecord>();
  private readonly pendingWaits = new Set<(error: Error) => void>();
  private available = true;
  private closed = false;

  private constructor(
    private readonly server: Server,
    port: number,
    options: EmulatorOptions,
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
    const core: EmulatorCore = {
      events: this,
      world: this.world,
      gateway: this.gateway,
      limits: this.limits,
      options,
      token: this.token,
      applicationId: this.applicationId,
      botUser: this.botUser,
      gatewayUrl: this.gatewayUrl,
      shardCount: this.shardCount,
      ackDeadlineMs: this.ackDeadlineMs,
      tokenLifetimeMs: this.tokenLifetimeMs,
      commands: this.commands,
      interactions: this.interactions,
      interactionsByToken: this.interactionsByToken,
      restCalls: this.restCalls,
      unhandledCalls: this.unhandledCalls,
      isAvailable: () => this.available,
    };
    this.worldControls = new WorldControls(core);
    this.channelRoutes = new ChannelRoutes(core);
    this.commandRoutes = new CommandRoutes(core, () => {
      this.commandRegistrations += 1;
    });
    this.interactionRoutes = new InteractionRoutes(core, this.channelRoutes);
    this.injections = new Injections(core, this.channelRoutes, this.commandRoutes);
    this.rest = new RestServer(core, this.buildRoutes());
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.rest.handleHttp(req, res).catch((error: unknown) => {
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
    return this.worldControls.addGuild(input);
  }

  /** The bot leaves (or is removed from) a guild: GUILD_DELETE to its shard; its channels go too. */
  removeGuild(guildId: string): void {
    this.worldControls.removeGuild(guildId);
  }

  /** Changes a guild and sends GUILD_UPDATE to its shard (queued for replay when disconnected). */
  updateGuild(guildId: string, patch: { name?: string; locale?: string }): EmulatedGuild {
    return this.worldControls.updateGuild(guildId, patch);
  }

  guild(guildId: string): EmulatedGuild | undefined {
    return this.worldControls.guild(guildId);
  }

  addRole(guildId: string, input: RoleInput): EmulatedRole {
    return this.worldControls.addRole(guildId, input);
  }

  /** Adds a member (and its user). `permissions` overrides the payload's `member.permissions`. */
  addMember(guildId: string, input: MemberInput): EmulatedMember {
    return this.worldControls.addMember(guildId, input);
  }

  /**
   * botCanSend:false → the bot's POST /channels/:id/messages answers 403 {code:50013}.
   * `botDeny` → a member overwrite denying the bot these bits (CHANNEL_UPDATE is sent, so the bot's
   * cache sees it): without View Channel every channel route answers 403 50001, without Send
   * Messages a POST answers 403 50013.
   */
  setChannelPermissions(channelId: string, perms: { botCanSend?: boolean; botDeny?: bigint }): void {
    this.worldControls.setChannelPermissions(channelId, perms);
  }

  /** Adds a text channel to a guild (CHANNEL_CREATE to its shard). */
  addChannel(guildId: string, input: { name: string; id?: string }): EmulatedChannel {
    return this.worldControls.addChannel(guildId, input);
  }

  /** Deletes a guild channel (CHANNEL_DELETE to its shard); its routes then answer 404 10003. */
  deleteChannel(channelId: string): void {
    this.worldControls.deleteChannel(channelId);
  }

  /** Adds `count` members named `<prefix>1…` at once (a crowd for live games and benchmarks). */
  addMembers(guildId: string, count: number, prefix = 'member'): EmulatedMember[] {
    return this.worldControls.addMembers(guildId, count, prefix);
  }

  /** Stores a file served at http://127.0.0.1:PORT/attachments/ID/NAME (for attachment options). */
  addAttachment(
    name: string,
    content: Buffer | string,
    contentType = 'application/octet-stream',
  ): APIAttachment {
    return this.worldControls.addAttachment(name, content, contentType);
  }

  /** Content of an attachment by id or url (user-uploaded or sent by the bot). */
  attachmentContent(idOrUrl: string): Buffer | undefined {
    return this.worldControls.attachmentContent(idOrUrl);
  }

  // ── interactions ─────────────────────────────────────────────────────────

  /** Injects a slash command (type 2) from a member; dispatched to the guild's shard. */
  injectChatInput(input: ChatInputInjection): InteractionHandle {
    return this.injections.injectChatInput(input);
  }

  /** Injects a button click / select on a stored message (the bot's reply or any bot message). */
  injectComponent(input: ComponentInjection): InteractionHandle {
    return this.injections.injectComponent(input);
  }

  /** Injects a modal submit (type 5) with text input values. */
  injectModalSubmit(input: ModalSubmitInjection): InteractionHandle {
    return this.injections.injectModalSubmit(input);
  }

  /** Injects an autocomplete request (type 4); one option must have `focused: true`. */
  injectAutocomplete(input: AutocompleteInjection): InteractionHandle {
    return this.injections.injectAutocomplete(input);
  }

  /**
   * Injects a slash command used in the bot's DMs (`user` instead of `member`, no guild_id,
   * context 1, dispatched to shard 0). Only global commands allowed in DMs can be used there.
   */
  injectDirectMessageCommand(input: DirectMessageCommandInjection): InteractionHandle {
    return this.injections.injectDirectMessageCommand(input);
  }

  /** Adds a user who is in no guild (for DMs); members get their user through addMember. */
  addUser(input: {
    id?: string;
    username: string;
    globalName?: string | null;
    locale?: string;
  }): EmulatedUser {
    return this.world.ensureUser(input);
  }

  interaction(id: string): InteractionHandle | undefined {
    return this.interactions.get(id);
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

  // ── routes ───────────────────────────────────────────────────────────────

  /** The route table, in matching order (first match wins). */
  private buildRoutes(): Route[] {
    const routes: Route[] = [];
    const add: AddRoute = (method, pattern, auth, handler) => {
      routes.push({ method, pattern, segments: pattern.split('/').filter((s) => s), auth, handler });
    };
    this.channelRoutes.registerInfo(add);
    this.commandRoutes.register(add);
    this.interactionRoutes.register(add);
    this.channelRoutes.register(add);
    return routes;
  }
}
