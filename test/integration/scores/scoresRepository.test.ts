import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newLiveGame } from '../../../src/quiz/live/LiveGame.js';
import type { ExportedAttempt } from '../../../src/scores/ports.js';
import { MEMBER_ID_COLUMNS } from '../../../src/store/memberColumns.js';
import type { Database } from '../../../src/store/openDatabase.js';
import { columnsHolding, schemaColumns } from '../../support/memberIdScan.js';
import {
  openTestDatabase,
  quizInput,
  type Scratch,
  STORE_TARGETS,
  TestClock,
} from '../store/storeTargets.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

async function collect(rows: AsyncIterable<ExportedAttempt>): Promise<ExportedAttempt[]> {
  const out: ExportedAttempt[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

describe.each(STORE_TARGETS)('scores repository on $name', (target) => {
  let scratch: Scratch;
  let db: Database;
  const clock = new TestClock();
  // Snowflake-like ids; none is a substring of another, so the id scan finds only what it should.
  let seq = 0;
  let guild: string;
  let otherGuild: string;
  const ada = '311111111111111111';
  const bob = '322222222222222222';
  const carol = '333333333333333333';

  beforeAll(async () => {
    scratch = await target.scratch();
    db = await openTestDatabase(scratch.url, { clock });
    await db.migrate();
  });

  afterAll(async () => {
    await db?.close();
    await scratch?.dispose();
  });

  beforeEach(() => {
    seq += 1;
    guild = `40000000000000000${seq}`;
    otherGuild = `50000000000000000${seq}`;
  });

  /** A finished (or still running) attempt at `startedAt`. */
  async function play(
    guildId: string,
    userId: string,
    quizId: number,
    startedAt: number,
    score: number,
    finish: 'complete' | 'abandon' | 'none' = 'complete',
  ) {
    const attempt = await db.attempts.start({
      guildId,
      userId,
      quizId,
      maxScore: 30,
      questionCount: 3,
      startedAt,
    });
    const outcome = {
      score,
      correctCount: Math.round(score / 10),
      completedAt: startedAt + MINUTE,
      durationSeconds: 60,
    };
    if (finish === 'complete') await db.attempts.complete(attempt.id, outcome);
    if (finish === 'abandon')
      await db.attempts.suspend(attempt.id, { ...outcome, status: 'abandoned', state: '{}' });
    return attempt;
  }

  it('exports page by page in start order (ties by id), with filters, quiz names and mode', async () => {
    const capitals = await db.quizzes.create(guild, bob, quizInput('Capitals, "hard"'));
    const kanji = await db.quizzes.create(guild, bob, quizInput('漢字クイズ'));
    const t0 = clock.now() - 10 * DAY;
    for (let i = 0; i < 7; i++)
      await play(guild, i % 2 ? ada : bob, capitals.id, t0 + Math.floor(i / 2) * MINUTE, i);
    await play(guild, ada, kanji.id, t0 + 5 * DAY, 20, 'abandon');
    await play(guild, ada, kanji.id, t0 + 6 * DAY, 0, 'none');
    const foreign = await db.quizzes.create(otherGuild, bob, quizInput('Elsewhere'));
    await play(otherGuild, ada, foreign.id, t0, 10);

    const all = await collect(db.scores.exportAttempts(guild, {}, 3));
    expect(all).toHaveLength(9);
    const keys = all.map((r) => [r.startedAt, r.attemptId]);
    expect(keys).toEqual([...keys].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!));
    expect(new Set(all.map((r) => r.attemptId)).size).toBe(9);
    expect(all[0]).toMatchObject({
      quizName: 'Capitals, "hard"',
      quizId: capitals.id,
      userId: bob,
      score: 0,
      maxScore: 30,
      questionCount: 3,
      mode: 'solo',
      status: 'completed',
      startedAt: t0,
      completedAt: t0 + MINUTE,
      durationSeconds: 60,
    });
    expect(all.map((r) => r.status).slice(-2)).toEqual(['abandoned', 'in_progress']);
    expect(all.at(-1)?.quizName).toBe('漢字クイズ');

    expect(await collect(db.scores.exportAttempts(guild, { quizId: kanji.id }, 1))).toHaveLength(2);
    expect(
      (await collect(db.scores.exportAttempts(guild, { userId: ada }))).every((r) => r.userId === ada),
    ).toBe(true);
    expect(await collect(db.scores.exportAttempts(guild, { since: t0 + DAY }))).toHaveLength(2);
    // Exactly one full page: the next (empty) page ends it.
    expect(await collect(db.scores.exportAttempts(guild, { quizId: capitals.id }, 7))).toHaveLength(7);
  });

  it('counts and resets one quiz, one member or everything in one go; running attempts and other servers stay', async () => {
    const a = await db.quizzes.create(guild, bob, quizInput('A'));
    const b = await db.quizzes.create(guild, bob, quizInput('B'));
    const t = clock.now() - DAY;
    await play(guild, ada, a.id, t, 10);
    await play(guild, ada, a.id, t + 1, 20);
    await play(guild, bob, a.id, t + 2, 30);
    await play(guild, ada, b.id, t + 3, 10);
    await play(guild, bob, b.id, t + 4, 5, 'abandon');
    await play(guild, bob, b.id, t + 5, 0, 'none');
    const foreign = await db.quizzes.create(otherGuild, bob, quizInput('A'));
    await play(otherGuild, ada, foreign.id, t, 10);

    expect(await db.scores.count(guild, { kind: 'quiz', quizId: a.id })).toEqual({
      attempts: 3,
      bestScores: 2,
      members: 2,
    });
    expect(await db.scores.reset(guild, { kind: 'quiz', quizId: a.id })).toEqual({
      attempts: 3,
      bestScores: 2,
      members: 2,
    });
    expect(
      await db.leaderboard.top(guild, { quizId: a.id, period: 'all', now: clock.now(), limit: 10 }),
    ).toEqual([]);
    expect(await db.scores.count(guild, { kind: 'member', userId: ada })).toEqual({
      attempts: 1,
      bestScores: 1,
      members: 1,
    });
    expect(await db.scores.reset(guild, { kind: 'member', userId: ada })).toMatchObject({
      attempts: 1,
      bestScores: 1,
    });
    expect(await db.scores.reset(guild, { kind: 'all' })).toEqual({ attempts: 1, bestScores: 0, members: 1 });
    // Left: the attempt being played, and the other server's.
    const left = await collect(db.scores.exportAttempts(guild, {}));
    expect(left.map((r) => r.status)).toEqual(['in_progress']);
    expect(await collect(db.scores.exportAttempts(otherGuild, {}))).toHaveLength(1);
  });

  it('erases a member: afterwards no row in any table of the schema holds their id (this server)', async () => {
    const own = await db.quizzes.create(guild, carol, quizInput('Made by Carol'));
    const other = await db.quizzes.create(guild, bob, quizInput('Made by Bob'));
    await db.guildSettings.update(guild, { managerRoleIds: ['600000000000000001'] });
    const t = clock.now() - DAY;
    await play(guild, carol, own.id, t, 10);
    await play(guild, carol, other.id, t + 1, 30);
    await play(guild, carol, other.id, t + 2, 0, 'abandon');
    await play(guild, carol, other.id, t + 3, 0, 'none');
    await play(guild, bob, other.id, t + 4, 20);
    // A finished live game Carol hosted and played in with Bob (her live attempt stored too).
    const player = (userId: string, score: number) => ({
      userId,
      score,
      correct: 1,
      answered: 1,
      correctMs: 900,
    });
    const game = newLiveGame(
      {
        id: `game-${seq}`,
        guildId: guild,
        channelId: '700000000000000001',
        quizId: other.id,
        quizName: other.name,
        hostId: carol,
        timerSeconds: 30,
        questions: [{ text: 'Q?', options: ['a', 'b'], correctIndex: 0, points: 10, explanation: null }],
        startsAt: null,
      },
      clock.now(),
    );
    expect(await db.liveGames.create(game, { owner: 'p1', until: clock.now() + 30_000 }, 3)).toEqual({
      ok: true,
    });
    const finished = {
      ...game,
      status: 'finished' as const,
      endedAt: clock.now(),
      endReason: 'completed' as const,
      players: { [carol]: player(carol, 10), [bob]: player(bob, 8) },
    };
    expect(
      await db.liveGames.finish({
        state: finished,
        owner: 'p1',
        attempts: [
          { userId: carol, score: 10, correctCount: 1 },
          { userId: bob, score: 8, correctCount: 1 },
        ],
        maxScore: 10,
        questionCount: 1,
      }),
    ).toBe('stored');
    const before = await columnsHolding(scratch.url, carol);
    expect(before.map((h) => `${h.table}.${h.column}`).sort()).toEqual([
      'attempts.user_id',
      'best_scores.user_id',
      'live_games.state',
      'quizzes.creator_id',
    ]);

    // While she is in a live game that has not ended, nothing is erased.
    const lobby = newLiveGame({ ...game, id: `lobby-${seq}`, channelId: '700000000000000002' }, clock.now());
    expect(await db.liveGames.create(lobby, { owner: 'p1', until: clock.now() + 30_000 }, 3)).toEqual({
      ok: true,
    });
    expect(await db.scores.eraseMember(guild, carol)).toEqual({ ok: false, error: 'inLiveGame' });
    // Unchanged, the lobby's state (she hosts it) besides.
    expect(await columnsHolding(scratch.url, carol)).toEqual(
      before.map((h) => (h.table === 'live_games' ? { ...h, rows: 2 } : h)),
    );
    expect(await db.liveGames.cancel(guild, lobby.id, clock.now())).toBe(true);

    const erased = await db.scores.eraseMember(guild, carol);
    expect(erased).toEqual({
      ok: true,
      value: { attempts: 5, bestScores: 2, members: 1, quizzesUnattributed: 1 },
    });

    // Carol exists only in this test and this guild: the whole database must be free of her id.
    expect(await columnsHolding(scratch.url, carol)).toEqual([]);
    // Bob's data, the games (without her) and Carol's quiz (now unattributed) stay.
    expect(await db.quizzes.getById(guild, own.id)).toMatchObject({ name: 'Made by Carol', creatorId: '' });
    expect(await collect(db.scores.exportAttempts(guild, { userId: bob }))).toHaveLength(2);
    const kept = await db.liveGames.get(game.id);
    expect(kept).toMatchObject({ hostId: '', status: 'finished', players: { [bob]: player(bob, 8) } });
    expect(Object.keys(kept?.players ?? {})).toEqual([bob]);
  });

  it('knows every table the migrations create (a new table must say which columns hold member ids)', async () => {
    const tables = new Set((await schemaColumns(scratch.url)).map((c) => c.table));
    expect([...tables].sort()).toEqual(Object.keys(MEMBER_ID_COLUMNS).sort());
  });

  it('deletes attempts older than a cutoff in bounded batches, with the leaderboard entries they hold', async () => {
    const quiz = await db.quizzes.create(guild, bob, quizInput('Old'));
    const old = clock.now() - 400 * DAY;
    for (let i = 0; i < 5; i++) await play(guild, bob, quiz.id, old + i, i);
    await play(guild, ada, quiz.id, clock.now() - DAY, 10);
    const cutoff = clock.now() - 365 * DAY;
    expect(await db.scores.deleteAttemptsStartedBefore(cutoff, 2)).toBe(2);
    expect(await db.scores.deleteAttemptsStartedBefore(cutoff, 2)).toBe(2);
    expect(await db.scores.deleteAttemptsStartedBefore(cutoff, 2)).toBe(1);
    expect(await db.scores.deleteAttemptsStartedBefore(cutoff, 2)).toBe(0);
    const left = await collect(db.scores.exportAttempts(guild, {}));
    expect(left.map((r) => r.userId)).toEqual([ada]);
    expect(await db.attempts.getBestScore(guild, bob, quiz.id)).toBeNull();
  });
});
