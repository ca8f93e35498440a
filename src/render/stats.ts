import type { APIEmbed, APIEmbedField } from 'discord-api-types/v10';
import type { AnalyticsStatistics } from '../analytics/index.js';
import type { GuildStats } from '../quiz/ports.js';
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

/** `/stats` (server scope): this guild's numbers from the database, for managers. */
export function renderGuildStats(guildName: string, stats: GuildStats): APIEmbed {
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
  return {
    title: truncate(`Quiz statistics · ${guildName}`, 256),
    color: BLUE,
    fields,
    footer: { text: 'This server only · from the database' },
  };
}

/** `/stats scope:bot`: the bot-wide analytics (all servers), for bot owners only. */
export function renderBotStats(stats: AnalyticsStatistics): APIEmbed {
  const commands =
    Object.entries(stats.command_performance)
      .sort((a, b) => b[1].count - a[1].count)
      .slice(0, 8)
      .map(([name, c]) => `\`${name}\` ${c.count}× · p50 ${(c.p50 * 1000).toFixed(0)} ms`)
      .join('\n') || 'none yet';
  const errors =
    Object.entries(stats.error_counts)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([type, count]) => `\`${type}\` ${count}`)
      .join('\n') || 'none';
  return {
    title: 'Badgey analytics · all servers',
    color: PURPLE,
    fields: [
      { name: 'Quizzes started', value: String(stats.quizzes_started), inline: true },
      { name: 'Quizzes completed', value: String(stats.quizzes_completed), inline: true },
      { name: 'Completion rate', value: `${number(stats.completion_rate)} %`, inline: true },
      { name: 'Questions answered', value: String(stats.questions_answered), inline: true },
      {
        name: 'Correct answers',
        value: `${stats.correct_answers} (${number(stats.correct_rate)} %)`,
        inline: true,
      },
      { name: 'Timed out', value: String(stats.timed_out_answers), inline: true },
      {
        name: 'Score avg / p50 / p90',
        value: `${number(stats.avg_score)} / ${number(stats.score_percentiles.p50)} / ${number(stats.score_percentiles.p90)}`,
        inline: true,
      },
      { name: 'Avg quiz duration', value: `${number(stats.avg_quiz_duration)} s`, inline: true },
      { name: 'Avg answer time', value: `${number(stats.avg_question_time, 2)} s`, inline: true },
      { name: 'Active users', value: String(stats.active_users), inline: true },
      { name: 'Uptime', value: stats.uptime, inline: true },
      { name: 'Recent errors', value: String(stats.recent_errors_count), inline: true },
      { name: 'Commands', value: truncate(commands, 1024) },
      { name: 'Errors by type', value: truncate(errors, 1024) },
    ],
    footer: { text: 'Bot owners only · in-memory analytics since the last restore' },
  };
}
