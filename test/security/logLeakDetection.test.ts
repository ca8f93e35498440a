import { describe, expect, it } from 'vitest';
import { BotProcess } from '../support/botProcess.js';
import { watchInteractionToken, watchUserId } from '../support/logLeaks.js';

// Every test that runs the bot as a child process (BotProcess: e2e, faults, load, security) checks
// each stdout/stderr line for the secrets it started the bot with; stop() fails the test on a leak.
// This proves that net catches a leak, on a stand-in bot that prints its secrets.

describe('the log leak check on every bot process', () => {
  it('fails stop() naming each leaked secret, and passes for a process that prints none', async () => {
    const leaky = await BotProcess.start({
      entry: 'test/security/fixtures/leakyBot.mjs',
      env: {
        DISCORD_TOKEN: 'leak-token-123456',
        DATABASE_URL: 'postgres://badgey:leak%2Fpassword@127.0.0.1:5432/test',
        ANALYTICS_SALT: 'leak-salt-0123456789',
      },
    });
    await leaky.waitForExit();
    const failure = await leaky.stop().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(String(failure)).toMatch(/the bot logged a secret/);
    expect(String(failure)).toContain('DISCORD_TOKEN');
    expect(String(failure)).toContain('database password');
    expect(String(failure)).toContain('ANALYTICS_SALT');
    expect(String(failure)).not.toContain('leak-token-123456'); // the report names, never repeats, the secret

    // Issue 12: interaction tokens and raw user ids the emulator handed out, and request bodies.
    const token = 'aW50ZXJhY3Rpb24leakleakleakleakleakleakleakleakleakleak';
    watchInteractionToken(token);
    watchUserId('1578984477747576999', 'ada');
    const discordLeaky = await BotProcess.start({
      entry: 'test/security/fixtures/leakyBot.mjs',
      env: {
        DISCORD_TOKEN: undefined,
        DATABASE_URL: 'sqlite:./x.sqlite',
        ANALYTICS_SALT: undefined,
        LEAK_INTERACTION: `${token} 1578984477747576999`,
      },
    });
    await discordLeaky.waitForExit();
    const discordFailure = String(
      await discordLeaky.stop().then(
        () => undefined,
        (error: unknown) => error,
      ),
    );
    expect(discordFailure).toContain('an interaction token');
    expect(discordFailure).toContain('the raw user id of ada');
    expect(discordFailure).toContain('a Discord request body');
    expect(discordFailure).not.toContain(token);

    const quiet = await BotProcess.start({
      entry: 'test/security/fixtures/leakyBot.mjs',
      env: { DISCORD_TOKEN: undefined, DATABASE_URL: 'sqlite:./x.sqlite', ANALYTICS_SALT: undefined },
    });
    await quiet.waitForExit();
    await expect(quiet.stop()).resolves.toBeUndefined();
  });
});
