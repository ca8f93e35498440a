/**
 * Standalone emulator for the demo and benchmarks: `npx tsx test/support/discord-emulator/cli.ts`.
 * Starts one guild with a #general channel and a member, prints one JSON line on stdout
 * ({ apiBase, token, applicationId, guildId, channelId, userId }) and stays up until SIGTERM/SIGINT.
 * Env: EMULATOR_SHARD_COUNT, EMULATOR_HEARTBEAT_MS, EMULATOR_TOKEN, EMULATOR_LOG_FRAMES=1.
 */
import { DiscordEmulator } from './DiscordEmulator.js';

const emu = await DiscordEmulator.start({
  shardCount: Number(process.env.EMULATOR_SHARD_COUNT ?? 1),
  heartbeatIntervalMs: Number(process.env.EMULATOR_HEARTBEAT_MS ?? 41_250),
  token: process.env.EMULATOR_TOKEN ?? 'test-token',
  logFrames: process.env.EMULATOR_LOG_FRAMES === '1',
});
const guild = emu.addGuild({ name: 'Badgey Demo', channels: [{ name: 'general' }] });
const member = emu.addMember(guild.id, { user: { username: 'demo-user' } });
process.stdout.write(
  `${JSON.stringify({
    apiBase: emu.apiBase,
    token: emu.token,
    applicationId: emu.applicationId,
    guildId: guild.id,
    channelId: guild.channels[0]!.id,
    userId: member.user.id,
  })}\n`,
);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  emu.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
