import { describe, expect, it } from 'vitest';
import type { AnalyticsObserver, AnalyticsStatistics } from '../../../src/analytics/index.js';
import { QuizAnalytics, WEEKDAYS } from '../../../src/analytics/index.js';
import type { Clock } from '../../../src/clock.js';

class TestClock implements Clock {
  constructor(public ms: number) {}
  now(): number {
    return this.ms;
  }
}

// 2024-01-01 was a Monday.
const MONDAY_MIDNIGHT_UTC = Date.UTC(2024, 0, 1, 0, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SNOWFLAKE = '123456789012345678';

function analytics(options: Partial<ConstructorParameters<typeof QuizAnalytics>[0]> = {}) {
  const clock = new TestClock(MONDAY_MIDNIGHT_UTC);
  return { clock, analytics: new QuizAnalytics({ salt: 'test-salt', clock, ...options }) };
}

/** Nearest-rank percentile on sorted data (what HdrHistogram approximates). */
function exactPercentile(sorted: number[], percent: number): number {
  const rank = Math.max(1, Math.ceil((percent / 100) * sorted.length));
  return sorted[rank - 1]!;
}

function expectWithinPrecision(actual: number, exact: number, unit: number) {
  // HdrHistogram at 2 significant digits: ≤ 1/128 relative, plus one recording unit of rounding.
  expect(Math.abs(actual - exact)).toBeLessThanOrEqual(exact / 128 + unit);
}

describe('QuizAnalytics statistics', () => {
  it('returns every seed key plus percentiles, with zeroes when empty', () => {
    const { analytics: a } = analytics();
    const stats = a.getStatistics();
    const seedKeys = [
      'quizzes_started',
      'quizzes_completed',
      'completion_rate',
      'questions_answered',
      'correct_answers',
      'correct_rate',
      'avg_quiz_duration',
      'avg_score',
      'avg_question_time',
      'top_quizzes',
      'top_users',
      'top_guilds',
      'active_users',
      'hourly_usage',
      'daily_usage',
      'uptime',
      'uptime_seconds',
      'avg_db_query_time',
      'command_performance',
      'error_counts',
      'recent_errors_count',
    ];
    for (const key of seedKeys) expect(stats).toHaveProperty(key);
    for (const key of [
      'quiz_duration_percentiles',
      'score_percentiles',
      'question_time_percentiles',
      'db_query_time_percentiles',
    ] as const)
      expect(stats[key]).toEqual({ p50: 0, p90: 0, p99: 0 });
    expect(stats.completion_rate).toBe(0);
    expect(stats.correct_rate).toBe(0);
    expect(stats.active_users).toBe(0);
    expect(stats.recent_errors).toEqual([]);
    expect(stats.uptime).toBe('0d 0h 0m 0s');
  });

  it('counts starts, completions and rates', () => {
    const { analytics: a } = analytics();
    for (let i = 0; i < 4; i++) a.recordQuizStart(`1000${i}`, 7, 'g1');
    a.recordQuizCompletion('10000', 7, 60, 30);
    a.recordQuizCompletion('10001', 7, 120, 10);
    a.recordQuizCompletion('10002', 7, 90, 20);
    a.recordAnswer(true, 2);
    a.recordAnswer(true, 4);
    a.recordAnswer(false, 6);
    a.recordAnswer(false, 0); // unmeasured: counted, not timed (as the seed)
    const s = a.getStatistics();
    expect(s.quizzes_started).toBe(4);
    expect(s.quizzes_completed).toBe(3);
    expect(s.completion_rate).toBe(75);
    expect(s.questions_answered).toBe(4);
    expect(s.correct_answers).toBe(2);
    expect(s.correct_rate).toBe(50);
    expect(s.avg_quiz_duration).toBe(90);
    expect(s.avg_score).toBe(20);
    expect(s.avg_question_time).toBe(4);
    expect(s.active_users).toBe(4);
  });

  it('counts timeouts as answered and incorrect, without timing them', () => {
    const { analytics: a } = analytics();
    a.recordAnswer(false, 20, { timedOut: true, mode: 'ephemeral' });
    a.recordAnswer(true, 3, { mode: 'dm' });
    a.recordAnswer(true, 5, { mode: 'dm' });
    const s = a.getStatistics();
    expect(s.questions_answered).toBe(3);
    expect(s.correct_answers).toBe(2);
    expect(s.timed_out_answers).toBe(1);
    expect(s.avg_question_time).toBe(4);
    expect(s.answers_by_mode).toEqual({ ephemeral: 1, dm: 2 });
  });

  it('counts quiz starts and completions by mode when callers say, and keeps them across a restore', () => {
    const { analytics: a } = analytics();
    a.recordQuizStart('1', 'q', 'g', { mode: 'live' });
    a.recordQuizStart('2', 'q', 'g', { mode: 'live' });
    a.recordQuizStart('3', 'q', 'g', { mode: 'solo' });
    a.recordQuizStart('4', 'q'); // no mode: counted in quizzes_started only
    a.recordQuizCompletion('1', 'q', 30, 10, { mode: 'live' });
    a.recordQuizCompletion('3', 'q', 20, 5, { mode: 'solo' });
    const s = a.getStatistics();
    expect(s.quizzes_started).toBe(4);
    expect(s.quizzes_started_by_mode).toEqual({ live: 2, solo: 1 });
    expect(s.quizzes_completed_by_mode).toEqual({ live: 1, solo: 1 });

    const restored = new QuizAnalytics({ salt: 'test-salt', clock: new TestClock(0) });
    restored.restoreState(JSON.parse(JSON.stringify(a.serializeState())));
    expect(restored.getStatistics().quizzes_started_by_mode).toEqual({ live: 2, solo: 1 });
    // An export written before modes were counted restores with none.
    const { startsByMode: _s, completionsByMode: _c, ...older } = a.serializeState();
    const fromOlder = new QuizAnalytics({ salt: 'test-salt', clock: new TestClock(0) });
    fromOlder.restoreState(older);
    expect(fromOlder.getStatistics().quizzes_started_by_mode).toEqual({});
    expect(fromOlder.getStatistics().quizzes_started).toBe(4);
  });

  it('gives exact means and percentiles within the histogram precision on known data', () => {
    const { analytics: a } = analytics();
    // Deterministic, skewed data: 1..5000 with a long tail.
    const durations: number[] = [];
    const answerTimes: number[] = [];
    const queryTimes: number[] = [];
    const commandTimes: number[] = [];
    const scores: number[] = [];
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 5_000; i++) {
      const duration = Math.round((30 + random() ** 3 * 3_000) * 1000) / 1000;
      const score = Math.floor(random() * 200);
      durations.push(duration);
      scores.push(score);
      a.recordQuizCompletion('1', 1, duration, score);
      const answer = Math.round((0.2 + random() ** 2 * 19.8) * 1000) / 1000;
      answerTimes.push(answer);
      a.recordAnswer(true, answer);
      const query = Math.round((0.0002 + random() ** 4 * 0.5) * 1e6) / 1e6;
      queryTimes.push(query);
      a.recordDbQuery(query);
      const command = Math.round((0.001 + random() ** 2 * 2) * 1e6) / 1e6;
      commandTimes.push(command);
      a.recordCommand('take_quiz', command);
    }
    const s = a.getStatistics();
    const mean = (values: number[]) => values.reduce((x, y) => x + y, 0) / values.length;
    expect(s.avg_quiz_duration).toBeCloseTo(mean(durations), 6);
    expect(s.avg_score).toBeCloseTo(mean(scores), 9);
    expect(s.avg_question_time).toBeCloseTo(mean(answerTimes), 9);
    expect(s.avg_db_query_time).toBeCloseTo(mean(queryTimes), 12);
    const cases: Array<[number[], { p50: number; p90: number; p99: number }, number]> = [
      [durations, s.quiz_duration_percentiles, 0.001],
      [scores, s.score_percentiles, 0.01],
      [answerTimes, s.question_time_percentiles, 0.001],
      [queryTimes, s.db_query_time_percentiles, 0.000001],
    ];
    const perf = s.command_performance.take_quiz!;
    cases.push([commandTimes, { p50: perf.p50, p90: perf.p90, p99: perf.p99 }, 0.000001]);
    for (const [values, percentiles, unit] of cases) {
      const sorted = [...values].sort((x, y) => x - y);
      expectWithinPrecision(percentiles.p50, exactPercentile(sorted, 50), unit);
      expectWithinPrecision(percentiles.p90, exactPercentile(sorted, 90), unit);
      expectWithinPrecision(percentiles.p99, exactPercentile(sorted, 99), unit);
    }
    expect(perf.count).toBe(5_000);
    expect(perf.min_time).toBe(Math.min(...commandTimes));
    expect(perf.max_time).toBe(Math.max(...commandTimes));
    expect(perf.avg_time).toBeCloseTo(mean(commandTimes), 12);
    expect(perf.outcomes).toEqual({ ok: 5_000, rejected: 0, error: 0 });
  });

  it('keeps command performance per command and outcome', () => {
    const { analytics: a } = analytics();
    a.recordCommand('take_quiz', 0.2);
    a.recordCommand('take_quiz', 0.4, 'rejected');
    a.recordCommand('quiz create', 1, 'error');
    const perf = a.getStatistics().command_performance;
    expect(Object.keys(perf)).toEqual(['quiz_create', 'take_quiz']);
    expect(perf.take_quiz).toMatchObject({
      count: 2,
      min_time: 0.2,
      max_time: 0.4,
      outcomes: { ok: 1, rejected: 1, error: 0 },
    });
    expect(perf.take_quiz!.avg_time).toBeCloseTo(0.3, 12);
    expect(perf.quiz_create).toMatchObject({ count: 1, outcomes: { ok: 0, rejected: 0, error: 1 } });
  });

  it('bounds distinct command names, folding the rest into "other"', () => {
    const { analytics: a } = analytics();
    for (let i = 0; i < 500; i++) a.recordCommand(`command_${i}`, 0.01);
    const perf = a.getStatistics().command_performance;
    expect(Object.keys(perf).length).toBeLessThanOrEqual(64);
    expect(perf.other!.count).toBe(500 - 63);
  });

  it('ranks top quizzes, users and guilds exactly under capacity', () => {
    const { analytics: a } = analytics();
    for (let quiz = 1; quiz <= 12; quiz++)
      for (let n = 0; n < quiz; n++) a.recordQuizStart(`${900 + (n % 3)}`, quiz, `guild-${quiz % 2}`);
    const s = a.getStatistics();
    expect(s.top_quizzes.map((e) => [e.id, e.count])).toEqual(
      [12, 11, 10, 9, 8, 7, 6, 5, 4, 3].map((q) => [String(q), q]),
    );
    expect(s.top_quizzes.every((e) => e.max_overcount === 0)).toBe(true);
    expect(s.top_guilds).toEqual([
      { id: 'guild-0', count: 42, max_overcount: 0 },
      { id: 'guild-1', count: 36, max_overcount: 0 },
    ]);
    expect(s.top_users).toHaveLength(3);
    expect(s.top_users.reduce((sum, e) => sum + e.count, 0)).toBe(78);
    expect(s.active_users).toBe(3);
  });

  it('buckets quiz starts by UTC hour and weekday', () => {
    const { clock, analytics: a } = analytics();
    clock.ms = MONDAY_MIDNIGHT_UTC + 5 * HOUR; // Monday 05:xx UTC
    a.recordQuizStart('1', 1);
    clock.ms = MONDAY_MIDNIGHT_UTC + 6 * DAY + 23 * HOUR + 59 * 60_000; // Sunday 23:59 UTC
    a.recordQuizStart('1', 1);
    a.recordQuizStart('2', 1);
    clock.ms = MONDAY_MIDNIGHT_UTC + 2 * DAY + 12 * HOUR; // Wednesday noon
    a.recordQuizStart('3', 1);
    const s = a.getStatistics();
    expect(Object.keys(s.hourly_usage)).toEqual(Array.from({ length: 24 }, (_, h) => String(h)));
    expect(s.hourly_usage['5']).toBe(1);
    expect(s.hourly_usage['23']).toBe(2);
    expect(s.hourly_usage['12']).toBe(1);
    expect(Object.values(s.hourly_usage).reduce((x, y) => x + y, 0)).toBe(4);
    expect(Object.keys(s.daily_usage)).toEqual([...WEEKDAYS]);
    expect(s.daily_usage).toEqual({
      Monday: 1,
      Tuesday: 0,
      Wednesday: 1,
      Thursday: 0,
      Friday: 0,
      Saturday: 0,
      Sunday: 2,
    });
  });

  it('formats uptime from the injected clock', () => {
    const { clock, analytics: a } = analytics();
    clock.ms += ((2 * 24 + 3) * 3600 + 45 * 60 + 12) * 1000 + 999;
    const s = a.getStatistics();
    expect(s.uptime).toBe('2d 3h 45m 12s');
    expect(s.uptime_seconds).toBe(186_312);
  });

  it('accepts numeric, bigint and string ids', () => {
    const { analytics: a } = analytics();
    a.recordQuizStart(123n, 5, 777);
    a.recordQuizStart('123', '5', '777');
    const s = a.getStatistics();
    expect(s.top_quizzes).toEqual([{ id: '5', count: 2, max_overcount: 0 }]);
    expect(s.top_guilds).toEqual([{ id: '777', count: 2, max_overcount: 0 }]);
    expect(s.top_users).toHaveLength(1);
  });
});

