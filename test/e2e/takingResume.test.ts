import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import type { APIMessage } from 'discord-api-types/v10';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/openDatabase.js';
import { PG_ADMIN_URL, type Scratch, scratchPostgres } from '../integration/store/storeTargets.js';
import { BotProcess } from '../support/botProcess.js';
import {
  DiscordEmulator,
  type EmulatedGuild,
  type EmulatedMember,
} from '../support/discord-emulator/index.js';
import {
  buttons,
  click,
  currentMessage,
  editedAt,
  firstEmbed,
  injectTake,
  quizInput,
  seedDatabase,
  sessionMessageId,
  waitForTitle,
  waitUntil,
} from './takingHarness.js';

// A quiz survives a restart: answer two questions, stop the bot (kill -9, or SIGTERM), start it
// again on the same database, click a button of the old message → Continue → finish. The first two
// answers' points are kept, the interrupted question comes back with a full timer, and the attempt
// is stored once, completed. On SQLite and on PostgreSQL. Build first: `npx tsc -p tsconfig.build.json`.

const TIMER_S = 60;
const QUESTIONS = [
  { text: 'Two plus two?', options: ['3', '4'], correctIndex: 1, points: 10, explanation: null },
  { text: 'Three times three?', options: ['9', '6'], correctIndex: 0, points: 20, explanation: null },
  { text: 'Ten minus one?', options: ['8', '9'], correctIndex: 1, points: 30, explanation: null },
  { text: 'Half of eight?', options: ['4', '2'], correctIndex: 0, points: 40, explanation: null },
];
/** Offsets just past a point boundary of every question (600 ms steps at 60 s for 10 points). */
const AFTER_MS = [700, 1300, 1700, 2200];

function expectedPoints(points: number, elapsedMs: number): number {
  const timerMs = TIMER_S * 1000;
  return Math.trunc((points * Math.max(0, timerMs - elapsedMs)) / timerMs);
}
const TOTAL = QUESTIONS.reduce((sum, q, i) => sum + expectedPoints(q.points, AFTER_MS[i] ?? 0), 0);

let emu: DiscordEmulator;
let guild: EmulatedGuild;
let channelId: string;
let admin: EmulatedMember;

beforeAll(async () => {
  emu = await DiscordEmulator.start({ heartbeatIntervalMs: 1000 });
  guild = emu.addGuild({ name: 'Restart Server', channels: [{ name: 'quiz' }] });
  channelId = guild.channels[0]?.id ?? '';
  admin = emu.addMember(guild.id, {
    user: { username: 'admin' },
    permissions: PermissionFlagsBits.ManageGuild,
  });
}, 30_000);

afterAll(async () => {
  await emu?.close();
});

interface Store {
  url: string;
  /** status → count, and the completed attempt's score. */
  attempts(): Promise<{ rows: { status: string; score: number; user_id: string }[] }>;
  dispose(): Promise<void>;
}

async function sqliteStore(quiz: string): Promise<{ store: Store; quizId: number }> {
  const seeded = await seedDatabase({
    guildId: guild.id,
    creatorId: admin.user.id,
    quizzes: [{ quiz: quizInput(quiz, TIMER_S), questions: QUESTIONS }],
    settings: { retakePolicy: 'once' },
  });
  const file = join(seeded.dir, 'badgey.sqlite');
  return {
    quizId: seeded.quizIds[0] ?? 0,
    store: {
      url: seeded.url,
      async attempts() {
        const { default: Database } = await import('better-sqlite3');
        const db = new Database(file, { readonly: true });
        try {
          return {
            rows: db.prepare('select status, score, user_id from attempts order by id').all() as never,
          };
        } finally {
          db.close();
        }
      },
      async dispose() {
        rmSync(seeded.dir, { recursive: true, force: true });
      },
    },
  };
}

async function postgresStore(quiz: string): Promise<{ store: Store; quizId: number }> {
  const scratch: Scratch = await scratchPostgres();
  const db = await openDatabase({ url: scratch.url, logger: pino({ level: 'silent' }) });
  let quizId: number;
  try {
    await db.migrate();
    const created = await db.quizzes.create(guild.id, admin.user.id, quizInput(quiz, TIMER_S));
    for (const question of QUESTIONS) await db.quizzes.addQuestion(guild.id, created.id, question);
    await db.guildSettings.update(guild.id, { retakePolicy: 'once' });
    quizId = created.id;
  } finally {
    await db.close();
  }
  const schema = new URL(scratch.url).searchParams.get('options')?.replace('-c search_path=', '') ?? '';
  return {
    quizId,
    store: {
      url: scratch.url,
      async attempts() {
        const client = new pg.Client({ connectionString: PG_ADMIN_URL });
        await client.connect();
        try {
          const result = await client.query(
            `select status, score, user_id from ${schema}.attempts order by id`,
          );
          return { rows: result.rows.map((r) => ({ ...r, score: Number(r.score) })) };
        } finally {
          await client.end();
        }
      },
      dispose: () => scratch.dispose(),
    },
  };
}

