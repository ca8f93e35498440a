import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/ConfigError.js';
import { loadConfig } from '../../../src/config/loadConfig.js';
import { requireDiscordToken } from '../../../src/config/requireDiscordToken.js';
import { useTempDirs } from './configFiles.js';

const tempDir = useTempDirs();

describe('requireDiscordToken', () => {
  it('says how to set a missing token and how to try the demo', () => {
    const config = loadConfig({ env: {}, cwd: tempDir() });
    let thrown: unknown;
    try {
      requireDiscordToken(config);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const error = thrown as ConfigError;
    expect(error.message).toBe(
      'DISCORD_TOKEN is not set: put DISCORD_TOKEN=<your bot token> in .env or the environment ' +
        '(Discord Developer Portal → your application → Bot → Reset Token). ' +
        'To try Badgey without Discord, run: make demo',
    );
    expect(error.issues.map((issue) => issue.key)).toEqual(['DISCORD_TOKEN']);
  });

  it('returns the token from .env', () => {
    const config = loadConfig({ env: {}, cwd: tempDir({ '.env': 'DISCORD_TOKEN=MTIz.abc.def\n' }) });
    expect(requireDiscordToken(config)).toBe('MTIz.abc.def');
  });
});
