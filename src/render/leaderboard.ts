import type { APIEmbed } from 'discord-api-types/v10';
import type { AttemptMode, LeaderboardPeriod, LeaderboardRow } from '../quiz/types.js';
import { quoted, truncate } from './quizText.js';

export interface LeaderboardView {
  /** null: all quizzes (sum of best scores). */
  quizName: string | null;
  period: LeaderboardPeriod;
  rows: readonly LeaderboardRow[];
  /** The member who asked, with their row when they have a score in the period. */
  viewer: { userId: string; row: LeaderboardRow | null };
  participants: number;
  /** Only solo or only live games (absent: both). */
  mode?: AttemptMode;
}

export const MODE_LABELS: Record<AttemptMode, string> = { solo: 'Solo', live: 'Live games' };

export const PERIOD_LABELS: Record<LeaderboardPeriod, string> = {
  all: 'All time',
  month: 'Last 30 days',
  week: 'Last 7 days',
  day: 'Last 24 hours',
};

const GOLD = 0xf1c40f;
const MEDALS = ['🥇', '🥈', '🥉'];

function line(row: LeaderboardRow, viewerId: string): string {
  const place = row.rank <= 3 ? (MEDALS[row.rank - 1] ?? `${row.rank}.`) : `**${row.rank}.**`;
  const who = `<@${row.userId}>${row.userId === viewerId ? ' (you)' : ''}`;
  const attempts = `${row.attempts} ${row.attempts === 1 ? 'attempt' : 'attempts'}`;
  return `${place} ${who} — **${row.score}** points · ${attempts}`;
}

/**
 * `/leaderboard`: names render from mentions (sent with mentions off, so nobody is pinged). The
 * member's own rank is shown below the table when they are not in the top rows.
 */
export function renderLeaderboard(view: LeaderboardView): APIEmbed {
  const title = truncate(
    `Leaderboard · ${view.quizName === null ? 'all quizzes' : view.quizName} · ${PERIOD_LABELS[view.period]}${view.mode ? ` · ${MODE_LABELS[view.mode]}` : ''}`,
    256,
  );
  if (view.rows.length === 0) {
    return {
      title,
      color: GOLD,
      description:
        view.quizName === null
          ? 'No completed quizzes in this period yet. Be the first: `/quiz take`!'
          : `Nobody has completed ${quoted(view.quizName)} in this period yet.`,
    };
  }
  const lines = view.rows.map((row) => line(row, view.viewer.userId));
  const own = view.viewer.row;
  const listed = view.rows.some((row) => row.userId === view.viewer.userId);
  if (own && !listed) lines.push('…', line(own, view.viewer.userId));
  else if (!own) lines.push('', "You're not on this board yet.");
  return {
    title,
    color: GOLD,
    description: truncate(lines.join('\n'), 4096),
    footer: { text: `${view.participants} ${view.participants === 1 ? 'player' : 'players'}` },
  };
}