describe('QuizAnalytics pseudonymisation', () => {
  it('never exposes a raw user id in statistics, JSON or serialised state', () => {
    const { analytics: a } = analytics();
    a.recordQuizStart(SNOWFLAKE, 1, '999999999999999999');
    a.recordQuizCompletion(SNOWFLAKE, 1, 10, 5);
    a.recordError('command_failed', `user ${SNOWFLAKE} broke it`);
    const everything = [
      JSON.stringify(a.getStatistics()),
      a.exportToJson(),
      JSON.stringify(a.serializeState()),
    ].join('\n');
    expect(everything).not.toContain(SNOWFLAKE);
    const pseudonym = a.getStatistics().top_users[0]!.id;
    expect(pseudonym).toMatch(/^[0-9a-f]{16}$/);
  });

  it('is stable for the same salt and differs across salts', () => {
    const pseudonymOf = (salt: string) => {
      const a = new QuizAnalytics({ salt });
      a.recordQuizStart(SNOWFLAKE, 1);
      return a.getStatistics().top_users[0]!.id;
    };
    expect(pseudonymOf('salt-a')).toBe(pseudonymOf('salt-a'));
    expect(pseudonymOf('salt-a')).not.toBe(pseudonymOf('salt-b'));
  });

  it('refuses an empty salt', () => {
    expect(() => new QuizAnalytics({ salt: '' })).toThrow(/salt/);
  });
});

