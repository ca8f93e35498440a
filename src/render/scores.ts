/** Texts and buttons of `/scores` and `/mydata`. */
import type { APIActionRowComponent, APIComponentInMessageActionRow } from 'discord-api-types/v10';
import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import { encodeCustomId } from '../components/customId.js';
import { MYDATA_DELETE_HANDLER, SCORES_RESET_HANDLER } from '../components/handlerNames.js';
import type { LeaderboardPeriod } from '../quiz/types.js';
import type { MemberErasure, ScoreCounts } from '../scores/ports.js';
import type { ExportFile, ResetPreview, ScoresError } from '../scores/ScoresService.js';
import { PERIOD_LABELS } from './leaderboard.js';
import { escapeMarkdown, quoted, truncate } from './quizText.js';

/** Where the privacy document lives, for replies that point to it. */
export const PRIVACY_DOC = '`docs/privacy.md` in the Badgey repository';

/** What the analytics keep that no command can delete: said wherever a member's data is erased. */
export const ANALYTICS_NOTE =
  "What I can't delete: the bot-wide analytics counters. They hold no Discord id, only a keyed-hash pseudonym mixed into approximate counts (who answered how often), which cannot be traced back to you or picked out to remove.";

type Rows = APIActionRowComponent<APIComponentInMessageActionRow>[];

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

function mib(bytes: number): string {
  return `${Math.floor(bytes / (1024 * 1024))} MiB`;
}

function confirmRow(handler: string, label: string, ...args: (string | number)[]): Rows {
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Danger,
          label,
          custom_id: encodeCustomId(handler, 'confirm', ...args),
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          label: 'Cancel',
          custom_id: encodeCustomId(handler, 'cancel', ...args),
        },
      ],
    },
  ];
}

function scopeText(preview: Pick<ResetPreview, 'scope' | 'quizName'>): string {
  switch (preview.scope.kind) {
    case 'all':
      return 'every quiz in this server';
    case 'quiz':
      return `the quiz **${escapeMarkdown(truncate(preview.quizName ?? '', 100))}**`;
    case 'member':
      return `<@${preview.scope.userId}>`;
  }
}

function countsText(counts: ScoreCounts): string {
  return `${plural(counts.attempts, 'attempt')} by ${plural(counts.members, 'member')} and ${plural(counts.bestScores, 'leaderboard entry', 'leaderboard entries')}`;
}

export function renderResetConfirmation(
  preview: ResetPreview,
  userId: string,
): { content: string; components: Rows } {
  const { scope } = preview;
  const target = scope.kind === 'all' ? '-' : scope.kind === 'quiz' ? scope.quizId : scope.userId;
  if (preview.counts.attempts === 0 && preview.counts.bestScores === 0)
    return {
      content: `There are no finished attempts or scores for ${scopeText(preview)}: nothing to reset.`,
      components: [],
    };
  return {
    content: [
      `Reset the scores of ${scopeText(preview)}? This deletes ${countsText(preview.counts)}, and cannot be undone.`,
      'Quizzes being played right now are not touched. Export first with `/scores export` if you want a copy.',
    ].join('\n'),
    components: confirmRow(SCORES_RESET_HANDLER, 'Delete scores', scope.kind, target, userId),
  };
}

export function renderResetDone(counts: ScoreCounts): string {
  return `Done: deleted ${plural(counts.attempts, 'attempt')} and ${plural(counts.bestScores, 'leaderboard entry', 'leaderboard entries')}.`;
}

export function renderCancelled(): string {
  return 'Cancelled: nothing was deleted.';
}

export function renderScoresExported(file: ExportFile, period: LeaderboardPeriod): string {
  const when = period === 'all' ? 'all time' : PERIOD_LABELS[period].toLowerCase();
  return `${plural(file.rows, 'attempt')} (${when}) as ${file.format.toUpperCase()}. It holds members' ids and names: keep it among managers, and see ${PRIVACY_DOC} for what it contains.`;
}

export function renderMyDataExported(file: ExportFile): string {
  return [
    `Everything I store about you in this server: ${plural(file.rows, 'quiz attempt')} (your leaderboard entries are the best of these).`,
    `\`/mydata delete\` erases it. ${ANALYTICS_NOTE} Details: ${PRIVACY_DOC}.`,
  ].join('\n');
}

export function renderMyDataDeleteConfirmation(
  counts: ScoreCounts,
  userId: string,
): { content: string; components: Rows } {
  return {
    content: [
      `Delete your data in this server? That is ${plural(counts.attempts, 'finished quiz attempt')} and ${plural(counts.bestScores, 'leaderboard entry', 'leaderboard entries')} (plus any attempt you are playing right now); quizzes you created stay for the server but no longer name you. This cannot be undone.`,
      ANALYTICS_NOTE,
    ].join('\n'),
    components: confirmRow(MYDATA_DELETE_HANDLER, 'Delete my data', userId),
  };
}

export function renderMyDataDeleted(erased: MemberErasure): string {
  return [
    `Done: deleted ${plural(erased.attempts, 'attempt')} and ${plural(erased.bestScores, 'leaderboard entry', 'leaderboard entries')}${erased.quizzesUnattributed > 0 ? `, and removed your name from ${plural(erased.quizzesUnattributed, 'quiz', 'quizzes')} you created` : ''}. No row of my database in this server holds your id any more.`,
    ANALYTICS_NOTE,
  ].join('\n');
}

export function renderScoresError(error: ScoresError): string {
  switch (error.kind) {
    case 'missingPermission':
      return 'Only server managers can do that (Manage Server, or one of the manager roles in `/settings`).';
    case 'quizNotFound':
      return `I can't find a quiz called ${quoted(truncate(error.ref, 100))} in this server.`;
    case 'inLiveGame':
      return "You're in a live game here that hasn't ended yet, so I deleted nothing. Run `/mydata delete` again once it is over.";
    case 'databaseUnavailable':
      return "I can't reach my database right now. Please try again in a moment.";
    case 'tooLarge': {
      const hint =
        error.period === 'all' || error.period === 'month'
          ? `Try a shorter \`period\` (e.g. ${error.period === 'all' ? '`month`' : '`week`'}) or one \`quiz\` at a time.`
          : 'Try one `quiz` at a time.';
      return `The export is larger than Discord lets me upload here (${mib(error.maxBytes)}), so I stopped after ${plural(error.rowsWritten, 'attempt')}. ${hint}`;
    }
  }
}
