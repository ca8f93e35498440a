/**
 * Public types of the local Discord emulator. Payloads are typed with discord-api-types v10 so
 * the compiler catches a missing field that would otherwise become a silent unhandled rejection
 * inside discord.js (a payload it cannot parse throws in its event handler, not in the test).
 */
import type {
  APIApplicationCommand,
  APIApplicationCommandInteractionDataOption,
  APIAttachment,
  APIInteraction,
  APIMessage,
  ChannelType,
  InteractionResponseType,
  InteractionType,
} from 'discord-api-types/v10';

export interface DiscordEmulatorOptions {
  /** Shard count recommended by GET /gateway/bot. Guilds go to shard (guild_id >> 22) % count. Default 1. */
  shardCount?: number;
  /** The only bot token accepted. Others → /gateway/bot 401, gateway close 4004. Default 'test-token'. */
  token?: string;
  /** First-response deadline; a later first callback → 404 {code:10062}. Default 3000. */
  ackDeadlineMs?: number;
  /** Interaction token lifetime; webhook calls after it → 401 {code:50027}. Default 15 min. */
  tokenLifetimeMs?: number;
  /** HELLO heartbeat_interval. Default 41250; tests use small values. */
  heartbeatIntervalMs?: number;
  /** Print every gateway frame and REST call to stderr. Default false. */
  logFrames?: boolean;
  /** Application id (= bot user id). Default a fresh snowflake. */
  applicationId?: string;
  /** Bot user name. Default 'Badgey'. */
  botUsername?: string;
  /** `max_concurrency` in /gateway/bot session_start_limit. Default 1. */
  maxConcurrency?: number;
  /** Send X-RateLimit-* headers (Remaining stays high). Default true. */
  rateLimitHeaders?: boolean;
  /**
   * Enforce real per-bucket rate limits (bucket = route + channel/guild/webhook token; interaction
   * callbacks exempt): truthful X-RateLimit-* headers, and 429 + Retry-After beyond `limit` per
   * `windowMs`. Default off (headers then keep Remaining high).
   */
  rateLimit?: { limit: number; windowMs: number };
  /**
   * Discord's per-channel message limit (about 5 per 5 s): bot POST/PATCH/DELETE of messages in one
   * channel share one bucket; beyond `limit` per `windowMs` → 429 with `retry_after`. Default off.
   */
  channelMessageRateLimit?: { limit: number; windowMs: number };
  /** Port to listen on (127.0.0.1). Default 0 (any free port). */
  port?: number;
  /** Accept privileged intents (GuildMembers, GuildPresences, MessageContent). Default false → close 4014. */
  allowPrivilegedIntents?: boolean;
  /**
   * Enforce Discord's identify rate limit: one IDENTIFY per 5 s per key (shard % maxConcurrency);
   * extra ones get op 9 d:false. Default false (tests usually remove discord.js's throttle).
   */
  enforceIdentifyConcurrency?: boolean;
}

export interface ChannelInput {
  id?: string;
  name: string;
  /** Default ChannelType.GuildText (0). */
  type?: ChannelType;
}

export interface GuildInput {
  id?: string;
  /** Generate an id that lives on this shard ((id >> 22) % shardCount). Ignored when id is given. */
  shard?: number;
  name: string;
  /** Default one text channel named 'general'. */
  channels?: ChannelInput[];
  /** Default a fresh user id (a user named 'owner' is created). */
  ownerId?: string;
  /** preferred_locale / guild_locale. Default 'en-US'. */
  locale?: string;
}

export interface RoleInput {
  id?: string;
  name: string;
  permissions: bigint | string;
}

export interface UserInput {
  id?: string;
  username: string;
  globalName?: string | null;
  bot?: boolean;
  /** The language of the user's Discord client, sent as `locale` on their interactions. Default 'en-US'. */
  locale?: string;
}

export interface MemberInput {
  user: UserInput;
  roles?: string[];
  /** Overrides the computed `member.permissions` sent in interaction payloads. */
  permissions?: bigint | string;
  nick?: string | null;
}

/** A guild in the emulator's world. Mutating these objects directly is allowed in tests. */
export interface EmulatedGuild {
  id: string;
  name: string;
  ownerId: string;
  locale: string;
  channels: EmulatedChannel[];
  roles: EmulatedRole[];
  members: EmulatedMember[];
}

export interface EmulatedChannel {
  id: string;
  guildId: string | null;
  name: string;
  type: ChannelType;
  /** false → bot POST /channels/:id/messages answers 403 {code:50013}. */
  botCanSend: boolean;
  /** Permissions denied to the bot by a member overwrite on this channel (shown in permission_overwrites). */
  botDeny?: bigint;
}

