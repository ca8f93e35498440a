/**
 * Every gateway close code Badgey treats specially, in one table. discord.js (@discordjs/ws 1.2)
 * resumes or re-identifies by itself after the recoverable ones; after a fatal one it never
 * reconnects, so the process must exit and tell the operator what to fix.
 */

/** Exit status for a fatal gateway close: EX_CONFIG from sysexits.h — every fatal code is a configuration problem. */
export const FATAL_GATEWAY_EXIT_CODE = 78;

export interface FatalGatewayClose {
  code: number;
  /** Discord's name for the code, e.g. `AuthenticationFailed`. */
  name: string;
  /** One sentence telling the operator what to change. */
  fix: string;
}

export type GatewayCloseClass =
  | { kind: 'fatal'; close: FatalGatewayClose }
  /** The client resumes the session (missed events are replayed). */
  | { kind: 'resume' }
  /** The session is gone; the client identifies again. */
  | { kind: 'reidentify' };

const FATAL: Record<number, Omit<FatalGatewayClose, 'code'>> = {
  4004: {
    name: 'AuthenticationFailed',
    fix: 'DISCORD_TOKEN is invalid: reset it in the Discord Developer Portal (your application → Bot → Reset Token) and update the secret',
  },
  4010: {
    name: 'InvalidShard',
    fix: 'SHARD_IDS contains a shard id that is not below SHARD_COUNT: fix SHARD_IDS/SHARD_COUNT (or set both to auto)',
  },
  4011: {
    name: 'ShardingRequired',
    fix: 'Discord requires sharding for this bot: set SHARD_COUNT (or SHARD_COUNT=auto) and run the shards across pods',
  },
  4012: {
    name: 'InvalidAPIVersion',
    fix: 'the gateway rejected API version 10: upgrade discord.js, or check DISCORD_API_URL points at Discord (or a compatible proxy)',
  },
  4013: {
    name: 'InvalidIntents',
    fix: 'the gateway rejected the intents Badgey sent: this is a Badgey bug, report it with this log line',
  },
  4014: {
    name: 'DisallowedIntents',
    fix: 'Badgey needs no privileged intents; the gateway refused the ones requested: check DISCORD_TOKEN belongs to the intended application, and report this as a Badgey bug',
  },
};

/** Codes after which @discordjs/ws 1.2 starts a new session instead of resuming. */
const REIDENTIFY = new Set([1000, 4003, 4005, 4007, 4008]);

export function classifyGatewayClose(code: number): GatewayCloseClass {
  const fatal = FATAL[code];
  if (fatal) return { kind: 'fatal', close: { code, ...fatal } };
  return REIDENTIFY.has(code) ? { kind: 'reidentify' } : { kind: 'resume' };
}

/** The fatal entry for a REST 401 at login (`TokenInvalid`): the same fix as close code 4004. */
export function tokenRejectedClose(): FatalGatewayClose {
  return { code: 4004, ...(FATAL[4004] as Omit<FatalGatewayClose, 'code'>) };
}
