import { parse } from 'csv-parse/sync';
import { ApplicationCommandOptionType as T } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotProcess } from '../support/botProcess.js';
import type {
  DiscordEmulator,
  EmulatedGuild,
  EmulatedMember,
  InteractionHandle,
  InteractionResponse,
} from '../support/discord-emulator/index.js';
import { columnsHolding } from '../support/memberIdScan.js';
import {
  finalAnswer as answer,
  type BotWorld,
  type CommandExtra,
  type OptionSpec,
  startBotWorld,
} from './botWorld.js';
import { quizInput } from './takingHarness.js';

// /scores and /mydata end to end: the real bot (`node dist/main.js`) against the emulator, ONE
// bot for the file, its SQLite file seeded beforehand with quizzes whose titles need CSV quoting
// and with attempts of three members. The cases run in order and build on each other.
// Build first: `npm run build`.

const EPHEMERAL = 64;
const DAY = 24 * 3_600_000;
const TITLES = ['Capitals, rivers & "mountains"', 'Line one\nline two', '漢字クイズ：第１回 — Викторина'];

let world: BotWorld<'admin' | 'ada' | 'bob'>;
let emu: DiscordEmulator;
let bot: BotProcess;
let guild: EmulatedGuild;
let admin: EmulatedMember;
let ada: EmulatedMember;
let bob: EmulatedMember;
let url: string;
const quizIds: number[] = [];

beforeAll(async () => {
  world = await startBotWorld({
    guild: { name: 'Guild' },
    members: {
      admin: { manager: true },
      ada: { globalName: 'Ada', nick: 'Ada "the quick", Lovelace' },
      bob: { globalName: 'Борис' },
    },
    seed: async (db, { guild, members: { admin, ada, bob } }) => {
      const now = Date.now();
      for (const [i, name] of TITLES.entries()) {
        const quiz = await db.quizzes.create(
          guild.id,
          i === 0 ? ada.user.id : admin.user.id,
          quizInput(name, 30),
        );
        quizIds.push(quiz.id);
      }
      // Per quiz: ada twice (once 40 days ago), bob once; quiz 3 also an abandoned attempt of ada.
      for (const [i, quizId] of quizIds.entries()) {
        for (const [who, startedAt, score] of [
          [ada, now - 40 * DAY + i, 10],
          [ada, now - DAY + i, 20 + i],
          [bob, now - 2 * DAY + i, 5],
        ] as const) {
          const a = await db.attempts.start({
            guildId: guild.id,
            userId: who.user.id,
            quizId,
            maxScore: 30,
            questionCount: 3,
            startedAt,
          });
          await db.attempts.complete(a.id, {
            score,
            correctCount: 1,
            completedAt: startedAt + 90_000,
            durationSeconds: 90,
          });
        }
      }
      const abandoned = await db.attempts.start({
        guildId: guild.id,
        userId: ada.user.id,
        quizId: quizIds[2] ?? 0,
        maxScore: 30,
        questionCount: 3,
        startedAt: now - 3 * DAY,
      });
      // Paused by inactivity (resumable) — abandoned, like the ended-early attempts of issue 11.
      await db.attempts.suspend(abandoned.id, {
        score: 0,
        correctCount: 0,
        completedAt: now - 3 * DAY + 1000,
        durationSeconds: 1,
        status: 'abandoned',
        state: '{}',
      });
    },
  });
  ({ emu, bot, guild } = world);
  ({ admin, ada, bob } = world.members);
  url = world.database?.url ?? '';
}, 40_000);

afterAll(async () => {
  await world?.close();
});

// ── helpers ──────────────────────────────────────────────────────────────────────────────────

function command(
  who: EmulatedMember,
  name: string,
  path: string[],
  spec: OptionSpec = {},
  extra: CommandExtra = {},
): InteractionHandle {
  return world.command(who, [name, ...path].join(' '), spec, extra);
}

function text(response: InteractionResponse): string {
  return String(response.data.content ?? '');
}

function buttonIds(response: InteractionResponse): string[] {
  const rows = (response.data.components ?? []) as unknown as { components: { custom_id: string }[] }[];
  return rows.flatMap((r) => r.components.map((c) => c.custom_id));
}

async function click(who: EmulatedMember, messageId: string, customId: string) {
  return emu.injectComponent({ messageId, customId, userId: who.user.id }).waitForResponse(8000);
}

function csvOf(response: InteractionResponse): Record<string, string>[] {
  const file = response.files[0];
  if (!file) throw new Error(`no file in ${JSON.stringify(response.data)}`);
  return parse(file.content.toString('utf8'), { columns: true }) as Record<string, string>[];
}

