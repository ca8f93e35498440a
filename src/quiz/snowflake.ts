/** Discord's epoch (2015-01-01T00:00:00Z) in Unix milliseconds. */
export const DISCORD_EPOCH_MS = 1_420_070_400_000n;

/**
 * When Discord created the object with this snowflake id (an interaction id: when Discord
 * received the click), in Unix milliseconds. Returns null for a string that is not a snowflake.
 */
export function snowflakeTimestampMs(id: string): number | null {
  if (!/^\d{1,20}$/.test(id)) return null;
  const value = BigInt(id);
  if (value >= 1n << 64n) return null;
  return Number((value >> 22n) + DISCORD_EPOCH_MS);
}

/** The smallest snowflake created at `ms` (for tests and emulators that mint ids). */
export function snowflakeAtMs(ms: number, increment = 0): string {
  return (((BigInt(ms) - DISCORD_EPOCH_MS) << 22n) | BigInt(increment & 0xfff)).toString();
}
