/**
 * Discord's rules about an interaction's time (the snowflake decoding itself sits in components/,
 * below commands/, which needs it for live-game messages): when Discord received it (its id is a snowflake
 * carrying the time — the moment a click counts from) and how long its token may edit the reply
 * (15 minutes; a session stops a minute before, resumable, rather than fail an edit).
 */
import type { InteractionTimes } from '../commands/Command.js';
import { snowflakeTimestampMs } from '../components/snowflake.js';

/** Discord interaction tokens live 15 minutes; stop using one a minute before it dies. */
export const TOKEN_MAX_AGE_MS = 14 * 60_000;

export function interactionTimes(interactionId: string, nowMs: number): InteractionTimes {
  const issuedAtMs = snowflakeTimestampMs(interactionId) ?? nowMs;
  return { issuedAtMs, expiresAtMs: issuedAtMs + TOKEN_MAX_AGE_MS };
}
