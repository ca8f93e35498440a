/** Discord snowflakes: (ms since 2015-01-01) << 22 | worker/process/increment. */
export const DISCORD_EPOCH = 1420070400000n;

let increment = 0n;

/** A fresh snowflake whose timestamp is `ms` (default now); discord.js reads it back with BigInt. */
export function snowflakeAt(ms: number = Date.now()): string {
  increment = (increment + 1n) & 0x3fffffn;
  return (((BigInt(Math.floor(ms)) - DISCORD_EPOCH) << 22n) | increment).toString();
}

/** Milliseconds since the Unix epoch encoded in a snowflake. */
export function snowflakeTimestamp(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

/** The shard a guild lives on. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}
