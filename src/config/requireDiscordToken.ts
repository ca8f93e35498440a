import type { Config } from './Config.js';
import { ConfigError, ConfigIssue } from './ConfigError.js';

const HOW_TO_SET =
  'put DISCORD_TOKEN=<your bot token> in .env or the environment ' +
  '(Discord Developer Portal → your application → Bot → Reset Token). ' +
  'To try Badgey without Discord, run: make demo';

/** The bot token, or a ConfigError saying how to set it. Only the Discord client needs this. */
export function requireDiscordToken(config: Pick<Config, 'discordToken'>): string {
  if (config.discordToken) return config.discordToken;
  throw new ConfigError(
    [new ConfigIssue('DISCORD_TOKEN', `is not set: ${HOW_TO_SET}`, 'default')],
    `DISCORD_TOKEN is not set: ${HOW_TO_SET}`,
  );
}
