import type { APIEmbed, APIEmbedField } from 'discord-api-types/v10';
import type { AnalyticsStatistics } from '../analytics/index.js';
import type { BotStats, GuildStats, ScoreDistribution } from '../quiz/ports.js';
import { escapeMarkdown, truncate } from './quizText.js';

const BLUE = 0x5865f2;
const PURPLE = 0x9b59b6;

function percent(ratio: number): string {
  return `${(Math.round(ratio * 1000) / 10).toFixed(1)} %`;
}

function number(value: number | null, digits = 1): string {
  if (value === null) return 'n/a';
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

function hour(h: number): string {
  return `${String(h).padStart(2, '0')}:00`;
}

const WEEKDAYS_UTC = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** What `/stats` adds besides the numbers: one quiz's score distribution and the chart image. */
export interface GuildStatsExtras {
  scores?: { quizName: string; distribution: ScoreDistribution };
  /** `attachment://…` of the chart image, when it rendered. */
  imageUrl?: string;
}

/** The score distribution as text (the chart's numbers, for screen readers and without the image). */
function scoreBinsText(distribution: ScoreDistribution): string {
  const parts = distribution.bins.map((n, i) => `${i * 10}–${i === 9 ? 100 : i * 10 + 9} %: ${n}`);
  return `${distribution.completed} completed · ${parts.join(' · ')}`;
}

/** `/stats` (server scope): this guild's numbers from the database, for managers. */
export function renderGuildStats(
  guildName: string,
  stats: GuildStats,
  extras: GuildStatsExtras = {},
): APIEmbed {
  const topQuizzes =
    stats.topQuizzes
      .map(
        (q, i) =>
          `${i + 1}. ${escapeMarkdown(truncate(q.name, 80))} — ${q.completed} completed, avg ${number(q.averageScore)}`,
      )
      .join('\n') || 'none yet';
  const busiest =
    stats.busiestHoursUtc
      .map((h) => `${hour(h.hour)}–${hour((h.hour + 1) % 24)} UTC (${h.attempts})`)
      .join('\n') || 'none yet';
  const fields: APIEmbedField[] = [
    { name: 'Attempts', value: String(stats.attempts), inline: true },
    { name: 'Completed', value: String(stats.completed), inline: true },
    { name: 'Completion rate', value: percent(stats.completionRate), inline: true },
    { name: 'Players', value: String(stats.players), inline: true },
    {
      name: 'Interrupted / abandoned / running',
      value: `${stats.interrupted} / ${stats.abandoned} / ${stats.inProgress}`,
      inline: true,
    },
    { name: 'Average score', value: number(stats.averageScore), inline: true },
    {
      name: 'Average of max',
      value: stats.averageScoreRatio === null ? 'n/a' : percent(stats.averageScoreRatio),
      inline: true,
    },
    { name: 'Median score (p50)', value: number(stats.scoreP50), inline: true },
    { name: 'p90 score', value: number(stats.scoreP90), inline: true },
    { name: 'Top quizzes', value: truncate(topQuizzes, 1024) },
    { name: 'Busiest hours', value: truncate(busiest, 1024) },
  ];
  // The chart's numbers stay in the text: the weekday totals and the score bins it draws.
  const days = (stats.attemptsByWeekdayHourUtc ?? [])
    .map((hours, day) => ({ day, attempts: hours.reduce((sum, n) => sum + n, 0) }))
    .filter((d) => d.attempts > 0)
    .sort((a, b) => b.attempts - a.attempts || a.day - b.day)
    .map((d) => `${WEEKDAYS_UTC[d.day]} (${d.attempts})`)
    .join(', ');
  fields.push({ name: 'Attempts by weekday (UTC)', value: days || 'none yet' });
  if (extras.scores)
    fields.push({
      name: truncate(`Scores · ${escapeMarkdown(extras.scores.quizName)}`, 256),
      value: truncate(scoreBinsText(extras.scores.distribution), 1024),
    });
  return {
    title: truncate(`Quiz statistics · ${guildName}`, 256),
    color: BLUE,
    fields,
    ...(extras.imageUrl ? { image: { url: extras.imageUrl } } : {}),
    footer: { text: 'This server only · from the database · times in UTC' },
  };
}

/**
 * `/stats scope:bot`, for bot owners. The bot-wide figures come from the shared database, so every
 * shard process shows the same numbers; what only this process knows (answer times, commands,
 * errors: in-memory analytics) is labelled "this process". Each shard process used to show its own
 * in-memory counts as if they were all servers'.
 */
export function renderBotStats(stats: BotStats, process: AnalyticsStatistics): APIEmbed {
  const busiest =
    stats.busiestHoursUtc
      .map((h) => `${hour(h.hour)}–${hour((h.hour + 1) % 24)} UTC (${h.attempts})`)
      .join('\n') || 'none yet';
  const commands =
    Object.entries(process.command_performance)
      .sort((a, b) => b[1].count - a[1].count)
      .slice(0, 8)
      .map(([name, c]) => `\`${name}\` ${c.count}× · p50 ${(c.p50 * 1000).toFixed(0)} ms`)
      .join('\n') || 'none yet';
  const errors =
    Object.entries(process.error_counts)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([type, count]) => `\`${type}\` ${count}`)
      .join('\n') || 'none';
  const thisProcess = (name: string) => `${name} (this process)`;
  return {
    title: 'Badgey statistics · all servers',
    color: PURPLE,
    fields: [
      { name: 'Servers', value: String(stats.servers), inline: true },
      { name: 'Quizzes started', value: String(stats.attempts), inline: true },
      { name: 'Quizzes completed', value: String(stats.completed), inline: true },
      { name: 'Completion rate', value: percent(stats.completionRate), inline: true },
      { name: 'Players', value: String(stats.players), inline: true },
      {
        name: 'Interrupted / abandoned / running',
        value: `${stats.interrupted} / ${stats.abandoned} / ${stats.inProgress}`,
        inline: true,
      },
      {
        name: 'Score avg / p50 / p90',
        value: `${number(stats.averageScore)} / ${number(stats.scoreP50)} / ${number(stats.scoreP90)}`,
        inline: true,
      },
      { name: 'Busiest hours', value: truncate(busiest, 1024) },
      { name: thisProcess('Questions answered'), value: String(process.questions_answered), inline: true },
      {
        name: thisProcess('Correct answers'),
        value: `${process.correct_answers} (${number(process.correct_rate)} %)`,
        inline: true,
      },
      { name: thisProcess('Timed out'), value: String(process.timed_out_answers), inline: true },
      {
        name: thisProcess('Avg answer time'),
        value: `${number(process.avg_question_time, 2)} s`,
        inline: true,
      },
      { name: thisProcess('Active users'), value: String(process.active_users), inline: true },
      { name: thisProcess('Uptime'), value: process.uptime, inline: true },
      { name: thisProcess('Commands'), value: truncate(commands, 1024) },
      { name: thisProcess('Errors by type'), value: truncate(errors, 1024) },
    ],
    footer: {
      text: 'Bot owners only · all servers from the database (every shard); "this process": its own shards, in memory since the last restore',
    },
  };
}
