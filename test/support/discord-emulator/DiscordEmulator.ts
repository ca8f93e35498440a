import { EventEmitter } from 'node:events';
import type { APIApplicationCommand, APIAttachment, APIMessage, APIUser } from 'discord-api-types/v10';
import type {
  AutocompleteInjection,
  ChatInputInjection,
  ComponentInjection,
  DiscordEmulatorOptions,
  EmulatedGuild,
  EmulatedMember,
  EmulatedRole,
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

const notYet = (): never => {
  throw new Error('DiscordEmulator: not implemented yet');
};

/** A local Discord (REST v10 + gateway v10) on 127.0.0.1. Start with `DiscordEmulator.start()`. */
export class DiscordEmulator extends EventEmitter<EmulatorEvents> {
  /** e.g. 'http://127.0.0.1:PORT/api' → DISCORD_API_URL / discord.js `rest.api`. */
  readonly apiBase: string = '';
  /** 'ws://127.0.0.1:PORT/gateway' (what /gateway/bot answers). */
  readonly gatewayUrl: string = '';
  /** The accepted bot token. */
  readonly token: string = '';
  readonly applicationId: string = '';
  readonly botUser: APIUser = undefined as unknown as APIUser;
  /** Every REST request, in order (including faults and unknown routes). */
  readonly restCalls: RecordedRestCall[] = [];
  /** REST requests no route matched (answered 404 {message:'404: Not Found', code:0}). */
  readonly unhandledCalls: RecordedRestCall[] = [];
  /** Every gateway frame in both directions. */
  readonly gatewayFrames: RecordedGatewayFrame[] = [];
  /** How many bulk PUTs of commands (global or guild) were accepted. */
  commandRegistrations = 0;

  /** Starts the HTTP + WebSocket server on 127.0.0.1 (port 0 by default). */
  static async start(_options: DiscordEmulatorOptions = {}): Promise<DiscordEmulator> {
    return notYet();
  }

  /** Stops the server, closes every gateway connection (code 1001) and rejects pending waits. */
  async close(): Promise<void> {
    notYet();
  }

  // ── world ────────────────────────────────────────────────────────────────

  /** Adds a guild (with @everyone role, the bot as member); GUILD_CREATE to its shard if connected. */
  addGuild(_input: GuildInput): EmulatedGuild {
    return notYet();
  }
  guild(_guildId: string): EmulatedGuild | undefined {
    return notYet();
  }
  addRole(_guildId: string, _input: RoleInput): EmulatedRole {
    return notYet();
  }
  /** Adds a member (and its user). `permissions` overrides the payload's `member.permissions`. */
  addMember(_guildId: string, _input: MemberInput): EmulatedMember {
    return notYet();
  }
  setChannelPermissions(_channelId: string, _perms: { botCanSend: boolean }): void {
    notYet();
  }
  /** Stores a file served at http://127.0.0.1:PORT/attachments/ID/NAME (for attachment options). */
  addAttachment(_name: string, _content: Buffer | string, _contentType?: string): APIAttachment {
    return notYet();
  }
  /** Content of an attachment by id or url (user-uploaded or sent by the bot). */
  attachmentContent(_idOrUrl: string): Buffer | undefined {
    return notYet();
  }

  // ── interactions ─────────────────────────────────────────────────────────

  injectChatInput(_input: ChatInputInjection): InteractionHandle {
    return notYet();
  }
  injectComponent(_input: ComponentInjection): InteractionHandle {
    return notYet();
  }
  injectModalSubmit(_input: ModalSubmitInjection): InteractionHandle {
    return notYet();
  }
  injectAutocomplete(_input: AutocompleteInjection): InteractionHandle {
    return notYet();
  }
  interaction(_id: string): InteractionHandle | undefined {
    return notYet();
  }

  // ── messages / commands ──────────────────────────────────────────────────

  /** Messages in a channel (oldest first), including ephemeral interaction replies (flags & 64). */
  messages(_channelId: string): APIMessage[] {
    return notYet();
  }
  /** Same with files and allowed_mentions. */
  storedMessages(_channelId: string): StoredMessage[] {
    return notYet();
  }
  message(_messageId: string): StoredMessage | undefined {
    return notYet();
  }
  waitForMessage(
    _channelId: string,
    _predicate: (m: APIMessage) => boolean = () => true,
    _timeoutMs = 5000,
  ): Promise<APIMessage> {
    return notYet();
  }
  /** Global commands (no guildId) or a guild's commands. */
  registeredCommands(_opts: { guildId?: string } = {}): APIApplicationCommand[] {
    return notYet();
  }

  // ── gateway faults ───────────────────────────────────────────────────────

  /** Closes the shard's WebSocket(s) with a close frame (4000 → resume, 1000 → re-identify, 4004 → fatal). */
  closeGateway(_code: number, _opts: ShardSelector & { reason?: string } = {}): void {
    notYet();
  }
  /** Destroys the TCP socket without a close frame (client sees 1006 and resumes). */
  dropGateway(_opts: ShardSelector = {}): void {
    notYet();
  }
  /** Sends op 7 RECONNECT. */
  sendReconnect(_opts: ShardSelector = {}): void {
    notYet();
  }
  /** Sends op 9 INVALID_SESSION; non-resumable also forgets the session. */
  invalidateSession(_opts: ShardSelector & { resumable: boolean }): void {
    notYet();
  }
  /** Sends op 1 (client must heartbeat at once). */
  requestHeartbeat(_opts: ShardSelector = {}): void {
    notYet();
  }
  stopHeartbeatAcks(_opts: ShardSelector = {}): void {
    notYet();
  }
  resumeHeartbeatAcks(_opts: ShardSelector = {}): void {
    notYet();
  }
  /** Sends a dispatch to the guild's shard session(s) (queued for replay when disconnected). */
  dispatch(_t: string, _d: unknown, _opts: { guildId?: string; shard?: number } = {}): void {
    notYet();
  }
  /** Current sessions (one per IDENTIFY that has not been forgotten). */
  get sessions(): GatewaySessionInfo[] {
    return notYet();
  }

  // ── REST faults / availability ───────────────────────────────────────────

  /** The next `times` matching requests answer `status` (429 with Retry-After) instead of the route. */
  injectFault(_input: FaultInput): Fault {
    return notYet();
  }
  /** false: REST answers 503 and new gateway connections are refused ({dropConnections} also kills open ones). */
  setAvailable(_available: boolean, _opts: { dropConnections?: boolean } = {}): void {
    notYet();
  }

  // ── waiting ──────────────────────────────────────────────────────────────

  /** Resolves with the first `event` payload matching `predicate` (emitted after the call). */
  waitFor<E extends EmulatorEventName>(
    _event: E,
    _predicate: (...args: EmulatorEvents[E]) => boolean = () => true,
    _timeoutMs = 5000,
  ): Promise<EmulatorEvents[E][0]> {
    return notYet();
  }
  /** Clears restCalls, unhandledCalls and gatewayFrames (e.g. between bench phases). */
  clearRecords(): void {
    notYet();
  }
}
