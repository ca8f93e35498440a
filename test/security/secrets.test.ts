import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCustomId, parseCustomId } from '../../src/components/customId.js';
import { openDatabase } from '../../src/store/openDatabase.js';
import { isMsg } from '../e2e/discordHarness.js';
import {
  buttons,
  click,
  EPHEMERAL,
  injectTake,
  politeReply,
  quizInput,
  sessionMessageId,
  waitForTitle,
} from '../e2e/takingHarness.js';
import { type Scratch, scratchPostgres } from '../integration/store/storeTargets.js';
import { BotProcess } from '../support/botProcess.js';
import { DiscordEmulator, type EmulatedMember } from '../support/discord-emulator/index.js';

// The real bot (`node dist/main.js`) against the Discord emulator and PostgreSQL, run with
// distinctive secrets, driven through commands, a stale button, a gateway fault and SIGTERM, then
// a config error. Every stdout/stderr line and every file it wrote must be free of the token, the
// database password, the salt and the health token; analytics exports and /metrics free of the
// members' raw user ids; /health details only with the token. Build first: `npm run build`.

const TOKEN = 'SecToken.k8Zr2Qw9-MvXn4Lp7Ht1';
const DB_PASSWORD = 'DbPw7Jq2Nx5Rz8Vb3';
const SALT = 'SaltR9vK3mT6wQ2pL8xZ';
const HEALTH_TOKEN = 'HealthTok4Yw8Gd2Fs6';
const SECRETS = { token: TOKEN, 'database password': DB_PASSWORD, salt: SALT, 'health token': HEALTH_TOKEN };

// Distinctive member ids (valid snowflakes) whose digits must never show up in exports or metrics.
const MEMBER_IDS = ['271828182845904523', '314159265358979323', '161803398874989484'];

/** Every file under `dir`, read as latin1 so binary files are searchable too. */
function filesUnder(dir: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) out.push(...filesUnder(path));
    else out.push({ path, text: readFileSync(path).toString('latin1') });
  }
  return out;
}

function expectNoSecrets(where: string, text: string): void {
  for (const [name, secret] of Object.entries(SECRETS)) {
    expect(text.includes(secret), `${where} contains the ${name}`).toBe(false);
    // A secret logged in another encoding (URL-encoded, base64) counts too.
    expect(text.includes(encodeURIComponent(secret)), `${where} contains the ${name} (URL-encoded)`).toBe(
      false,
    );
    expect(
      text.includes(Buffer.from(secret).toString('base64')),
      `${where} contains the ${name} (base64)`,
    ).toBe(false);
  }
}

let database: Scratch;
let quizId: number;
let emu: DiscordEmulator;
let bot: BotProcess;
let guildId: string;
let channelId: string;
let members: EmulatedMember[];
/** Each member's quiz session message and its first answer button (from the first test). */
const sessions = new Map<string, { messageId: string; answerId: string }>();

function databaseUrlWithPassword(): string {
  // 127.0.0.1 uses trust auth: the password is ignored by the server but travels through the bot.
  const url = new URL(database.url);
  url.username = 'postgres';
  url.password = DB_PASSWORD;
  return url.toString();
}

async function withDatabase<T>(
  action: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>,
): Promise<T> {
  const db = await openDatabase({ url: database.url, logger: pino({ level: 'silent' }) });
  try {
    return await action(db);
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  database = await scratchPostgres();
  emu = await DiscordEmulator.start({ token: TOKEN, heartbeatIntervalMs: 1000 });
  const guild = emu.addGuild({ name: 'Security Guild', channels: [{ name: 'quiz' }] });
  guildId = guild.id;
  channelId = guild.channels[0]?.id ?? '';
  members = MEMBER_IDS.map((id, i) =>
    emu.addMember(guild.id, {
      user: { id, username: `member${i}` },
      permissions: i === 0 ? PermissionFlagsBits.ManageGuild : 0n,
    }),
  );
  // A quiz to take, seeded into the bot's PostgreSQL schema before it starts.
  quizId = await withDatabase(async (db) => {
    await db.migrate();
    const quiz = await db.quizzes.create(guildId, MEMBER_IDS[0] ?? '', quizInput('Security quiz', 30));
    for (const text of ['One?', 'Two?'])
      await db.quizzes.addQuestion(guildId, quiz.id, {
        text,
        options: ['yes', 'no'],
        correctIndex: 0,
        points: 10,
        explanation: null,
      });
    return quiz.id;
  });
  bot = await BotProcess.start({
    env: {
      DISCORD_API_URL: emu.apiBase,
      DISCORD_GUILD_IDS: guildId,
      DISCORD_TOKEN: TOKEN,
      DATABASE_URL: databaseUrlWithPassword(),
      ANALYTICS_SALT: SALT,
      HEALTH_AUTH_TOKEN: HEALTH_TOKEN,
      LOG_LEVEL: 'trace', // the most verbose run is the one most likely to leak
      ANALYTICS_EXPORT_INTERVAL: '5s',
      BOT_OWNER_IDS: MEMBER_IDS[1],
    },
  });
  await bot.waitForStatus('/ready', 200, 20_000);
  await bot.waitForLog(isMsg(/slash commands/), 15_000);
});

