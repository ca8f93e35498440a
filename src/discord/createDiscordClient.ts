import { ActivityType, Client, GatewayIntentBits, Options, type RateLimitData } from 'discord.js';
import type { Config } from '../config/Config.js';

/** The seed's presence: playing "Monitoring Comms!", online. */
export const PRESENCE_ACTIVITY = 'Monitoring Comms!';

/**
 * The longest rate-limit wait a channel post (the public results) may sit out. Discord's usual
 * channel limit (5 posts per 5 s) waits seconds; a `retry_after` of an hour must not keep the post
 * (and everything waiting on it, such as shutdown) pending: discord.js then rejects the post with a
 * RateLimitError, which the caller records, instead of sleeping.
 */
export const CHANNEL_POST_MAX_WAIT_MS = 15_000;

/** discord.js's `rejectOnRateLimit`: give up on channel posts whose wait exceeds the bound. */
export function rejectLongChannelPostWait(data: RateLimitData): boolean {
  return (
    data.method.toUpperCase() === 'POST' &&
    data.route === '/channels/:id/messages' &&
    Math.max(data.timeToReset, data.retryAfter) > CHANNEL_POST_MAX_WAIT_MS
  );
}

/**
 * How often discord.js drops its idle REST handlers. It keeps one handler per route and major
 * parameter, and for an interaction webhook the major parameter is the token: every finished
 * session left two handlers (edit @original, followup) — 7–11 MB of heap per 1,000 sessions — until
 * the default hourly sweep. A sweep only drops handlers with nothing queued and no rate limit
 * pending; the buckets' rate-limit hashes stay.
 */
export const REST_HANDLER_SWEEP_MS = 60_000;

/**
 * The discord.js client, configured for an interaction-only bot:
 * - intents: `Guilds` only — no privileged intents (no message content, members or presences);
 * - REST base from DISCORD_API_URL (a proxy, or the test emulator; the gateway URL follows from
 *   `GET /gateway/bot`);
 * - shards from SHARD_IDS / SHARD_COUNT (`auto` = Discord's recommendation);
 * - caches Badgey never reads are disabled, so memory per guild stays small;
 * - idle REST handlers swept every `REST_HANDLER_SWEEP_MS` (tests may pass a shorter interval).
 */
export function createDiscordClient(
  config: Pick<Config, 'discordApiUrl' | 'shardIds' | 'shardCount'>,
  options: { restHandlerSweepMs?: number } = {},
): Client {
  const sharding =
    config.shardIds === 'auto'
      ? { shards: 'auto' as const }
      : {
          shards: config.shardIds,
          ...(config.shardCount === 'auto' ? {} : { shardCount: config.shardCount }),
        };
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    partials: [],
    ...sharding,
    rest: {
      api: config.discordApiUrl,
      rejectOnRateLimit: rejectLongChannelPostWait,
      handlerSweepInterval: options.restHandlerSweepMs ?? REST_HANDLER_SWEEP_MS,
    },
    presence: { status: 'online', activities: [{ name: PRESENCE_ACTIVITY, type: ActivityType.Playing }] },
    // Interactions carry everything Badgey needs; cached messages, members, presences etc. would only cost memory.
    // (Guild, channel and role caches stay: discord.js does not support limiting them.)
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      ReactionManager: 0,
      ReactionUserManager: 0,
      PresenceManager: 0,
      VoiceStateManager: 0,
      GuildEmojiManager: 0,
      GuildStickerManager: 0,
      GuildScheduledEventManager: 0,
      GuildInviteManager: 0,
      GuildBanManager: 0,
      StageInstanceManager: 0,
      AutoModerationRuleManager: 0,
      ThreadMemberManager: 0,
      GuildMemberManager: { maxSize: 0, keepOverLimit: (member) => member.id === member.client.user?.id },
      UserManager: { maxSize: 0, keepOverLimit: (user) => user.id === user.client.user?.id },
    }),
    sweepers: Options.DefaultSweeperSettings,
  });
}
