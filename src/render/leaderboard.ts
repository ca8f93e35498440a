import type { APIEmbed } from 'discord-api-types/v10';
import type { Translate } from '../i18n/index.js';
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

/** A period's name as a title ("Last 7 days"), in the language of `t`. */
export function periodLabel(period: LeaderboardPeriod, t: Translate): string {
  return t(`leaderboard.period.${period}`);
}

/** A mode's name as a title ("Live games"), in the language of `t`. */
export function modeLabel(mode: AttemptMode, t: Translate): string {
  return t(`leaderboard.mode.${mode}`);
}

const GOLD = 0xf1c40f;
const MEDALS = ['🥇', '🥈', '🥉'];

function line(row: LeaderboardRow, viewerId: string, t: Translate): string {
  const place = row.rank <= 3 ? (MEDALS[row.rank - 1] ?? `${row.rank}.`) : `**${row.rank}.**`;
  const mention = `<@${row.userId}>`;
  return t('leaderboard.row', {
    place,
    who: row.userId === viewerId ? t('leaderboard.viewer', { mention }) : mention,
    points: t('leaderboard.points', { count: row.score }),
    attempts: t('leaderboard.attempts', { count: row.attempts }),
  });
}

/**
 * `/leaderboard`: names render from mentions (sent with mentions off, so nobody is pinged). The
 * member's own rank is shown below the table when they are not in the top rows.
 */
export function renderLeaderboard(view: LeaderboardView, t: Translate): APIEmbed {
  const scope = view.quizName === null ? t('leaderboard.allQuizzes') : view.quizName;
  const period = periodLabel(view.period, t);
  const title = truncate(
    view.mode
      ? t('leaderboard.titleWithMode', { scope, period, mode: modeLabel(view.mode, t) })
      : t('leaderboard.title', { scope, period }),
    256,
  );
  if (view.rows.length === 0) {
    return {
      title,
      color: GOLD,
      description:
        view.quizName === null
          ? t('leaderboard.empty.allQuizzes')
          : t('leaderboard.empty.quiz', { quiz: quoted(view.quizName, t) }),
    };
  }
  const lines = view.rows.map((row) => line(row, view.viewer.userId, t));
  const own = view.viewer.row;
  const listed = view.rows.some((row) => row.userId === view.viewer.userId);
  if (own && !listed) lines.push('…', line(own, view.viewer.userId, t));
  else if (!own) lines.push('', t('leaderboard.notOnBoard'));
  return {
    title,
    color: GOLD,
    description: truncate(lines.join('\n'), 4096),
    footer: { text: t('leaderboard.players', { count: view.participants }) },
  };
}