describe('QuizAnalytics errors', () => {
  it('counts errors by sanitised type and keeps the last N sanitised', () => {
    const { clock, analytics: a } = analytics({ recentErrorLimit: 3 });
    const token = `${'M'.repeat(24)}.${'G'.repeat(6)}.${'x'.repeat(27)}`;
    a.recordError('DatabaseError', {
      message: `connect failed postgres://bot:hunter2@db:5432/x`,
      stack: 'at x',
    });
    clock.ms += 1000;
    a.recordError(
      'DiscordAPIError',
      new Error(`401 with Authorization: Bot ${token}\n    at stack (file.ts:1)`),
    );
    clock.ms += 1000;
    a.recordError('command', `Bearer abc.def.ghi for ${SNOWFLAKE}`);
    clock.ms += 1000;
    a.recordError('command', 'x'.repeat(1000));
    const s = a.getStatistics();
    expect(s.error_counts).toEqual({ command: 2, database_error: 1, discord_api_error: 1 });
    expect(s.recent_errors_count).toBe(3);
    expect(s.recent_errors.map((e) => e.type)).toEqual(['discord_api_error', 'command', 'command']);
    expect(s.recent_errors[0]!.timestamp).toBe(new Date(MONDAY_MIDNIGHT_UTC + 1000).toISOString());
    const text = JSON.stringify(s.recent_errors);
    expect(text).not.toContain(token);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('abc.def.ghi');
    expect(text).not.toContain(SNOWFLAKE);
    expect(text).not.toContain('at stack');
    for (const entry of s.recent_errors) {
      expect(entry.details.length).toBeLessThanOrEqual(300);
      expect(entry.details).not.toContain('\n');
    }
    expect(s.recent_errors[0]!.details).toContain('[redacted');
  });

  it('never throws on garbage and counts it as an analytics error', () => {
    const { analytics: a } = analytics();
    // biome-ignore lint/suspicious/noExplicitAny: deliberately calling with wrong types, as untyped callers could.
    const untyped = a as any;
    const garbage = [
      undefined,
      null,
      Number.NaN,
      -1,
      Number.POSITIVE_INFINITY,
      {},
      [],
      Symbol('x'),
      () => 1,
      '',
    ];
    for (const value of garbage) {
      expect(() => untyped.recordQuizStart(value, value, value)).not.toThrow();
      expect(() => untyped.recordQuizCompletion(value, value, value, value)).not.toThrow();
      expect(() => untyped.recordAnswer(value, value, value)).not.toThrow();
      expect(() => untyped.recordCommand(value, value, value)).not.toThrow();
      expect(() => untyped.recordDbQuery(value)).not.toThrow();
      expect(() => untyped.recordError(value, value)).not.toThrow();
    }
    a.recordQuizCompletion('1', 1, Number.NaN, 10); // completion counts; the bad duration is dropped
    a.recordDbQuery(-0.5);
    const s = a.getStatistics();
    expect(s.quizzes_started).toBe(0);
    expect(s.avg_db_query_time).toBe(0);
    expect(s.quizzes_completed).toBe(1);
    expect(s.avg_quiz_duration).toBe(0);
    expect(s.avg_score).toBe(10);
    expect(s.error_counts.analytics).toBeGreaterThanOrEqual(garbage.length * 5);
    expect(JSON.stringify(s.recent_errors)).toContain('invalid');
    expect(() => a.getStatistics()).not.toThrow();
  });

  it('survives an observer that throws', () => {
    const throwing: AnalyticsObserver = {
      recordQuizStart: () => {
        throw new Error('boom');
      },
      recordQuizCompletion: () => {
        throw new Error('boom');
      },
      recordAnswer: () => {
        throw new Error('boom');
      },
      recordCommand: () => {
        throw new Error('boom');
      },
      recordDbQuery: () => {
        throw new Error('boom');
      },
      recordError: () => {
        throw new Error('boom');
      },
    };
    const { analytics: a } = analytics({ observer: throwing });
    expect(() => {
      a.recordQuizStart('1', 1);
      a.recordQuizCompletion('1', 1, 1, 1);
      a.recordAnswer(true, 1);
      a.recordCommand('x', 1);
      a.recordDbQuery(1);
      a.recordError('x', 'y');
    }).not.toThrow();
    const s = a.getStatistics();
    expect(s.quizzes_started).toBe(1);
    expect(s.error_counts.analytics).toBe(5);
  });
});

