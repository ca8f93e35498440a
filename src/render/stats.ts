import type { APIEmbed, APIEmbedField } from 'discord-api-types/v10';
import type { AnalyticsStatistics } from '../analytics/index.js';
import { formatDecimal, type Translate } from '../i18n/index.js';
import type { BotStats, GuildStats, ScoreDistribution } from '../quiz/ports.js';
import { escapeMarkdown, truncate } from './quizText.js';
import { scoreRange, uptimeText, weekdayNames } from './statsFormat.js';

const BLUE = 0x5865f2;
const PURPLE = 0x9b59b6;

function percent(ratio: number, t: Translate): string {
  return t('stats.percent', { value: formatDecimal(Math.round(ratio * 1000) / 10, 1, t.locale) });
}

function number(value: number | null, t: Translate, digits = 1): string {
  if (value === null) return t('stats.notAvailable');
  return formatDecimal(value, Number.isInteger(value) ? 0 : digits, t.locale);
}

function hour(h: number): string {
  return `${String(h).padStart(2, '0')}:00`;
}

function busiestHours(hours: BotStats['busiestHoursUtc'], t: Translate): string {
  return (
    hours
      .map((h) =>
        t('stats.busiestHour', { from: hour(h.hour), to: hour((h.hour + 1) % 24), attempts: h.attempts }),
      )
      .join('\n') || t('stats.noneYet')
  );
}

/** What `/stats` adds besides the numbers: one quiz's score distribution and the chart image. */
export interface GuildStatsExtras {
  scores?: { quizName: string; distribution: ScoreDistribution };
  /** `attachment://…` of the chart image, when it rendered. */
  imageUrl?: string;
}

/** The score distribution as text (the chart's numbers, for screen readers and without the image). */
function scoreBinsText(distribution: ScoreDistribution, t: Translate): string {
  const parts = distribution.bins.map((n, i) =>
    t('stats.guild.scoreBin', { range: scoreRange(i, t), attempts: n }),
  );
  return t('stats.guild.scoreBins', {
    completed: t('stats.completed', { count: distribution.completed }),
    bins: parts.join(' · '),
  });
}

/** `/stats` (server scope): this guild's numbers from the database, for managers. */
export function renderGuildStats(
  guildName: string,
  stats: GuildStats,
  extras: GuildStatsExtras,
  t: Translate,
): APIEmbed {
  const topQuizzes =
    stats.topQuizzes
      .map((q, i) =>
        t('stats.guild.topQuiz', {
          rank: i + 1,
          quiz: escapeMarkdown(truncate(q.name, 80)),
          completed: t('stats.completed', { count: q.completed }),
          average: number(q.averageScore, t),
        }),
      )
      .join('\n') || t('stats.noneYet');
  const fields: APIEmbedField[] = [
    { name: t('stats.guild.fields.attempts'), value: String(stats.attempts), inline: true },
    { name: t('stats.guild.fields.completed'), value: String(stats.completed), inline: true },
    { name: t('stats.guild.fields.completionRate'), value: percent(stats.completionRate, t), inline: true },
    { name: t('stats.guild.fields.players'), value: String(stats.players), inline: true },
    {
      name: t('stats.guild.fields.unfinished'),
      value: `${stats.interrupted} / ${stats.abandoned} / ${stats.inProgress}`,
      inline: true,
    },
    { name: t('stats.guild.fields.averageScore'), value: number(stats.averageScore, t), inline: true },
    {
      name: t('stats.guild.fields.averageOfMax'),
      value: stats.averageScoreRatio === null ? t('stats.notAvailable') : percent(stats.averageScoreRatio, t),
      inline: true,
    },
    { name: t('stats.guild.fields.medianScore'), value: number(stats.scoreP50, t), inline: true },
    { name: t('stats.guild.fields.scoreP90'), value: number(stats.scoreP90, t), inline: true },
    { name: t('stats.guild.fields.topQuizzes'), value: truncate(topQuizzes, 1024) },
    {
      name: t('stats.guild.fields.busiestHours'),
      value: truncate(busiestHours(stats.busiestHoursUtc, t), 1024),
    },
  ];
  // The chart's numbers stay in the text: the weekday totals and the score bins it draws.
  const weekdays = weekdayNames(t, 'long');
  const days = (stats.attemptsByWeekdayHourUtc ?? [])
    .map((hours, day) => ({ day, attempts: hours.reduce((sum, n) => sum + n, 0) }))
    .filter((d) => d.attempts > 0)
    .sort((a, b) => b.attempts - a.attempts || a.day - b.day)
    .map((d) => t('stats.guild.weekday', { day: weekdays[d.day] ?? String(d.day), attempts: d.attempts }))
    .join(', ');
  fields.push({ name: t('stats.guild.fields.byWeekday'), value: days || t('stats.noneYet') });
  if (extras.scores)
    fields.push({
      name: truncate(t('stats.guild.fields.scores', { quiz: escapeMarkdown(extras.scores.quizName) }), 256),
      value: truncate(scoreBinsText(extras.scores.distribution, t), 1024),
    });
  return {
    title: truncate(t('stats.guild.title', { guild: guildName }), 256),
    color: BLUE,
    fields,
    ...(extras.imageUrl ? { image: { url: extras.imageUrl } } : {}),
    footer: { text: t('stats.guild.footer') },
  };
}

