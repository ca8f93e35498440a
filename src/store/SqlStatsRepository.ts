import { sql } from 'kysely';
import type {
  BotStats,
  GuildStats,
  ScoreDistribution,
  StatsQuery,
  StatsRepository,
  StatsScope,
} from '../quiz/ports.js';
import { checkLimit, runOperation, type StoreContext, toNullableNumber, toNumber } from './storeContext.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Day 0 of the epoch (1970-01-01) was a Thursday: weekday index 3 when Monday is 0. */
const EPOCH_WEEKDAY = 3;
export const SCORE_BINS = 10;

export class SqlStatsRepository implements StatsRepository {
  constructor(readonly ctx: StoreContext) {}

  guildStats(guildId: string, query: StatsQuery = {}): Promise<GuildStats> {
    return runOperation(this.ctx, 'stats.guild', () => this.#stats(guildId, query));
  }

  /** Every guild at once, from the shared database (the same on every shard process). */
  botStats(query: StatsQuery = {}): Promise<BotStats> {
    return runOperation(this.ctx, 'stats.bot', async () => {
      const stats = await this.#stats(null, query);
      const servers = await this.ctx.db
        .selectFrom('attempts')
        .where('attempts.started_at', '>=', query.since ?? Number.MIN_SAFE_INTEGER)
        .select((eb) => eb.fn.count<number>('guild_id').distinct().as('n'))
        .executeTakeFirstOrThrow();
      return { ...stats, servers: toNumber(servers.n) };
    });
  }

  /** One guild's figures, or every guild's (`guildId` null). */
  async #stats(guildId: string | null, query: StatsQuery): Promise<GuildStats> {
    const topQuizzes = checkLimit('topQuizzes', query.topQuizzes ?? 5, 1, 25);
    const busiestHours = checkLimit('busiestHours', query.busiestHours ?? 3, 1, 24);
    const since = query.since ?? Number.MIN_SAFE_INTEGER;
    const db = this.ctx.db;
    const inRange = db.selectFrom('attempts').where('attempts.started_at', '>=', since);
    const inGuild = guildId === null ? inRange : inRange.where('attempts.guild_id', '=', guildId);

    const byStatus = await inGuild
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    const count = (status: string) => toNumber(byStatus.find((r) => r.status === status)?.n ?? 0);
    const attempts = byStatus.reduce((sum, r) => sum + toNumber(r.n), 0);
    const completed = count('completed');

    const players = await inGuild
      .select((eb) => eb.fn.count<number>('user_id').distinct().as('n'))
      .executeTakeFirstOrThrow();

    const completedOnly = inGuild.where('status', '=', 'completed');
    const averages = await completedOnly
      .select([
        sql<number | null>`cast(avg(score) as double precision)`.as('avg_score'),
        sql<
          number | null
        >`cast(avg(case when max_score > 0 then score * 1.0 / max_score end) as double precision)`.as(
          'avg_ratio',
        ),
      ])
      .executeTakeFirstOrThrow();

    // Nearest-rank percentiles: the ceil(p·n)-th smallest score, one indexed row each.
    const percentile = async (p: number): Promise<number | null> => {
      if (completed === 0) return null;
      const offset = Math.max(0, Math.ceil(p * completed) - 1);
      const row = await completedOnly
        .select('score')
        .orderBy('score')
        .limit(1)
        .offset(offset)
        .executeTakeFirst();
      return row ? toNumber(row.score) : null;
    };

    const quizzes = await completedOnly
      .innerJoin('quizzes', 'quizzes.id', 'attempts.quiz_id')
      .select([
        'attempts.quiz_id',
        'quizzes.name',
        (eb) => eb.fn.countAll<number>().as('completed'),
        sql<number>`cast(avg(attempts.score) as double precision)`.as('avg_score'),
      ])
      .groupBy(['attempts.quiz_id', 'quizzes.name'])
      .orderBy('completed', 'desc')
      .orderBy('quizzes.name')
      .limit(topQuizzes)
      .execute();

    const hours = await inGuild
      .select([
        sql<number>`(started_at / ${sql.lit(HOUR_MS)}) % 24`.as('hour'),
        (eb) => eb.fn.countAll<number>().as('n'),
      ])
      .groupBy(sql`(started_at / ${sql.lit(HOUR_MS)}) % 24`)
      .execute();
    const attemptsByHourUtc = Array.from({ length: 24 }, () => 0);
    for (const row of hours) {
      // Times before 1970 give negative remainders; fold them into 0..23.
      const hour = ((toNumber(row.hour) % 24) + 24) % 24;
      attemptsByHourUtc[hour] = (attemptsByHourUtc[hour] ?? 0) + toNumber(row.n);
    }
    const busiest = attemptsByHourUtc
      .map((n, hour) => ({ hour, attempts: n }))
      .filter((h) => h.attempts > 0)
      .sort((a, b) => b.attempts - a.attempts || a.hour - b.hour)
      .slice(0, busiestHours);

    const attemptsByWeekdayHourUtc = await this.#weekdayHours({
      ...(guildId === null ? {} : { guildId }),
      since,
    });

    return {
      attempts,
      completed,
      inProgress: count('in_progress'),
      interrupted: count('interrupted'),
      abandoned: count('abandoned'),
      completionRate: attempts === 0 ? 0 : completed / attempts,
      players: toNumber(players.n),
      averageScore: toNullableNumber(averages.avg_score),
      averageScoreRatio: toNullableNumber(averages.avg_ratio),
      scoreP50: await percentile(0.5),
      scoreP90: await percentile(0.9),
      topQuizzes: quizzes.map((q) => ({
        quizId: toNumber(q.quiz_id),
        name: q.name,
        completed: toNumber(q.completed),
        averageScore: toNumber(q.avg_score),
      })),
      attemptsByHourUtc,
      busiestHoursUtc: busiest,
      attemptsByWeekdayHourUtc,
    };
  }

  attemptsByWeekdayHourUtc(scope: StatsScope): Promise<number[][]> {
    return runOperation(this.ctx, 'stats.weekdayHours', () => this.#weekdayHours(scope));
  }

  /** Attempts per UTC weekday (0 = Monday) × hour, grouped in the database (168 rows at most). */
  async #weekdayHours(scope: StatsScope): Promise<number[][]> {
    let query = this.ctx.db
      .selectFrom('attempts')
      .where('started_at', '>=', scope.since ?? Number.MIN_SAFE_INTEGER);
    if (scope.guildId !== undefined) query = query.where('guild_id', '=', scope.guildId);
    const rows = await query
      .select([
        sql<number>`(started_at / ${sql.lit(DAY_MS)}) % 7`.as('day'),
        sql<number>`(started_at / ${sql.lit(HOUR_MS)}) % 24`.as('hour'),
        (eb) => eb.fn.countAll<number>().as('n'),
      ])
      .groupBy([sql`(started_at / ${sql.lit(DAY_MS)}) % 7`, sql`(started_at / ${sql.lit(HOUR_MS)}) % 24`])
      .execute();
    const grid = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
    for (const row of rows) {
      // Times before 1970 give negative remainders; fold them into range.
      const weekday = (((toNumber(row.day) + EPOCH_WEEKDAY) % 7) + 7) % 7;
      const hour = ((toNumber(row.hour) % 24) + 24) % 24;
      const cells = grid[weekday]!;
      cells[hour] = (cells[hour] ?? 0) + toNumber(row.n);
    }
    return grid;
  }

  scoreDistribution(scope: StatsScope & { quizId?: number }): Promise<ScoreDistribution> {
    return runOperation(this.ctx, 'stats.scoreDistribution', async () => {
      // Integer division on both SQLite and PostgreSQL (integer columns): floor(10 × score / max).
      const bin = sql<number>`(score * ${sql.lit(SCORE_BINS)}) / max_score`;
      let query = this.ctx.db
        .selectFrom('attempts')
        .where('status', '=', 'completed')
        .where('max_score', '>', 0)
        .where('started_at', '>=', scope.since ?? Number.MIN_SAFE_INTEGER);
      if (scope.guildId !== undefined) query = query.where('guild_id', '=', scope.guildId);
      if (scope.quizId !== undefined) query = query.where('quiz_id', '=', scope.quizId);
      const rows = await query
        .select([bin.as('bin'), (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy(bin)
        .execute();
      const bins = Array.from({ length: SCORE_BINS }, () => 0);
      let completed = 0;
      for (const row of rows) {
        // A full score lands in the last bin; a score above the maximum (a quiz edited since) too.
        const index = Math.min(SCORE_BINS - 1, Math.max(0, toNumber(row.bin)));
        bins[index] = (bins[index] ?? 0) + toNumber(row.n);
        completed += toNumber(row.n);
      }
      return { completed, bins };
    });
  }
}