describe('QuizAnalytics state', () => {
  function populated(salt = 'test-salt') {
    const clock = new TestClock(MONDAY_MIDNIGHT_UTC);
    const a = new QuizAnalytics({ salt, clock, topK: 50 });
    for (let i = 0; i < 300; i++) {
      clock.ms += 7 * 60_000;
      a.recordQuizStart(String(10_000 + (i % 70)), i % 13, `g${i % 4}`);
      a.recordAnswer(i % 3 === 0, (i % 17) + 0.5, { timedOut: i % 29 === 0, mode: 'dm' });
      if (i % 2 === 0) a.recordQuizCompletion(String(10_000 + (i % 70)), i % 13, 30 + i, i % 50);
      a.recordCommand(i % 2 ? 'take_quiz' : 'leaderboard', 0.001 * (i + 1), i % 11 ? 'ok' : 'error');
      a.recordDbQuery(0.0001 * (i + 1));
      if (i % 10 === 0) a.recordError('db', `failure ${i}`);
    }
    return { clock, analytics: a };
  }

  function withoutUptime(s: AnalyticsStatistics) {
    const { uptime: _u, uptime_seconds: _s, ...rest } = s;
    return rest;
  }

  it('round-trips through serializeState/restoreState (via JSON) to the same statistics', () => {
    const { analytics: original } = populated();
    const restored = new QuizAnalytics({ salt: 'test-salt', clock: new TestClock(0), topK: 50 });
    const result = restored.restoreState(JSON.parse(JSON.stringify(original.serializeState())));
    expect(result.userDataRestored).toBe(true);
    expect(withoutUptime(restored.getStatistics())).toEqual(withoutUptime(original.getStatistics()));
    // ...and keeps counting from there.
    restored.recordQuizStart('10000', 0);
    expect(restored.getStatistics().quizzes_started).toBe(301);
  });

  it('resets only per-user data when the salt differs', () => {
    const { analytics: original } = populated('salt-one');
    const other = new QuizAnalytics({ salt: 'salt-two', topK: 50 });
    expect(other.restoreState(original.serializeState()).userDataRestored).toBe(false);
    const s = other.getStatistics();
    expect(s.quizzes_started).toBe(300);
    expect(s.top_users).toEqual([]);
    expect(s.active_users).toBe(0);
  });

  it('rejects invalid state with a clear error and leaves the live state untouched', () => {
    const { analytics: a } = populated();
    const before = a.getStatistics().quizzes_started;
    const good = a.serializeState();
    expect(() => a.restoreState({ ...good, version: 2 })).toThrow(/version/);
    expect(() => a.restoreState({ ...good, counters: { ...good.counters, quizzesStarted: -1 } })).toThrow(
      /counters\.quizzesStarted/,
    );
    expect(() =>
      a.restoreState({
        ...good,
        histograms: { ...good.histograms, score: { ...good.histograms.score, hdr: 'garbage' } },
      }),
    ).toThrow(/histograms\.score/);
    expect(() => a.restoreState({ ...good, activeUsers: 'AAAA' })).toThrow(/HyperLogLog/);
    expect(() => a.restoreState('nope')).toThrow(/analytics state is invalid/);
    expect(a.getStatistics().quizzes_started).toBe(before);
  });
});
