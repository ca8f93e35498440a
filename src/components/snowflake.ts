import { DiscordSnowflake } from '@sapphire/snowflake';

/** Discord's epoch (2015-01-01T00:00:00Z) in Unix milliseconds. */
export const DISCORD_EPOCH_MS = DiscordSnowflake.epoch;

/**
 * When Discord created the object with this snowflake id (an interaction id: when Discord
 * received the click), in Unix milliseconds. Returns null for a string that is not a snowflake
 * (the decoder itself would read any digits).
 */
export function snowflakeTimestampMs(id: string): number | null {
  if (!/^\d{1,20}$/.test(id) || BigInt(id) >= 1n << 64n) return null;
  return DiscordSnowflake.timestampFrom(id);
}

/** The smallest snowflake created at `ms` (for tests and emulators that mint ids). */
export function snowflakeAtMs(ms: number, increment = 0): string {
  return DiscordSnowflake.generate({
    timestamp: ms,
    increment: BigInt(increment & 0xfff),
    workerId: 0n,
    processId: 0n,
  }).toString();
}