/**
 * `/stats scope:bot`, for bot owners. The bot-wide figures come from the shared database, so every
 * shard process shows the same numbers; what only this process knows (answer times, commands,
 * errors: in-memory analytics) is labelled "this process". Each shard process used to show its own
 * in-memory counts as if they were all servers'.
 */
export function renderBotStats(stats: BotStats, process: AnalyticsStatistics, t: Translate): APIEmbed {
  const commands =
    Object.entries(process.command_performance)
      .sort((a, b) => b[1].count - a[1].count)
      .slice(0, 8)
      .map(([name, c]) =>
        t('stats.bot.command', { name, times: c.count, p50: formatDecimal(c.p50 * 1000, 0, t.locale) }),
      )
      .join('\n') || t('stats.noneYet');
  const errors =
    Object.entries(process.error_counts)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([type, count]) => t('stats.bot.error', { type, errors: count }))
      .join('\n') || t('stats.none');
  const thisProcess = (name: string) => t('stats.bot.thisProcess', { name });
  return {
    title: t('stats.bot.title'),
    color: PURPLE,
    fields: [
      { name: t('stats.bot.fields.servers'), value: String(stats.servers), inline: true },
      { name: t('stats.bot.fields.started'), value: String(stats.attempts), inline: true },
      { name: t('stats.bot.fields.completed'), value: String(stats.completed), inline: true },
      { name: t('stats.bot.fields.completionRate'), value: percent(stats.completionRate, t), inline: true },
      { name: t('stats.bot.fields.players'), value: String(stats.players), inline: true },
      {
        name: t('stats.bot.fields.unfinished'),
        value: `${stats.interrupted} / ${stats.abandoned} / ${stats.inProgress}`,
        inline: true,
      },
      {
        name: t('stats.bot.fields.scores'),
        value: `${number(stats.averageScore, t)} / ${number(stats.scoreP50, t)} / ${number(stats.scoreP90, t)}`,
        inline: true,
      },
      {
        name: t('stats.bot.fields.busiestHours'),
        value: truncate(busiestHours(stats.busiestHoursUtc, t), 1024),
      },
      {
        name: thisProcess(t('stats.bot.fields.answered')),
        value: String(process.questions_answered),
        inline: true,
      },
      {
        name: thisProcess(t('stats.bot.fields.correct')),
        value: t('stats.bot.correct', {
          correct: process.correct_answers,
          rate: number(process.correct_rate, t),
        }),
        inline: true,
      },
      {
        name: thisProcess(t('stats.bot.fields.timedOut')),
        value: String(process.timed_out_answers),
        inline: true,
      },
      {
        name: thisProcess(t('stats.bot.fields.answerTime')),
        value: t('stats.bot.seconds', { value: number(process.avg_question_time, t, 2) }),
        inline: true,
      },
      {
        name: thisProcess(t('stats.bot.fields.activeUsers')),
        value: String(process.active_users),
        inline: true,
      },
      {
        name: thisProcess(t('stats.bot.fields.uptime')),
        value: uptimeText(process.uptime_seconds, t),
        inline: true,
      },
      { name: thisProcess(t('stats.bot.fields.commands')), value: truncate(commands, 1024) },
      { name: thisProcess(t('stats.bot.fields.errors')), value: truncate(errors, 1024) },
    ],
    footer: { text: t('stats.bot.footer') },
  };
}