// ── the cases ────────────────────────────────────────────────────────────────────────────────

describe('/scores and /mydata through Discord (bot process + emulator)', () => {
  it('registers /scores (export, reset quiz|member|all) and /mydata; /help points to the privacy document', async () => {
    const commands = emu.registeredCommands({ guildId: guild.id });
    const scores = commands.find((c) => c.name === 'scores');
    expect(scores?.options?.map((o) => o.name)).toEqual(['export', 'reset']);
    expect(commands.find((c) => c.name === 'mydata')?.options?.map((o) => o.name)).toEqual([
      'export',
      'delete',
    ]);
    const help = await answer(command(ada, 'help', []));
    const fields = (help.data.embeds?.[0]?.fields ?? []) as { name: string; value: string }[];
    expect(fields.find((f) => f.name === 'Your data')?.value).toContain('docs/privacy.md');
  });

  it('refuses /scores to a member who does not manage quizzes, privately', async () => {
    for (const path of [['export'], ['reset', 'all']]) {
      const refused = await answer(command(ada, 'scores', path));
      expect(refused.data.flags).toBe(EPHEMERAL);
      expect(text(refused)).toMatch(/Only server managers/);
      expect(refused.files).toEqual([]);
    }
  });

  it('exports every attempt as CSV, only to the manager, that parses back exactly (commas, quotes, newlines, non-Latin titles)', async () => {
    const exported = await answer(command(admin, 'scores', ['export']));
    expect(exported.data.flags).toBe(EPHEMERAL);
    expect(exported.data.allowed_mentions).toEqual({ parse: [] });
    expect(exported.files[0]?.name).toMatch(/^badgey-scores-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(text(exported)).toMatch(/^10 attempts \(all time\) as CSV/);
    const rows = csvOf(exported);
    expect(rows).toHaveLength(10);
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'quiz',
      'quiz_id',
      'member_id',
      'member_name',
      'score',
      'max_score',
      'correct',
      'questions',
      'started_at',
      'finished_at',
      'duration_seconds',
      'mode',
      'status',
    ]);
    expect(new Set(rows.map((r) => r.quiz))).toEqual(new Set(TITLES));
    // Names as Discord shows them now: the nickname, else the global name.
    const nameOf = Object.fromEntries(rows.map((r) => [r.member_id, r.member_name]));
    expect(nameOf).toEqual({ [ada.user.id]: 'Ada "the quick", Lovelace', [bob.user.id]: 'Борис' });
    for (const row of rows) {
      expect(row.started_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(Date.parse(row.finished_at ?? '') - Date.parse(row.started_at ?? '')).toBe(
        row.status === 'abandoned' ? 1000 : 90_000,
      );
      expect(row.mode).toBe('solo');
    }
    expect(rows.filter((r) => r.status === 'abandoned')).toHaveLength(1);
    // Oldest first.
    const starts = rows.map((r) => Date.parse(r.started_at ?? ''));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    // The display names went into the file, never into the log.
    expect(JSON.stringify(bot.logs)).not.toContain('Lovelace');
  });

  it('exports one quiz and one period as JSON', async () => {
    const exported = await answer(
      command(admin, 'scores', ['export'], { quiz: String(quizIds[0]), period: 'week', format: 'json' }),
    );
    expect(exported.files[0]?.name).toMatch(/\.json$/);
    const rows = JSON.parse(exported.files[0]?.content.toString('utf8') ?? '') as Record<string, unknown>[];
    expect(rows.map((r) => [r.quiz, r.member_id, r.score])).toEqual([
      [TITLES[0], bob.user.id, 5],
      [TITLES[0], ada.user.id, 20],
    ]);
  });

  it('says so, and suggests a period, when the file would pass Discord’s upload limit', async () => {
    const tooBig = await answer(command(admin, 'scores', ['export'], {}, { attachmentSizeLimit: 600 }));
    expect(tooBig.data.flags).toBe(EPHEMERAL);
    expect(tooBig.files).toEqual([]);
    expect(text(tooBig)).toMatch(/larger than Discord lets me upload here .* Try a shorter `period`/);
  });

  it('resets one quiz after the requesting manager confirms; another member’s click is refused', async () => {
    const ask = await answer(command(admin, 'scores', ['reset', 'quiz'], { quiz: String(quizIds[1]) }));
    expect(ask.data.flags).toBe(EPHEMERAL);
    expect(text(ask)).toMatch(/Line one.*\? This deletes 3 attempts by 2 members and 2 leaderboard entries/s);
    const [confirm, cancel] = buttonIds(ask);
    expect(confirm).toBe(`bdg1:scores-reset:confirm:quiz:${quizIds[1]}:${admin.user.id}`);

    const refused = await click(ada, ask.messageId ?? '', confirm ?? '');
    expect(refused.data.flags).toBe(EPHEMERAL);
    expect(text(refused)).toMatch(/belong to <@\d+>'s request/);
    const cancelled = await click(admin, ask.messageId ?? '', cancel ?? '');
    expect(text(cancelled)).toBe('Cancelled: nothing was deleted.');
    expect(csvOf(await answer(command(admin, 'scores', ['export'])))).toHaveLength(10);

    const again = await answer(command(admin, 'scores', ['reset', 'quiz'], { quiz: String(quizIds[1]) }));
    const done = await click(admin, again.messageId ?? '', buttonIds(again)[0] ?? '');
    expect(done.type).toBe(7);
    expect(text(done)).toBe('Done: deleted 3 attempts and 2 leaderboard entries.');
    expect(buttonIds(done)).toEqual([]);
    const rows = csvOf(await answer(command(admin, 'scores', ['export'])));
    expect(rows).toHaveLength(7);
    expect(rows.some((r) => r.quiz === TITLES[1])).toBe(false);
  });

  it('resets one member’s scores', async () => {
    const ask = await answer(
      command(admin, 'scores', ['reset', 'member'], { member: { type: T.User, value: bob.user.id } }),
    );
    expect(text(ask)).toMatch(/<@\d+>\? This deletes 2 attempts by 1 member and 2 leaderboard entries/);
    const done = await click(admin, ask.messageId ?? '', buttonIds(ask)[0] ?? '');
    expect(text(done)).toBe('Done: deleted 2 attempts and 2 leaderboard entries.');
    const rows = csvOf(await answer(command(admin, 'scores', ['export'])));
    expect(rows.map((r) => r.member_id)).toEqual(rows.map(() => ada.user.id));
  });

  it('/mydata export gives a member their own attempts as JSON, privately', async () => {
    const mine = await answer(command(ada, 'mydata', ['export']));
    expect(mine.data.flags).toBe(EPHEMERAL);
    expect(text(mine)).toMatch(/5 quiz attempts/);
    expect(text(mine)).toMatch(/pseudonym/);
    const rows = JSON.parse(mine.files[0]?.content.toString('utf8') ?? '') as Record<string, unknown>[];
    expect(rows).toHaveLength(5);
    expect(new Set(rows.map((r) => r.member_id))).toEqual(new Set([ada.user.id]));
    const none = await answer(command(bob, 'mydata', ['export']));
    expect(JSON.parse(none.files[0]?.content.toString('utf8') ?? '')).toEqual([]);
  });

  it('/mydata delete erases the member after their confirmation: no row in any table holds their id', async () => {
    expect((await columnsHolding(url, ada.user.id)).map((h) => `${h.table}.${h.column}`).sort()).toEqual([
      'attempts.user_id',
      'best_scores.user_id',
      'quizzes.creator_id',
    ]);
    const ask = await answer(command(ada, 'mydata', ['delete']));
    expect(ask.data.flags).toBe(EPHEMERAL);
    expect(text(ask)).toMatch(/5 finished quiz attempts and 2 leaderboard entries/);
    expect(text(ask)).toMatch(/can't delete: .*pseudonym/);
    const [confirm, cancel] = buttonIds(ask);
    expect(confirm).toBe(`bdg1:mydata-delete:confirm:${ada.user.id}`);
    expect(cancel).toBe(`bdg1:mydata-delete:cancel:${ada.user.id}`);

    const refused = await click(admin, ask.messageId ?? '', confirm ?? '');
    expect(refused.data.flags).toBe(EPHEMERAL);
    expect(text(refused)).toMatch(/belong to/);
    expect(await columnsHolding(url, ada.user.id)).not.toEqual([]);

    const done = await click(ada, ask.messageId ?? '', confirm ?? '');
    expect(text(done)).toMatch(
      /^Done: deleted 5 attempts and 2 leaderboard entries, and removed your name from 1 quiz/,
    );
    expect(await columnsHolding(url, ada.user.id)).toEqual([]);
    // The quiz she made stays for the server.
    const list = await answer(command(ada, 'quiz', ['list']));
    expect(JSON.stringify(list.data.embeds)).toContain('Capitals');
  });

  it('resets everything after confirmation, and says when there is nothing left', async () => {
    const before = csvOf(await answer(command(admin, 'scores', ['export'])));
    expect(before).toHaveLength(0);
    const ask = await answer(command(admin, 'scores', ['reset', 'all']));
    expect(text(ask)).toMatch(/nothing to reset/);
    expect(buttonIds(ask)).toEqual([]);
  });
});