afterAll(async () => {
  await bot?.stop();
  await emu?.close();
  await database?.dispose();
});

describe('security in a real run (bot + emulator + PostgreSQL, distinctive secrets and user ids)', () => {
  it('serves every command, quiz taking and a gateway fault', async () => {
    const names = emu.registeredCommands({ guildId }).map((c: { name: string }) => c.name);
    expect(names).toContain('quiz');
    for (const member of members) {
      for (const name of names) {
        const handle = emu.injectChatInput({ guildId, channelId, userId: member.user.id, name });
        const response = await handle.waitForResponse();
        const messageId = response.messageId ?? handle.originalMessage()?.id;
        // A button from no handler we know, on the bot's own reply: a polite refusal.
        if (messageId) {
          await emu
            .injectComponent({ messageId, customId: 'bdg1:no-such-handler:x:1', userId: member.user.id })
            .waitForResponse();
        }
      }
      // Each member takes the quiz and answers question 1, so their ids reach analytics.
      const take = injectTake(emu, { guildId, channelId }, member.user.id, quizId);
      const sessionMessage = await sessionMessageId(take);
      const message = await waitForTitle(emu, sessionMessage, /Question 1/);
      const [first] = buttons(message);
      expect(first).toBeDefined();
      sessions.set(member.user.id, { messageId: sessionMessage, answerId: first?.custom_id ?? '' });
      await (await click(emu, sessionMessage, first?.custom_id ?? '', member.user.id)).waitForResponse();
    }
    emu.closeGateway(4000);
    await bot.waitForStatus('/ready', 200, 15_000);
  });

  it("refuses forged custom ids: a delete confirmation naming the forger, another member's quiz buttons", async () => {
    const [manager, plain, other] = members as [EmulatedMember, EmulatedMember, EmulatedMember];
    // `plain` (no Manage Server) forges a delete confirmation that names themself as the requester.
    const { messageId: otherSession, answerId } = sessions.get(other.user.id) ?? {
      messageId: '',
      answerId: '',
    };
    const forgedDelete = emu.injectComponent({
      messageId: otherSession,
      customId: encodeCustomId('quiz-delete', 'confirm', quizId, plain.user.id),
      userId: plain.user.id,
    });
    // Issue 12 item 8: a custom id whose handler has no button on that message is refused in a
    // new ephemeral reply (it used to reach the delete handler, which answered by replacing the
    // session message with its refusal).
    const refusal = await forgedDelete.waitForResponse();
    expect(refusal.type).toBe(4); // a new message, not 7 (update the clicked one)
    expect(refusal.data.flags).toBe(EPHEMERAL);
    expect(JSON.stringify(refusal.data)).toMatch(/doesn't belong to this message/);
    expect(await withDatabase((db) => db.quizzes.getById(guildId, quizId))).not.toBeNull();

    // The same on the forger's own session message, naming themself — and even a manager's own
    // forged confirmation deletes nothing and leaves their quiz message as it was.
    for (const who of [plain, manager]) {
      const own = sessions.get(who.user.id)?.messageId ?? '';
      const forged = emu.injectComponent({
        messageId: own,
        customId: encodeCustomId('quiz-delete', 'confirm', quizId, who.user.id),
        userId: who.user.id,
      });
      const answer = await forged.waitForResponse();
      expect([answer.type, answer.data.flags]).toEqual([4, EPHEMERAL]);
      // Nothing this interaction did touched the quiz message.
      expect(forged.responses.filter((r) => r.type === 7 || r.messageId === own)).toEqual([]);
    }
    expect(await withDatabase((db) => db.quizzes.getById(guildId, quizId))).not.toBeNull();

    // `plain` presses `other`'s button (the real custom id, taken from their session message).
    const foreign = emu.injectComponent({
      messageId: otherSession,
      customId: answerId,
      userId: plain.user.id,
    });
    expect(await politeReply(foreign)).toMatch(/isn't your quiz/);
    // …and a tampered id: `other`'s own session button with out-of-range arguments.
    const real = parseCustomId(answerId);
    expect(real.ok).toBe(true);
    const tampered = real.ok
      ? encodeCustomId(real.value.handler, 'answer', real.value.args[0] ?? '', 99, 99)
      : '';
    const outOfRange = emu.injectComponent({
      messageId: otherSession,
      customId: tampered,
      userId: other.user.id,
    });
    expect((await outOfRange.waitForResponse()).data.flags).toBe(EPHEMERAL);
    // Malformed ids and ids from an unknown version: the stale-button answer, never a crash.
    for (const customId of [
      'bdg1:quiz-delete:confirm:%zz',
      'bdg1:Quiz:x',
      'bdg9:quiz-delete:confirm:1:1',
      ':::',
      'x'.repeat(100),
    ]) {
      const handle = emu.injectComponent({ messageId: otherSession, customId, userId: manager.user.id });
      expect(JSON.stringify((await handle.waitForResponse()).data)).toMatch(
        /older version of Badgey|no longer/i,
      );
    }
    expect(await withDatabase((db) => db.quizzes.getById(guildId, quizId))).not.toBeNull();
  });

  it('a results post Discord keeps failing is logged by code and route, without the post or the member id', async () => {
    // Issue 12 item 2: "results post failed" logged the whole Discord error, whose request body
    // mentions the member (`<@id>`). BotProcess fails the run on a raw member id or body in any line.
    const member = members[0] as EmulatedMember;
    const { messageId } = sessions.get(member.user.id) ?? { messageId: '' };
    const fault = emu.injectFault({
      method: 'POST',
      path: new RegExp(`^/channels/${channelId}/messages$`),
      status: 500,
      times: 20,
    });
    const second = await waitForTitle(emu, messageId, /Question 2/, 20_000);
    await (
      await click(emu, messageId, buttons(second)[0]?.custom_id ?? '', member.user.id)
    ).waitForResponse();
    const line = await bot.waitForLog(isMsg(/results post failed/), 30_000);
    expect(fault.hits).toBeGreaterThan(0);
    expect(line.err).toMatchObject({ status: 500, method: 'POST', route: `/channels/${channelId}/messages` });
    expect(JSON.stringify(line)).not.toContain(member.user.id);
    expect(bot.secretLeaks).toEqual([]);
  });

  it('hides /health details without HEALTH_AUTH_TOKEN; /metrics has no user or guild id', async () => {
    const bare = await fetch(bot.url('/health'));
    expect(bare.status).toBe(200);
    expect(Object.keys((await bare.json()) as object).sort()).toEqual(['ready', 'status']);
    const wrong = await fetch(bot.url('/health'), { headers: { Authorization: 'Bearer not-the-token' } });
    expect(Object.keys((await wrong.json()) as object).sort()).toEqual(['ready', 'status']);
    const full = (await (
      await fetch(bot.url('/health'), { headers: { Authorization: `Bearer ${HEALTH_TOKEN}` } })
    ).json()) as Record<string, unknown>;
    expect(full).toHaveProperty('memory_usage_mb');
    expect(full).toHaveProperty('components');

    // /metrics stays open by design (Prometheus scrapes it; it carries no user data).
    const metrics = await (await fetch(bot.url('/metrics'))).text();
    expect(metrics).toMatch(/badgey_interactions_total/);
    expectNoSecrets('/metrics', metrics);
    for (const id of [...MEMBER_IDS, guildId]) expect(metrics, `/metrics holds ${id}`).not.toContain(id);
  });

  it('after SIGTERM: no secret in any log line or file, no raw user id in the analytics exports', async () => {
    bot.signal('SIGTERM');
    expect(await bot.waitForExit(20_000)).toEqual({ code: 0, signal: null });

    const files = filesUnder(bot.dataDir);
    const exports = files.filter((file) => file.path.includes('analytics') && file.path.endsWith('.json'));
    expect(exports.length, 'no analytics export was written').toBeGreaterThan(0);
    for (const file of files) expectNoSecrets(file.path, file.text);
    for (const file of exports) {
      JSON.parse(file.text); // a complete, valid export
      for (const id of MEMBER_IDS)
        expect(file.text, `${file.path} holds the raw user id ${id}`).not.toContain(id);
    }
    // The members did reach analytics (pseudonymised), so the absence above means something.
    const latest = JSON.parse(
      exports.find((f) => f.path.endsWith('analytics-latest.json'))?.text ?? exports[0]?.text ?? '{}',
    );
    expect(latest.statistics.quizzes_started).toBeGreaterThanOrEqual(MEMBER_IDS.length);
    expect(latest.statistics.active_users).toBeGreaterThanOrEqual(2);

    expect(bot.logs.length).toBeGreaterThan(20);
    expectNoSecrets('the bot log', bot.logs.map((line) => JSON.stringify(line)).join('\n'));
  });

  it('prints a config error naming the bad keys without echoing any secret', async () => {
    const bot = await BotProcess.start({
      env: {
        DISCORD_TOKEN: `Bot ${TOKEN}`, // the "Bot " prefix is refused: the token is in a bad value
        DATABASE_URL: `postgres://postgres:${DB_PASSWORD}@127.0.0.1:notaport/test`,
        ANALYTICS_SALT: `${SALT} with spaces`,
        HEALTH_AUTH_TOKEN: `${HEALTH_TOKEN} x`,
        HEALTH_PORT: 'eighty',
      },
    });
    try {
      const exit = await bot.waitForExit(15_000);
      expect(exit.code).toBe(2);
      const logText = bot.logs.map((line) => JSON.stringify(line)).join('\n');
      expect(logText).toMatch(/HEALTH_PORT/);
      expect(logText).toMatch(/DISCORD_TOKEN/);
      expect(logText).toMatch(/ANALYTICS_SALT/);
      expectNoSecrets('the config error output', logText);
      for (const file of filesUnder(bot.dataDir)) expectNoSecrets(file.path, file.text);
    } finally {
      await bot.stop();
    }
  });
});
