import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  injectTake,
  quizInput,
  seedDatabase,
  sessionMessageId,
  waitForTitle,
  waitUntil,
} from '../e2e/takingHarness.js';
import { BotProcess } from '../support/botProcess.js';
import { DiscordEmulator, type InteractionHandle } from '../support/discord-emulator/index.js';

// Another process holds the SQLite write lock (`BEGIN EXCLUSIVE`: a backup, an operator's sqlite3
// shell) while the real bot runs against the emulator, whose 3 s acknowledgement deadline is
// Discord's. better-sqlite3 waits for a lock on the main thread: with its old 5 s busy timeout every
// write froze the process (no /help, no /health) and /ready said 200 ("select 1" reads fine in WAL);
// at start-up the switch to WAL blocked before the HTTP server listened, then the process exited.

const REPO = resolve(import.meta.dirname, '../..');
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** A second process that takes the write lock with BEGIN EXCLUSIVE and holds it until release(). */
async function holdLock(path: string, journalMode?: 'delete'): Promise<{ release(): Promise<void> }> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(path)});
    ${journalMode ? `db.pragma('journal_mode = ${journalMode}');` : ''}
    db.exec('BEGIN EXCLUSIVE');
    process.stdout.write('locked\\n');
    process.stdin.once('data', () => { db.exec('COMMIT'); db.close(); process.exit(0); });`;
  const child: ChildProcess = spawn(process.execPath, ['-e', script], {
    cwd: REPO,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  cleanups.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  await new Promise<void>((resolveLocked, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolveLocked();
    });
    child.once('exit', (code) => reject(new Error(`the lock holder exited (${code}) before locking`)));
  });
  return {
    async release() {
      child.stdin?.write('go\n');
      await exited;
    },
  };
}

async function world() {
  const emu = await DiscordEmulator.start({ heartbeatIntervalMs: 1000 });
  cleanups.push(() => emu.close());
  const guild = emu.addGuild({ name: 'Club', channels: [{ name: 'quiz' }] });
  const admin = emu.addMember(guild.id, {
    user: { username: 'admin' },
    permissions: PermissionFlagsBits.ManageGuild,
  });
  const ada = emu.addMember(guild.id, { user: { username: 'ada' }, permissions: 0n });
  const bob = emu.addMember(guild.id, { user: { username: 'bob' }, permissions: 0n });
  const seeded = await seedDatabase({
    guildId: guild.id,
    creatorId: admin.user.id,
    quizzes: [
      {
        quiz: quizInput('One', 30),
        questions: [{ text: '1 + 1?', options: ['2', '3'], correctIndex: 0, points: 10, explanation: null }],
      },
    ],
    settings: { retakePolicy: 'unlimited' },
  });
  cleanups.push(() => rmSync(seeded.dir, { recursive: true, force: true }));
  const start = () =>
    BotProcess.start({
      env: {
        DISCORD_API_URL: emu.apiBase,
        DISCORD_TOKEN: emu.token,
        DISCORD_GUILD_IDS: guild.id,
        DATABASE_URL: seeded.url,
        LOG_LEVEL: 'info',
      },
    }).then((bot) => {
      cleanups.push(() => bot.stop());
      return bot;
    });
  const where = { guildId: guild.id, channelId: guild.channels[0]?.id ?? '' };
  return { emu, ada, bob, seeded, start, where, path: seeded.url.slice('sqlite:'.length) };
}

/** What the member sees of a take: its message as the bot last drew it. */
const takeText = (take: InteractionHandle) => JSON.stringify(take.originalMessage() ?? {});

describe('another process holds the SQLite write lock (real second process)', { timeout: 90_000 }, () => {
  it('the bot stays responsive: /help within Discord’s deadline, members told to try again, /ready names the lock, then recovers', async () => {
    const w = await world();
    const bot = await w.start();
    await bot.waitUntilServing();
    const lock = await holdLock(w.path);

    // Members keep taking the quiz (each a write) while others ask for /help (no database).
    const takes: InteractionHandle[] = [];
    const helps: InteractionHandle[] = [];
    for (let i = 0; i < 12; i++) {
      if (i % 3 === 0) takes.push(injectTake(w.emu, w.where, w.ada.user.id, w.seeded.quizIds[0] ?? 0));
      helps.push(w.emu.injectChatInput({ ...w.where, userId: w.ada.user.id, name: 'help' }));
      await new Promise((r) => setTimeout(r, 250));
    }
    const reasons = (
      (await bot.waitForStatus('/ready', 503, 10_000, 100)) as { reasons?: Record<string, string> }
    ).reasons;
    expect(reasons?.database).toBe('database is locked by another process (a backup or a sqlite3 shell?)');
    for (const help of helps) {
      const answer = await help.waitForResponse(10_000);
      expect(answer.type).toBe(4);
      expect(help.errors, 'a /help missed Discord’s deadline').toEqual([]);
    }
    // A quiz asked for now is refused with "try again" (a reply, not Discord's "did not respond").
    const refused = injectTake(w.emu, w.where, w.bob.user.id, w.seeded.quizIds[0] ?? 0);
    await waitUntil(() => /try again/i.test(takeText(refused)), 'the member told to try again', 10_000).catch(
      (error: Error) => {
        throw new Error(`${error.message}: ${takeText(refused)}`);
      },
    );
    for (const take of [...takes, refused]) expect(take.errors).toEqual([]);

    await lock.release();
    await bot.waitForStatus('/ready', 200, 10_000, 100);
    const after = injectTake(w.emu, w.where, w.bob.user.id, w.seeded.quizIds[0] ?? 0);
    await waitForTitle(w.emu, await sessionMessageId(after), /^Question 1\/1/);
  });

  it('at start-up: the HTTP server listens while the file is locked, /ready names the lock, and the bot migrates once it is free', async () => {
    const w = await world();
    // A file in rollback-journal mode: switching it to WAL needs the lock.
    const lock = await holdLock(w.path, 'delete');
    const bot = await w.start();
    await bot.waitForLog((line) => line.msg === 'badgey started', 15_000);
    expect((await bot.get('/health')).status).toBe(200);
    // Not ready, naming the lock (the switch to WAL and the migrations retry in the background).
    let ready: unknown;
    const deadline = Date.now() + 15_000;
    do {
      ready = (await bot.get('/ready')).body;
      if (/locked by another process/.test(JSON.stringify(ready))) break;
      await new Promise((r) => setTimeout(r, 200));
    } while (Date.now() < deadline);
    expect(JSON.stringify(ready)).toMatch(/"database":"database is locked by another process/);
    await lock.release();
    await bot.waitUntilServing(20_000);
  });
});