export interface EmulatedRole {
  id: string;
  name: string;
  permissions: bigint;
}

export interface EmulatedUser {
  id: string;
  username: string;
  globalName: string | null;
  bot: boolean;
  /** The client's language: every interaction of this user carries it unless the injection names another. */
  locale: string;
}

export interface EmulatedMember {
  user: EmulatedUser;
  roles: string[];
  /** Explicit override; undefined → computed from @everyone + roles (owner: all). */
  permissionsOverride: bigint | undefined;
  nick: string | null;
  joinedAt: string;
}

export interface ChatInputInjection {
  guildId: string;
  channelId: string;
  userId: string;
  /** Registered command name (guild-scoped commands win over global ones). */
  name: string;
  /** Options as Discord sends them, including subcommand / group nesting. */
  options?: APIApplicationCommandInteractionDataOption[];
  /** User locale. Default 'en-US'. */
  locale?: string;
  /** The interaction id's timestamp (epoch ms). Default now. */
  createdAt?: number;
  /** `attachment_size_limit` of the payload (Discord's upload limit here). Default 10 MiB. */
  attachmentSizeLimit?: number;
}

export interface DirectMessageCommandInjection {
  /** A user known to the emulator (addUser / addMember). */
  userId: string;
  /** A global command available in DMs (dm_permission not false / contexts include 1). */
  name: string;
  options?: APIApplicationCommandInteractionDataOption[];
  locale?: string;
}

export interface ComponentInjection {
  /** The message carrying the component (an interaction's original response or any bot message). */
  messageId: string;
  customId: string;
  userId: string;
  /** Default: the message's guild / channel. */
  guildId?: string;
  channelId?: string;
  /** Set for a string select menu (component_type 3). */
  values?: string[];
  /** Default 2 (button), or 3 (string select) when values is given. */
  componentType?: number;
  locale?: string;
  /** When Discord "received" the click: the interaction id's timestamp (epoch ms). Default now. */
  createdAt?: number;
}

export interface ModalSubmitInjection {
  customId: string;
  userId: string;
  guildId: string;
  channelId: string;
  /** text input custom_id → value. */
  fields: Record<string, string>;
  /** Set when the modal was opened from a component on this message. */
  messageId?: string;
  locale?: string;
}

export interface AutocompleteInjection {
  guildId: string;
  channelId: string;
  userId: string;
  name: string;
  /** One option (possibly nested in a subcommand) must carry `focused: true`. */
  options: APIApplicationCommandInteractionDataOption[];
  locale?: string;
}

/** Body fields the bot may send in a callback or a webhook call; the rest stays unknown. */
export interface ResponseData {
  content?: string;
  flags?: number;
  embeds?: Array<Record<string, unknown>>;
  components?: Array<Record<string, unknown>>;
  allowed_mentions?: Record<string, unknown>;
  attachments?: Array<Record<string, unknown>>;
  /** Autocomplete result (type 8). */
  choices?: Array<{ name: string; value: string | number }>;
  /** Modal (type 9). */
  custom_id?: string;
  title?: string;
  [key: string]: unknown;
}

export type InteractionResponseKind =
  | 'callback'
  | 'edit_original'
  | 'followup'
  | 'delete_original'
  | 'edit_message'
  | 'delete_message';

export interface UploadedFile {
  name: string;
  content: Buffer;
  contentType: string;
}

/** One accepted answer from the bot to an interaction (rejected calls are in `errors`). */
export interface InteractionResponse {
  kind: InteractionResponseKind;
  /** Callback type (4 reply, 5 defer, 6 deferUpdate, 7 update, 8 autocomplete, 9 modal). */
  type?: InteractionResponseType;
  data: ResponseData;
  files: UploadedFile[];
  /** The message created / edited / deleted, when there is one. */
  messageId?: string;
  /** Date.now() when the emulator accepted it. */
  at: number;
  /** Milliseconds since injection (monotonic clock). */
  elapsedMs: number;
}

/** A bot call about an interaction that the emulator refused (10062, 40060, 50027, …). */
export interface InteractionError {
  method: string;
  path: string;
  status: number;
  code: number;
  message: string;
  at: number;
}

