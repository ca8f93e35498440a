/**
 * The baseline of bench/discord.ts: a minimal discord.js bot — log in, answer `/ping` with "pong".
 * No database, no health server, no analytics: what Badgey's overhead is measured against.
 * Plain JavaScript so it starts like `node dist/main.js` does (no TypeScript loader in the timing).
 * Env: DISCORD_API_URL, DISCORD_TOKEN, DISCORD_GUILD_ID. Prints `ready` on clientReady.
 */
import { Client, Events, GatewayIntentBits } from 'discord.js';

const client = new Client({
  intents: [GatewayIntentBits.Guilds],
  rest: { api: process.env.DISCORD_API_URL ?? 'https://discord.com/api' },
});

client.once(Events.ClientReady, async (ready) => {
  process.stdout.write('ready\n');
  await ready.application.commands.set(
    [{ name: 'ping', description: 'Replies pong' }],
    process.env.DISCORD_GUILD_ID ?? '',
  );
  process.stdout.write('registered\n');
});

client.on(Events.InteractionCreate, async (interaction) => {
  if (interaction.isChatInputCommand() && interaction.commandName === 'ping') {
    await interaction.reply('pong').catch(() => undefined);
  }
});

process.on('SIGTERM', () => {
  void client.destroy().finally(() => process.exit(0));
});

await client.login(process.env.DISCORD_TOKEN);
