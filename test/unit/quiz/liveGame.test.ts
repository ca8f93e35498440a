import { describe, expect, it } from 'vitest';
import {
  type LiveEffect,
  type LiveEvent,
  type LiveGameState,
  newLiveGame,
  rankPlayers,
  reduceLiveGame,
} from '../../../src/quiz/live/LiveGame.js';
import { parseStartTime } from '../../../src/quiz/live/startTime.js';

const RULES = { interludeMs: 1000, standingsSize: 2, fastestSize: 3 };
const T0 = 1_800_000_000_000;

function game(startsAt: number | null = null): LiveGameState {
  return newLiveGame(
    {
      id: 'g1',
      guildId: 'guild',
      channelId: 'chan',
      quizId: 7,
      quizName: 'Planets',
      hostId: 'host',
      timerSeconds: 10,
      startsAt,
      questions: [
        { text: 'Q1', options: ['a', 'b'], correctIndex: 0, points: 10, explanation: null },
        { text: 'Q2', options: ['a', 'b', 'c'], correctIndex: 2, points: 20, explanation: null },
      ],
    },
    T0,
  );
}

/** Applies events in order, collecting every effect. */
function run(state: LiveGameState, steps: [LiveEvent, number][]) {
  const effects: LiveEffect[] = [];
  let current = state;
  for (const [event, now] of steps) {
    const t = reduceLiveGame(current, event, now, RULES);
    current = t.state;
    effects.push(...t.effects);
  }
  return { state: current, effects };
}

const kinds = (effects: LiveEffect[]) => effects.map((e) => e.kind);