function startBot(url: string): Promise<BotProcess> {
  return BotProcess.start({
    env: {
      DISCORD_API_URL: emu.apiBase,
      DISCORD_TOKEN: emu.token,
      DISCORD_GUILD_IDS: guild.id,
      DATABASE_URL: url,
    },
  }).then(async (bot) => {
    await bot.waitUntilServing();
    return bot;
  });
}

/** Answers question `n` (1-based) correctly, AFTER_MS after it was shown; waits for the feedback. */
async function answer(member: EmulatedMember, messageId: string, n: number): Promise<APIMessage> {
  const question = await waitForTitle(emu, messageId, new RegExp(`^Question ${n}/4`));
  const button = buttons(question)[QUESTIONS[n - 1]?.correctIndex ?? 0];
  await click(
    emu,
    messageId,
    button?.custom_id ?? '',
    member.user.id,
    editedAt(question) + (AFTER_MS[n - 1] ?? 0),
  );
  return waitForTitle(emu, messageId, new RegExp(`^Correct! ✅ · Question ${n}/4`));
}

async function clickLabelled(member: EmulatedMember, messageId: string, label: RegExp): Promise<void> {
  const button = buttons(currentMessage(emu, messageId)).find((b) => label.test(b.label ?? ''));
  if (!button)
    throw new Error(`no button ${label} on ${JSON.stringify(currentMessage(emu, messageId).components)}`);
  await click(emu, messageId, button.custom_id, member.user.id);
}