export interface InteractionHandle {
  readonly id: string;
  readonly token: string;
  readonly type: InteractionType;
  /** Date.now() at injection (also encoded in the id's snowflake timestamp). */
  readonly createdAt: number;
  /** The INTERACTION_CREATE payload that was dispatched. */
  readonly payload: APIInteraction;
  /** Gateway sessions it was dispatched to (0: no bot session for that shard — nobody will answer). */
  readonly deliveredTo: number;
  /** Callback and every webhook edit / followup / delete, in order. */
  readonly responses: readonly InteractionResponse[];
  /** Followup messages, current state. */
  readonly followups: readonly APIMessage[];
  /** Refused calls (late callback, double ack, expired token, …). */
  readonly errors: readonly InteractionError[];
  /** Resolves with the first callback; rejects after timeoutMs (default 5000). */
  waitForResponse(timeoutMs?: number): Promise<InteractionResponse>;
  /** Resolves once `responses.length >= n`; rejects after timeoutMs (default 5000). */
  waitForResponses(n: number, timeoutMs?: number): Promise<InteractionResponse[]>;
  /** Resolves with the first refused call; rejects after timeoutMs (default 5000). */
  waitForError(timeoutMs?: number): Promise<InteractionError>;
  /** The current @original message (reply, deferred reply after edit, or updated component message). */
  originalMessage(): APIMessage | undefined;
}

/** A message as stored by the emulator, with what the API call carried beside it. */
export interface StoredMessage {
  message: APIMessage;
  guildId: string | null;
  files: UploadedFile[];
  allowedMentions: Record<string, unknown> | undefined;
  via: 'channel' | 'interaction' | 'webhook';
  deleted: boolean;
  /** Earlier versions of the message, oldest first (one per edit). */
  history?: APIMessage[];
}

export interface RecordedRestCall {
  method: string;
  /** Decoded path without the /api/v10 prefix, e.g. '/interactions/1/tok/callback'. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Parsed JSON (or payload_json of a multipart body); undefined when empty. */
  body: unknown;
  files: UploadedFile[];
  status: number;
  at: number;
  /** Route pattern that answered, e.g. 'POST /interactions/:id/:token/callback'; null when unknown. */
  matchedRoute: string | null;
  /** Set when an injected fault answered instead of the route. */
  fault?: boolean;
}

export interface RecordedGatewayFrame {
  shard: number;
  connectionId: number;
  direction: 'in' | 'out';
  op: number;
  t?: string | null;
  s?: number | null;
  at: number;
}

export type SessionState = 'identifying' | 'ready' | 'resumed' | 'disconnected' | 'closed';

export interface GatewaySessionInfo {
  shard: number;
  shardCount: number;
  sessionId: string;
  /** Last sequence number dispatched in this session. */
  sequence: number;
  state: SessionState;
  /** A WebSocket is currently attached. */
  connected: boolean;
  intents: number;
  /** Presence the client set (IDENTIFY `presence`, then op 3 updates), as sent. */
  presence: unknown;
}

export interface FaultInput {
  method?: string;
  /** Matched against the decoded path without /api/v10 (see RecordedRestCall.path). */
  path: RegExp;
  status: 429 | 500 | 502 | 503 | 504;
  times: number;
  /** 429 only. Default 1. */
  retryAfterSeconds?: number;
  /** 429 only: a global rate limit (X-RateLimit-Global). */
  global?: boolean;
}

export interface Fault {
  readonly input: FaultInput;
  /** How many requests it has answered so far. */
  readonly hits: number;
  readonly remaining: number;
}

export interface ShardSelector {
  /** Default: every shard. */
  shard?: number;
}

/** Events emitted by the emulator (EventEmitter names → payload). */
export interface EmulatorEvents {
  identify: [{ shard: number; shardCount: number; sessionId: string; token: string; intents: number }];
  /** An IDENTIFY refused by enforceIdentifyConcurrency. */
  identifyRateLimited: [{ shard: number }];
  resume: [{ shard: number; sessionId: string; seq: number; replayed: number }];
  ready: [{ shard: number; sessionId: string }];
  rest: [RecordedRestCall];
  interactionResponse: [{ interactionId: string; response: InteractionResponse }];
  interactionError: [{ interactionId: string; error: InteractionError }];
  message: [StoredMessage];
  close: [
    { shard: number | null; connectionId: number; code: number; reason: string; by: 'server' | 'client' },
  ];
  heartbeat: [{ shard: number; seq: number | null; acked: boolean }];
  commandsRegistered: [{ guildId: string | null; commands: APIApplicationCommand[] }];
  frame: [RecordedGatewayFrame];
}

export type EmulatorEventName = keyof EmulatorEvents;

export type { APIApplicationCommand, APIAttachment, APIMessage };
