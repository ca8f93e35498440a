/** Texts and buttons of `/scores` and `/mydata`. */
import type { APIActionRowComponent, APIComponentInMessageActionRow } from 'discord-api-types/v10';
import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import { encodeCustomId } from '../components/customId.js';
import { MYDATA_DELETE_HANDLER, SCORES_RESET_HANDLER } from '../components/handlerNames.js';
import type { Translate } from '../i18n/index.js';
import type { LeaderboardPeriod } from '../quiz/types.js';
import type { MemberErasure, ScoreCounts } from '../scores/ports.js';
import type { ExportFile, ResetPreview, ScoresError } from '../scores/ScoresService.js';
import { escapeMarkdown, truncate } from './quizText.js';
import { renderUserError } from './userErrors.js';

type Rows = APIActionRowComponent<APIComponentInMessageActionRow>[];

/** What the analytics keep that no command can delete: said wherever a member's data is erased. */
function analyticsNote(t: Translate): string {
  return t('scores.analyticsNote');
}

function attempts(n: number, t: Translate): string {
  return t('scores.count.attempts', { count: n });
}

function entries(n: number, t: Translate): string {
  return t('scores.count.entries', { count: n });
}

function confirmRow(handler: string, label: string, t: Translate, ...args: (string | number)[]): Rows {
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
          label: t('scores.buttons.cancel'),
          custom_id: encodeCustomId(handler, 'cancel', ...args),
        },
      ],
    },
  ];
}

function scopeText(preview: Pick<ResetPreview, 'scope' | 'quizName'>, t: Translate): string {
  switch (preview.scope.kind) {
    case 'all':
      return t('scores.scope.all');
    case 'quiz':
      return t('scores.scope.quiz', { quiz: escapeMarkdown(truncate(preview.quizName ?? '', 100)) });
    case 'member':
      return `<@${preview.scope.userId}>`;
  }
}

function countsText(counts: ScoreCounts, t: Translate): string {
  return t('scores.reset.counts', {
    attempts: attempts(counts.attempts, t),
    members: t('scores.count.members', { count: counts.members }),
    entries: entries(counts.bestScores, t),
  });
}

export function renderResetConfirmation(
  preview: ResetPreview,
  userId: string,
  t: Translate,
): { content: string; components: Rows } {
  const { scope } = preview;
  const target = scope.kind === 'all' ? '-' : scope.kind === 'quiz' ? scope.quizId : scope.userId;
  if (preview.counts.attempts === 0 && preview.counts.bestScores === 0)
    return {
      content: t('scores.reset.nothing', { scope: scopeText(preview, t) }),
      components: [],
    };
  return {
    content: [
      t('scores.reset.confirm', { scope: scopeText(preview, t), counts: countsText(preview.counts, t) }),
      t('scores.reset.untouched'),
    ].join('\n'),
    components: confirmRow(
      SCORES_RESET_HANDLER,
      t('scores.buttons.deleteScores'),
      t,
      scope.kind,
      target,
      userId,
    ),
  };
}

export function renderResetDone(counts: ScoreCounts, t: Translate): string {
  return t('scores.reset.done', {
    attempts: attempts(counts.attempts, t),
    entries: entries(counts.bestScores, t),
  });
}

export function renderCancelled(t: Translate): string {
  return t('scores.cancelled');
}

/** A confirmation button pressed by someone other than the member who asked. */
export function renderNotYourConfirmation(ownerId: string, t: Translate): string {
  return t('scores.notYourButtons', { owner: `<@${ownerId}>` });
}

export function renderScoresExported(file: ExportFile, period: LeaderboardPeriod, t: Translate): string {
  return t('scores.exported', {
    attempts: attempts(file.rows, t),
    period: t(`scores.exportPeriod.${period}`),
    // The file format's own name (CSV, JSON), the same in every language.
    format: file.format.toUpperCase(),
    privacyDoc: t('scores.privacyDoc'),
  });
}

export function renderMyDataExported(file: ExportFile, t: Translate): string {
  return [
    t('mydata.exported', { attempts: t('mydata.count.quizAttempts', { count: file.rows }) }),
    t('mydata.exportedNext', { analyticsNote: analyticsNote(t), privacyDoc: t('scores.privacyDoc') }),
  ].join('\n');
}

export function renderMyDataDeleteConfirmation(
  counts: ScoreCounts,
  userId: string,
  t: Translate,
): { content: string; components: Rows } {
  return {
    content: [
      t('mydata.deleteConfirm', {
        attempts: t('mydata.count.finishedAttempts', { count: counts.attempts }),
        entries: entries(counts.bestScores, t),
      }),
      analyticsNote(t),
    ].join('\n'),
    components: confirmRow(MYDATA_DELETE_HANDLER, t('mydata.deleteButton'), t, userId),
  };
}

export function renderMyDataDeleted(erased: MemberErasure, t: Translate): string {
  const values = { attempts: attempts(erased.attempts, t), entries: entries(erased.bestScores, t) };
  return [
    erased.quizzesUnattributed > 0
      ? t('mydata.deletedAndUnattributed', {
          ...values,
          quizzes: t('mydata.count.quizzes', { count: erased.quizzesUnattributed }),
        })
      : t('mydata.deleted', values),
    analyticsNote(t),
  ].join('\n');
}

export function renderScoresError(error: ScoresError, t: Translate): string {
  switch (error.kind) {
    case 'missingPermission':
      return t('scores.errors.missingPermission');
    case 'quizNotFound':
      return renderUserError(error, t);
    case 'inLiveGame':
      return t('scores.errors.inLiveGame');
    case 'databaseUnavailable':
      return t('scores.errors.databaseUnavailable');
    case 'tooLarge': {
      const hint =
        error.period === 'all' || error.period === 'month'
          ? t('scores.errors.tooLarge.shorterPeriod', {
              suggestion: t(`scores.errors.tooLarge.suggestion.${error.period === 'all' ? 'month' : 'week'}`),
            })
          : t('scores.errors.tooLarge.oneQuiz');
      return t('scores.errors.tooLarge.message', {
        limit: t('scores.errors.tooLarge.size', { mebibytes: Math.floor(error.maxBytes / (1024 * 1024)) }),
        attempts: attempts(error.rowsWritten, t),
        hint,
      });
    }
  }
}