describe('live game state machine', () => {
  it('lobby → start asks question 1 and persists first', () => {
    const { state, effects } = run(game(), [[{ type: 'start' }, T0 + 5]]);
    expect(state.status).toBe('running');
    expect(state.startedAt).toBe(T0 + 5);
    expect(kinds(effects)).toEqual(['persist', 'lobby', 'askQuestion']);
  });

  it('a scheduled game starts on the tick at its start time, not before', () => {
    const early = run(game(T0 + 60_000), [[{ type: 'tick' }, T0 + 59_999]]);
    expect(early.state.status).toBe('scheduled');
    expect(early.effects).toEqual([{ kind: 'wake', at: T0 + 60_000 }]);
    const due = run(game(T0 + 60_000), [[{ type: 'tick' }, T0 + 60_000]]);
    expect(due.state.status).toBe('running');
  });

  it('scores with the solo time-decay formula from the question message time; the first answer counts', () => {
    const posted = T0 + 1000;
    const t = run(game(), [
      [{ type: 'start' }, T0],
      [{ type: 'questionPosted', index: 0, messageId: 'm1', postedAt: posted }, posted + 50],
    ]);
    expect(t.effects.at(-1)).toEqual({ kind: 'wake', at: posted + 10_000 });
    const a = reduceLiveGame(
      t.state,
      { type: 'answer', userId: 'ada', messageId: 'm1', optionIndex: 0, clickedAt: posted + 2500 },
      posted + 2600,
      RULES,
    );
    expect(a.answer).toEqual({ ok: true, optionIndex: 0 });
    const again = reduceLiveGame(
      a.state,
      { type: 'answer', userId: 'ada', messageId: 'm1', optionIndex: 1, clickedAt: posted + 3000 },
      posted + 3000,
      RULES,
    );
    expect(again.answer).toEqual({ ok: false, reason: 'already', optionIndex: 0 });
    expect(again.state.answers).toEqual([{ userId: 'ada', optionIndex: 0, elapsedMs: 2500, points: 7 }]);
    // Wrong message (an older question) or after the reveal time: closed.
    const stale = reduceLiveGame(
      a.state,
      { type: 'answer', userId: 'bob', messageId: 'old', optionIndex: 0, clickedAt: posted + 100 },
      posted + 100,
      RULES,
    );
    expect(stale.answer).toEqual({ ok: false, reason: 'closed' });
    const late = reduceLiveGame(
      a.state,
      { type: 'answer', userId: 'bob', messageId: 'm1', optionIndex: 0, clickedAt: posted + 10_000 },
      posted + 10_001,
      RULES,
    );
    expect(late.answer).toEqual({ ok: false, reason: 'closed' });
  });

  it('reveals with counts and fastest, adds scores, shows standings, then asks the next question after the interlude', () => {
    const posted = T0 + 1000;
    const { state, effects } = run(game(), [
      [{ type: 'start' }, T0],
      [{ type: 'questionPosted', index: 0, messageId: 'm1', postedAt: posted }, posted],
      [
        { type: 'answer', userId: 'bob', messageId: 'm1', optionIndex: 1, clickedAt: posted + 100 },
        posted + 100,
      ],
      [
        { type: 'answer', userId: 'cy', messageId: 'm1', optionIndex: 0, clickedAt: posted + 4000 },
        posted + 4000,
      ],
      [
        { type: 'answer', userId: 'ada', messageId: 'm1', optionIndex: 0, clickedAt: posted + 1000 },
        posted + 1000,
      ],
      [{ type: 'tick' }, posted + 10_000],
    ]);
    const reveal = effects.find((e) => e.kind === 'reveal');
    expect(reveal).toEqual({
      kind: 'reveal',
      index: 0,
      messageId: 'm1',
      counts: [2, 1],
      answered: 3,
      fastest: [
        { userId: 'ada', elapsedMs: 1000 },
        { userId: 'cy', elapsedMs: 4000 },
      ],
    });
    expect(state.players.ada?.score).toBe(9);
    expect(state.players.cy?.score).toBe(6);
    expect(state.players.bob).toMatchObject({ score: 0, answered: 1, correct: 0 });
    const standings = effects.find((e) => e.kind === 'standings');
    expect(standings).toMatchObject({
      top: [
        { userId: 'ada', rank: 1 },
        { userId: 'cy', rank: 2 },
      ],
      more: 1,
    });
    // Persist comes before the reveal: a crash after it never loses the announced scores.
    const afterTick = kinds(effects).slice(kinds(effects).lastIndexOf('persist'));
    expect(afterTick).toEqual(['persist', 'reveal', 'standings', 'wake']);
    const next = run(state, [[{ type: 'tick' }, posted + 11_000]]);
    expect(next.state.index).toBe(1);
    expect(kinds(next.effects)).toEqual(['persist', 'askQuestion']);
  });

  it('the last reveal finishes the game with the ranking (no standings)', () => {
    let s = run(game(), [[{ type: 'start' }, T0]]).state;
    s = run(s, [
      [{ type: 'questionPosted', index: 0, messageId: 'm1', postedAt: T0 }, T0],
      [{ type: 'tick' }, T0 + 10_000],
      [{ type: 'tick' }, T0 + 11_000],
      [{ type: 'questionPosted', index: 1, messageId: 'm2', postedAt: T0 + 11_000 }, T0 + 11_000],
      [
        { type: 'answer', userId: 'ada', messageId: 'm2', optionIndex: 2, clickedAt: T0 + 11_000 },
        T0 + 11_000,
      ],
    ]).state;
    const { state, effects } = run(s, [[{ type: 'tick' }, T0 + 21_000]]);
    expect(state.status).toBe('finished');
    expect(state.endReason).toBe('completed');
    expect(kinds(effects)).toEqual(['reveal', 'finish']);
    expect(effects[1]).toMatchObject({
      kind: 'finish',
      reason: 'completed',
      ranking: [{ userId: 'ada', score: 20 }],
    });
  });

  it('after a restart the interrupted question is asked again without its unscored answers; revealed scores stay', () => {
    const posted = T0;
    const s = run(game(), [
      [{ type: 'start' }, T0],
      [{ type: 'questionPosted', index: 0, messageId: 'm1', postedAt: posted }, posted],
      [{ type: 'answer', userId: 'ada', messageId: 'm1', optionIndex: 0, clickedAt: posted }, posted],
      [{ type: 'tick' }, posted + 10_000],
      [{ type: 'tick' }, posted + 11_000],
      [{ type: 'questionPosted', index: 1, messageId: 'm2', postedAt: posted + 11_000 }, posted + 11_000],
      [
        { type: 'answer', userId: 'bob', messageId: 'm2', optionIndex: 2, clickedAt: posted + 11_000 },
        posted + 11_000,
      ],
    ]).state;
    // What the store keeps drops in-flight answers; resuming re-asks question 2.
    const stored: LiveGameState = JSON.parse(JSON.stringify({ ...s, answers: [] }));
    const { state, effects } = run(stored, [[{ type: 'resumed' }, posted + 60_000]]);
    expect(effects).toEqual([{ kind: 'persist' }, { kind: 'askQuestion', index: 1, reasked: true }]);
    expect(state.reasked).toBe(1);
    expect(state.players.ada?.score).toBe(10);
    expect(state.players.bob).toBeUndefined();
  });

  it('ending mid-game keeps the results so far; cancelling a lobby just cancels', () => {
    const running = run(game(), [
      [{ type: 'start' }, T0],
      [{ type: 'questionPosted', index: 0, messageId: 'm1', postedAt: T0 }, T0],
      [{ type: 'answer', userId: 'ada', messageId: 'm1', optionIndex: 0, clickedAt: T0 }, T0],
      [{ type: 'tick' }, T0 + 10_000],
    ]).state;
    const ended = run(running, [[{ type: 'end', reason: 'channel_deleted' }, T0 + 10_500]]);
    expect(ended.state.status).toBe('finished');
    expect(ended.effects).toEqual([
      {
        kind: 'finish',
        reason: 'channel_deleted',
        ranking: [expect.objectContaining({ userId: 'ada', score: 10 })],
      },
    ]);
    const cancelled = run(game(), [[{ type: 'end', reason: 'cancelled' }, T0]]);
    expect(cancelled.state.status).toBe('cancelled');
    expect(kinds(cancelled.effects)).toEqual(['persist', 'lobby']);
    // Events after the end change nothing.
    expect(run(ended.state, [[{ type: 'start' }, T0 + 20_000]]).effects).toEqual([]);
  });

  it('ranks by score, then by total time to correct answers; ties share a rank', () => {
    const ranked = rankPlayers({
      a: { userId: 'a', score: 10, correct: 1, answered: 1, correctMs: 500 },
      b: { userId: 'b', score: 10, correct: 1, answered: 1, correctMs: 300 },
      c: { userId: 'c', score: 10, correct: 1, answered: 1, correctMs: 300 },
      d: { userId: 'd', score: 2, correct: 1, answered: 2, correctMs: 9000 },
    });
    expect(ranked.map((p) => [p.userId, p.rank])).toEqual([
      ['b', 1],
      ['c', 1],
      ['a', 3],
      ['d', 4],
    ]);
  });
});

