/**
 * Local Discord API emulator (REST v10 + gateway v10, JSON, no compression) for tests, the demo
 * and benchmarks. Point discord.js at it with `rest: { api: emu.apiBase }` (the bot: env
 * DISCORD_API_URL=emu.apiBase) and log in with `emu.token`.
 *
 * ```ts
 * const emu = await DiscordEmulator.start({ heartbeatIntervalMs: 1000 });
 * const guild = emu.addGuild({ name: 'Test', channels: [{ name: 'general' }] });
 * const user = emu.addMember(guild.id, { user: { username: 'ada' } });
 * // … start the bot with DISCORD_API_URL=emu.apiBase, DISCORD_TOKEN=emu.token …
 * await emu.waitFor('commandsRegistered');
 * const h = emu.injectChatInput({ guildId: guild.id, channelId: guild.channels[0]!.id, userId: user.user.id, name: 'help' });
 * const first = await h.waitForResponse();
 * await emu.close();
 * ```
 */
export { DiscordEmulator } from './DiscordEmulator.js';
export { DISCORD_EPOCH, shardOf, snowflakeAt, snowflakeTimestamp } from './snowflake.js';
export type * from './types.js';