async function metric(bot: BotProcess, series: string): Promise<number | undefined> {
  const text = String((await bot.get('/metrics')).body);
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const CASES = [
  { store: 'SQLite', stop: 'SIGKILL' },
  { store: 'SQLite', stop: 'SIGTERM' },
  { store: 'PostgreSQL', stop: 'SIGKILL' },
  { store: 'PostgreSQL', stop: 'SIGTERM' },
] as const;

describe('a quiz interrupted by a restart continues where it stopped', () => {
  for (const { store: storeName, stop } of CASES) {
    it(`${storeName}, ${stop === 'SIGKILL' ? 'kill -9' : 'SIGTERM'}: answer two, restart, old button → Continue → finish with the first two answers' points kept`, async () => {
      const { store, quizId } = await (storeName === 'SQLite' ? sqliteStore : postgresStore)(`Sums ${stop}`);
      const member = emu.addMember(guild.id, {
        user: { username: `m-${storeName}-${stop}` },
        permissions: 0n,
      });
      let bot = await startBot(store.url);
      try {
        const take = injectTake(emu, { guildId: guild.id, channelId }, member.user.id, quizId);
        const messageId = await sessionMessageId(take);
        await answer(member, messageId, 1);
        await clickLabelled(member, messageId, /Next question/);
        const feedback2 = await answer(member, messageId, 2);
        expect(firstEmbed(feedback2)?.fields?.find((f) => f.name === 'Score so far')?.value).toBe(
          String(expectedPoints(10, AFTER_MS[0] ?? 0) + expectedPoints(20, AFTER_MS[1] ?? 0)),
        );

        bot.signal(stop);
        const exit = await bot.waitForExit(20_000);
        if (stop === 'SIGKILL') {
          expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
          // Nothing ran at the kill: the message still shows question 2's feedback.
          expect(firstEmbed(currentMessage(emu, messageId))?.title).toMatch(/^Correct! ✅ · Question 2\/4/);
        } else {
          expect(exit.code, bot.dump()).toBe(0);
          const ended = currentMessage(emu, messageId);
          expect(firstEmbed(ended)?.title).toBe(`Badgey is restarting: Sums ${stop}`);
          expect(firstEmbed(ended)?.description).toContain('click **Continue** or run `/quiz take` again');
        }
        // Not finished: it does not count against the `once` retake policy, nor as completed.
        expect((await store.attempts()).rows.map((r) => r.status)).toEqual([
          stop === 'SIGKILL' ? 'in_progress' : 'interrupted',
        ]);
        await bot.stop();

        bot = await startBot(store.url);
        // Start-up found the attempt the killed process left running.
        expect((await store.attempts()).rows.map((r) => r.status)).toEqual(['interrupted']);

        // Any old button: kill -9 left "Next question", SIGTERM drew "Continue" (which continues at once).
        if (stop === 'SIGKILL') {
          await clickLabelled(member, messageId, /Next question/);
          const offer = await waitForTitle(emu, messageId, /^Continue Sums SIGKILL\?/);
          expect(firstEmbed(offer)?.fields).toEqual([
            { name: 'Question', value: '3 of 4', inline: true },
            {
              name: 'Score so far',
              value: String(expectedPoints(10, AFTER_MS[0] ?? 0) + expectedPoints(20, AFTER_MS[1] ?? 0)),
              inline: true,
            },
          ]);
          expect(buttons(offer).map((b) => b.label)).toEqual([
            `Continue (question 3 of 4, score ${expectedPoints(10, AFTER_MS[0] ?? 0) + expectedPoints(20, AFTER_MS[1] ?? 0)})`,
            'Start over',
            'Give up',
          ]);
        }
        const beforeContinue = Date.now();
        await clickLabelled(member, messageId, /^Continue/);
        // The interrupted question, asked again with a full timer.
        const question3 = await waitForTitle(emu, messageId, /^Question 3\/4/);
        const deadline = Number(/<t:(\d+):R>/.exec(firstEmbed(question3)?.description ?? '')?.[1]) * 1000;
        expect(deadline).toBeGreaterThanOrEqual(
          Math.floor(beforeContinue / 1000) * 1000 + (TIMER_S - 1) * 1000,
        );
        await answer(member, messageId, 3);
        await clickLabelled(member, messageId, /Next question/);
        await answer(member, messageId, 4);
        await clickLabelled(member, messageId, /See results/);
        const summary = await waitForTitle(emu, messageId, new RegExp(`^Quiz complete: Sums ${stop}`));
        expect(firstEmbed(summary)?.fields?.[0]?.value).toBe(`**${TOTAL}** of 100 points`);
        expect(firstEmbed(summary)?.fields?.[1]?.value).toBe('4 of 4');

        // One attempt, completed with all four answers' points (stored before the summary is drawn).
        expect((await store.attempts()).rows).toEqual([
          { status: 'completed', score: TOTAL, user_id: member.user.id },
        ]);
        expect(await metric(bot, 'badgey_sessions_ended_total{reason="resumed"}')).toBe(1);
        expect(await metric(bot, 'badgey_sessions_ended_total{reason="completed"}')).toBe(1);
      } finally {
        await bot.stop();
        await store.dispose();
      }
    }, 90_000);
  }

  it('/quiz take on the same quiz offers the interrupted attempt; Give up drops it and a retake starts fresh', async () => {
    const { store, quizId } = await sqliteStore('Sums take');
    const member = emu.addMember(guild.id, { user: { username: 'taker' }, permissions: 0n });
    let bot = await startBot(store.url);
    try {
      const messageId = await sessionMessageId(
        injectTake(emu, { guildId: guild.id, channelId }, member.user.id, quizId),
      );
      await answer(member, messageId, 1);
      bot.signal('SIGKILL');
      await bot.waitForExit(10_000);
      await bot.stop();
      bot = await startBot(store.url);

      const again = await sessionMessageId(
        injectTake(emu, { guildId: guild.id, channelId }, member.user.id, quizId),
      );
      const offer = await waitForTitle(emu, again, /^Continue Sums take\?/);
      expect(buttons(offer).map((b) => b.label)).toContain('Give up');
      await clickLabelled(member, again, /^Give up/);
      await waitUntil(() => /You gave up/.test(String(currentMessage(emu, again).content ?? '')), 'gave up');
      expect((await store.attempts()).rows.map((r) => r.status)).toEqual(['abandoned']);
      // Given up: not taken (retake policy `once`), so /quiz take starts afresh at question 1.
      const fresh = await sessionMessageId(
        injectTake(emu, { guildId: guild.id, channelId }, member.user.id, quizId),
      );
      await waitForTitle(emu, fresh, /^Question 1\/4/);
    } finally {
      await bot.stop();
      await store.dispose();
    }
  }, 60_000);
});