describe('parseStartTime', () => {
  it('accepts relative times and ISO 8601 with a zone, up to 14 days ahead', () => {
    expect(parseStartTime('10m', T0)).toEqual({ ok: true, value: T0 + 600_000 });
    expect(parseStartTime('1h30m', T0)).toEqual({ ok: true, value: T0 + 5_400_000 });
    expect(parseStartTime('14d', T0)).toEqual({ ok: true, value: T0 + 14 * 86_400_000 });
    const at = Date.parse('2027-01-20T08:00:00Z');
    expect(parseStartTime('2027-01-20T10:00:00+02:00', T0)).toEqual({ ok: true, value: at });
    expect(parseStartTime('2027-01-20T08:00Z', T0)).toEqual({ ok: true, value: at });
  });

  it('refuses what it cannot place in time, naming the problem', () => {
    expect(parseStartTime('2027-01-15T10:00:00', T0)).toMatchObject({
      ok: false,
      error: { kind: 'noTimeZone', value: '2027-01-15T10:00:00' },
    });
    expect(parseStartTime('15d', T0)).toMatchObject({
      ok: false,
      error: { kind: 'tooFarAhead', maxDays: 14 },
    });
    expect(parseStartTime('2020-01-01T00:00:00Z', T0)).toMatchObject({ ok: false, error: { kind: 'past' } });
    expect(parseStartTime('tomorrow', T0)).toMatchObject({
      ok: false,
      error: { kind: 'unreadable', value: 'tomorrow' },
    });
    expect(parseStartTime('  ', T0)).toMatchObject({ ok: false, error: { kind: 'empty' } });
    expect(parseStartTime('2027-02-30T10:00:00Z', T0)).toMatchObject({ ok: false });
  });
});
