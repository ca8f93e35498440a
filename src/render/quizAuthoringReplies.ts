/** Texts and components of the authoring replies (everything but errors and the list/review pages). */

import type { APIActionRowComponent, APIComponentInMessageActionRow } from 'discord-api-types/v10';
import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import { encodeCustomId } from '../components/customId.js';
import { QUIZ_DELETE_HANDLER } from '../components/handlerNames.js';
import type { Translate } from '../i18n/index.js';
import type { ImportResult } from '../quiz/ports.js';
import type { QuizExport } from '../quiz/QuizService.js';
import type { Question, Quiz } from '../quiz/types.js';
import { questionCountText, quizSettingsSummary } from './quizSummary.js';
import { escapeMarkdown, quoted, truncate } from './quizText.js';

function bold(name: string): string {
  return `**${escapeMarkdown(truncate(name, 100))}**`;
}

export function renderQuizCreated(quiz: Quiz, t: Translate): string {
  return t('authoring.created', {
    quiz: bold(quiz.name),
    id: quiz.id,
    summary: quizSettingsSummary(quiz, t),
  });
}

export function renderQuizEdited(before: Quiz, after: Quiz, t: Translate): string {
  const changes: string[] = [];
  if (before.name !== after.name)
    changes.push(
      t('authoring.edited.name', { before: quoted(before.name, t), after: quoted(after.name, t) }),
    );
  if (before.description !== after.description)
    changes.push(
      t(after.description ? 'authoring.edited.newDescription' : 'authoring.edited.descriptionRemoved'),
    );
  if (before.timerSeconds !== after.timerSeconds)
    changes.push(t('authoring.edited.timer', { before: before.timerSeconds, after: after.timerSeconds }));
  if (before.questionLimit !== after.questionLimit) {
    const all = t('authoring.edited.allQuestions');
    changes.push(
      t('authoring.edited.questionLimit', {
        before: before.questionLimit ?? all,
        after: after.questionLimit ?? all,
      }),
    );
  }
  if (before.shuffle !== after.shuffle)
    changes.push(t(after.shuffle ? 'authoring.edited.shuffled' : 'authoring.edited.inOrder'));
  if (before.opensAt !== after.opensAt || before.closesAt !== after.closesAt)
    changes.push(t('authoring.edited.newOpeningTimes'));
  return t('authoring.edited.reply', {
    quiz: bold(after.name),
    changes: changes.length === 0 ? t('authoring.edited.nothingChanged') : changes.join(', '),
    summary: quizSettingsSummary(after, t),
  });
}

export function renderDeleteConfirmation(
  quiz: Quiz,
  questionCount: number,
  userId: string,
  t: Translate,
): { content: string; components: APIActionRowComponent<APIComponentInMessageActionRow>[] } {
  return {
    content: t('authoring.delete.confirm', {
      quiz: bold(quiz.name),
      questions: questionCountText(questionCount, t),
    }),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Danger,
            label: t('authoring.delete.confirmButton'),
            custom_id: encodeCustomId(QUIZ_DELETE_HANDLER, 'confirm', quiz.id, userId),
          },
          {
            type: ComponentType.Button,
            style: ButtonStyle.Secondary,
            label: t('authoring.delete.cancelButton'),
            custom_id: encodeCustomId(QUIZ_DELETE_HANDLER, 'cancel', quiz.id, userId),
          },
        ],
      },
    ],
  };
}

export function renderQuizDeleted(quiz: Quiz, t: Translate): string {
  return t('authoring.delete.deleted', { quiz: bold(quiz.name) });
}

export function renderDeleteCancelled(t: Translate): string {
  return t('authoring.delete.cancelled');
}

export function renderNotYourButton(ownerId: string, t: Translate): string {
  return t('authoring.notYourButton', { owner: ownerId });
}

function questionPreview(question: Question, t: Translate): string {
  const answer = question.options[question.correctIndex] ?? '';
  const answerLine = t('authoring.question.answer', {
    answer: escapeMarkdown(answer),
    points: t('authoring.points', { count: question.points }),
  });
  return `> ${escapeMarkdown(truncate(question.text, 200))}\n> ${answerLine}`;
}

export function renderQuestionAdded(quiz: Quiz, question: Question, t: Translate): string {
  return t('authoring.question.added', {
    number: question.position + 1,
    quiz: bold(quiz.name),
    preview: questionPreview(question, t),
  });
}

export function renderQuestionEdited(quiz: Quiz, question: Question, t: Translate): string {
  return t('authoring.question.edited', {
    number: question.position + 1,
    quiz: bold(quiz.name),
    preview: questionPreview(question, t),
  });
}

export function renderQuestionRemoved(quiz: Quiz, number: number, question: Question, t: Translate): string {
  return t('authoring.question.removed', {
    number,
    quiz: bold(quiz.name),
    preview: `> ${escapeMarkdown(truncate(question.text, 200))}`,
  });
}

export function renderImported(result: ImportResult, t: Translate): string {
  return t(result.created ? 'authoring.imported.created' : 'authoring.imported.replaced', {
    quiz: bold(result.quiz.name),
    id: result.quiz.id,
    questions: questionCountText(result.questions.length, t),
    summary: quizSettingsSummary(result.quiz, t),
  });
}

export function renderExported(exported: QuizExport, format: 'yaml' | 'json', t: Translate): string {
  return t('authoring.exported', {
    quiz: bold(exported.quiz.name),
    questions: questionCountText(exported.questionCount, t),
    format: format === 'json' ? 'JSON' : 'YAML',
  });
}

/** The message when "Fix it" is pressed after the refused modal's draft was dropped (15 minutes). */
export function renderDraftExpired(t: Translate): string {
  return t('authoring.question.draftExpired');
}

/** The button under a refused question modal that reopens it with what was typed. */
export function renderQuestionRetryButton(
  draftId: string,
  t: Translate,
): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Primary,
          label: t('authoring.question.retryButton'),
          custom_id: encodeCustomId('quiz-question', 'retry', draftId),
        },
      ],
    },
  ];
}
