import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LiveGameState, newLiveGame } from '../../../src/quiz/live/LiveGame.js';
import type { Database } from '../../../src/store/openDatabase.js';
import { openTestDatabase, quizInput, type Scratch, STORE_TARGETS, TestClock } from './storeTargets.js';

// Live games in the store on both dialects: one active game per channel, the per-guild cap, lease
// claims that only one process wins, fenced writes, and results stored as `live` attempts.

describe.each(STORE_TARGETS)('live games on $name', (target) => {
  let scratch: Scratch;
  let db: Database;
  let other: Database;
  const clock = new TestClock();
  let seq = 0;
  let guild: string;
  let quizId: number;

  beforeAll(async () => {
    scratch = await target.scratch();
    db = await openTestDatabase(scratch.url, { clock });
    await db.migrate();
    // A second connection pool, as a second process would have.
    other = await openTestDatabase(scratch.url, { clock });
  });

  afterAll(async () => {
    await other?.close();
    await db?.close();
    await scratch?.dispose();
  });

  beforeEach(async () => {
    seq += 1;
    guild = `5000${seq}`;
    quizId = (await db.quizzes.create(guild, 'creator', quizInput(`Quiz ${seq}`))).id;
  });

  function game(id: string, channelId = `chan-${seq}`, startsAt: number | null = null): LiveGameState {
    return newLiveGame(
      {
        id,
        guildId: guild,
        channelId,
        quizId,
        quizName: 'Q',
        hostId: 'host',
        timerSeconds: 10,
        startsAt,
        questions: [{ text: 'q', options: ['a', 'b'], correctIndex: 0, points: 10, explanation: null }],
      },
      clock.now(),
    );
  }

  const lease = (owner: string, ms = 30_000) => ({ owner, until: clock.now() + ms });

  it('one active game per channel and a per-guild cap', async () => {
    expect(await db.liveGames.create(game(`a${seq}`), lease('p1'), 2)).toEqual({ ok: true });
    expect(await db.liveGames.create(game(`b${seq}`), lease('p1'), 2)).toEqual({
      ok: false,
      reason: 'channel_busy',
      gameId: `a${seq}`,
    });
    expect(await db.liveGames.create(game(`c${seq}`, `other-${seq}`), lease('p1'), 2)).toEqual({ ok: true });
    expect(await db.liveGames.create(game(`d${seq}`, `third-${seq}`), lease('p1'), 2)).toEqual({
      ok: false,
      reason: 'guild_cap',
      cap: 2,
    });
    expect((await db.liveGames.listActive(guild)).map((g) => g.id)).toEqual([`a${seq}`, `c${seq}`]);
    // A cancelled game frees its channel.
    expect(await db.liveGames.cancel(guild, `a${seq}`, clock.now())).toBe(true);
    expect(await db.liveGames.create(game(`e${seq}`), lease('p1'), 2)).toEqual({ ok: true });
  });

  it('a held lease cannot be claimed; an expired one is claimed by exactly one of two racing processes', async () => {
    const id = `lease${seq}`;
    await db.liveGames.create(game(id), lease('p1', 1000), 5);
    expect(await other.liveGames.claim(id, lease('p2'), clock.now())).toBeNull();
    expect((await other.liveGames.claimable(clock.now(), 100)).map((g) => g.id)).not.toContain(id);
    clock.advance(1001);
    expect((await other.liveGames.claimable(clock.now(), 100)).map((g) => g.id)).toContain(id);
    const [a, b] = await Promise.all([
      db.liveGames.claim(id, lease('p3'), clock.now()),
      other.liveGames.claim(id, lease('p4'), clock.now()),
    ]);
    expect([a, b].filter((s) => s !== null)).toHaveLength(1);
    const winner = a ? 'p3' : 'p4';
    const loser = a ? 'p4' : 'p3';
    // Only the holder may write, renew or finish.
    const state = (a ?? b) as LiveGameState;
    expect(await db.liveGames.save({ ...state, status: 'running' }, loser)).toBe(false);
    expect(await db.liveGames.save({ ...state, status: 'running' }, winner)).toBe(true);
    expect(await db.liveGames.renew(loser, [id], clock.now() + 5000)).toEqual([]);
    expect(await db.liveGames.renew(winner, [id], clock.now() + 5000)).toEqual([id]);
    // Released at shutdown: free at once.
    await db.liveGames.release(winner, [id]);
    expect(await other.liveGames.claim(id, lease('p5'), clock.now())).not.toBeNull();
  });

  it("keeps a game's language across a restart; games stored before they had one speak en-US", async () => {
    const id = `lang${seq}`;
    await db.liveGames.create({ ...game(id), locale: 'de' }, lease('p1', 1000), 5);
    expect(await other.liveGames.get(id)).toMatchObject({ locale: 'de' });
    clock.advance(1001);
    expect(await other.liveGames.claim(id, lease('p2'), clock.now())).toMatchObject({ locale: 'de' });
    // A row written by a version without locales: its JSON has no `locale`.
    const { locale: _dropped, ...old } = game(`old${seq}`, `old-${seq}`);
    await db.liveGames.create(old as LiveGameState, lease('p1'), 5);
    expect(await db.liveGames.get(`old${seq}`)).toMatchObject({ locale: 'en-US' });
    expect((await db.liveGames.listActive(guild)).map((g) => g.locale)).toEqual(['de', 'en-US']);
  });

  it('finish stores the final state and every player as a live attempt in one step, raising best scores', async () => {
    const id = `fin${seq}`;
    const state = game(id);
    await db.liveGames.create(state, lease('p1'), 5);
    const done: LiveGameState = {
      ...state,
      status: 'finished',
      startedAt: clock.now(),
      endedAt: clock.now() + 60_000,
    };
    const attempts = [
      { userId: 'ada', score: 9, correctCount: 1 },
      { userId: 'bob', score: 0, correctCount: 0 },
    ];
    expect(
      await db.liveGames.finish({ state: done, owner: 'other', attempts, maxScore: 10, questionCount: 1 }),
    ).toBe('lost_lease');
    expect(
      await db.liveGames.finish({ state: done, owner: 'p1', attempts, maxScore: 10, questionCount: 1 }),
    ).toBe('stored');
    expect(
      await db.liveGames.finish({ state: done, owner: 'p1', attempts, maxScore: 10, questionCount: 1 }),
    ).toBe('lost_lease');
    expect(await db.liveGames.get(id)).toMatchObject({ status: 'finished' });
    expect(await db.attempts.getBestScore(guild, 'ada', quizId)).toMatchObject({ score: 9 });
    // A live game does not use up the member's own attempt under the `once` retake policy.
    expect(await db.attempts.hasCompleted(guild, 'ada', quizId)).toBe(false);
    const filter = { period: 'all' as const, now: clock.now() + 120_000 };
    expect(await db.leaderboard.top(guild, { ...filter, limit: 5, mode: 'live' })).toEqual([
      { rank: 1, userId: 'ada', score: 9, attempts: 1 },
      { rank: 2, userId: 'bob', score: 0, attempts: 1 },
    ]);
    expect(await db.leaderboard.top(guild, { ...filter, limit: 5, mode: 'solo' })).toEqual([]);
    expect(await db.leaderboard.participants(guild, { ...filter, mode: 'live' })).toBe(2);
  });

  it('a deleted quiz: the game still ends, without attempts', async () => {
    const id = `gone${seq}`;
    const state = game(id);
    await db.liveGames.create(state, lease('p1'), 5);
    await db.quizzes.delete(guild, quizId);
    const done: LiveGameState = { ...state, status: 'finished', endedAt: clock.now() };
    expect(
      await db.liveGames.finish({
        state: done,
        owner: 'p1',
        attempts: [{ userId: 'ada', score: 5, correctCount: 1 }],
        maxScore: 10,
        questionCount: 1,
      }),
    ).toBe('quiz_gone');
    expect(await db.liveGames.get(id)).toMatchObject({ status: 'finished' });
    expect(await db.attempts.countInProgress(guild)).toBe(0);
  });

  it('stores a thousand players in one finish', async () => {
    const id = `big${seq}`;
    const state = game(id);
    await db.liveGames.create(state, lease('p1'), 5);
    const attempts = Array.from({ length: 1000 }, (_, i) => ({
      userId: `u${i}`,
      score: i % 11,
      correctCount: 1,
    }));
    const done: LiveGameState = { ...state, status: 'finished', endedAt: clock.now() };
    expect(
      await db.liveGames.finish({ state: done, owner: 'p1', attempts, maxScore: 10, questionCount: 1 }),
    ).toBe('stored');
    expect(
      await db.leaderboard.participants(guild, { period: 'all', now: clock.now() + 1, mode: 'live' }),
    ).toBe(1000);
  });
});
