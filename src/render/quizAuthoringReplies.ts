/** Texts and components of the authoring replies (everything but errors and the list/review pages). */

import type { APIActionRowComponent, APIComponentInMessageActionRow } from 'discord-api-types/v10';
import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import { encodeCustomId } from '../components/customId.js';
import { QUIZ_DELETE_HANDLER } from '../components/handlerNames.js';
import type { ImportResult } from '../quiz/ports.js';
import type { QuizExport } from '../quiz/QuizService.js';
import type { Question, Quiz } from '../quiz/types.js';
import { questionCountText, quizSettingsSummary } from './quizSummary.js';
import { escapeMarkdown, quoted, truncate } from './quizText.js';

function bold(name: string): string {
  return `**${escapeMarkdown(truncate(name, 100))}**`;
}

export function renderQuizCreated(quiz: Quiz): string {
  return [
    `Created the quiz ${bold(quiz.name)} (#${quiz.id}): ${quizSettingsSummary(quiz)}.`,
    'Add questions with `/quiz add-question`, or bring a whole file with `/quiz import`.',
  ].join('\n');
}

export function renderQuizEdited(before: Quiz, after: Quiz): string {
  const changes: string[] = [];
  if (before.name !== after.name) changes.push(`name ${quoted(before.name)} → ${quoted(after.name)}`);
  if (before.description !== after.description)
    changes.push(after.description ? 'new description' : 'description removed');
  if (before.timerSeconds !== after.timerSeconds)
    changes.push(`timer ${before.timerSeconds} s → ${after.timerSeconds} s`);
  if (before.questionLimit !== after.questionLimit)
    changes.push(`question limit ${before.questionLimit ?? 'all'} → ${after.questionLimit ?? 'all'}`);
  if (before.shuffle !== after.shuffle) changes.push(after.shuffle ? 'shuffled' : 'in order');
  if (before.opensAt !== after.opensAt || before.closesAt !== after.closesAt)
    changes.push('new opening times');
  const what = changes.length === 0 ? 'nothing changed' : changes.join(', ');
  return `Updated ${bold(after.name)}: ${what}.\nNow: ${quizSettingsSummary(after)}.`;
}

export function renderDeleteConfirmation(
  quiz: Quiz,
  questionCount: number,
  userId: string,
): { content: string; components: APIActionRowComponent<APIComponentInMessageActionRow>[] } {
  return {
    content: `Delete ${bold(quiz.name)} with its ${questionCountText(questionCount)} and every score on it? This cannot be undone.`,
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Danger,
            label: 'Delete',
            custom_id: encodeCustomId(QUIZ_DELETE_HANDLER, 'confirm', quiz.id, userId),
          },
          {
            type: ComponentType.Button,
            style: ButtonStyle.Secondary,
            label: 'Cancel',
            custom_id: encodeCustomId(QUIZ_DELETE_HANDLER, 'cancel', quiz.id, userId),
          },
        ],
      },
    ],
  };
}

export function renderQuizDeleted(quiz: Quiz): string {
  return `Deleted ${bold(quiz.name)} with its questions and scores.`;
}

export function renderDeleteCancelled(): string {
  return 'Cancelled: nothing was deleted.';
}

export function renderNotYourButton(ownerId: string): string {
  return `These buttons belong to <@${ownerId}>'s request, so I left them alone. Run the command yourself if you need to.`;
}

function questionPreview(question: Question): string {
  const answer = question.options[question.correctIndex] ?? '';
  return `> ${escapeMarkdown(truncate(question.text, 200))}\n> ✅ ${escapeMarkdown(answer)} · ${question.points} points`;
}

export function renderQuestionAdded(quiz: Quiz, question: Question): string {
  return `Added question ${question.position + 1} to ${bold(quiz.name)}:\n${questionPreview(question)}`;
}

export function renderQuestionEdited(quiz: Quiz, question: Question): string {
  return `Saved question ${question.position + 1} of ${bold(quiz.name)}:\n${questionPreview(question)}`;
}

export function renderQuestionRemoved(quiz: Quiz, number: number, question: Question): string {
  return `Removed question ${number} from ${bold(quiz.name)} (later questions moved up):\n> ${escapeMarkdown(truncate(question.text, 200))}`;
}

export function renderImported(result: ImportResult): string {
  const what = `${bold(result.quiz.name)} (#${result.quiz.id}) with ${questionCountText(result.questions.length)}`;
  const how = result.created ? `Created ${what}` : `Replaced ${what} (its scores were kept)`;
  return `${how}: ${quizSettingsSummary(result.quiz)}.`;
}

export function renderExported(exported: QuizExport, format: 'yaml' | 'json'): string {
  return `${bold(exported.quiz.name)} with ${questionCountText(exported.questionCount)} as ${format === 'json' ? 'JSON' : 'YAML'}. It contains the answers: keep it among managers. Edit it and bring it back with \`/quiz import replace: True\`.`;
}

/** The button under a refused question modal that reopens it with what was typed. */
export function renderQuestionRetryButton(
  draftId: string,
): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Primary,
          label: 'Fix it',
          custom_id: encodeCustomId('quiz-question', 'retry', draftId),
        },
      ],
    },
  ];
}
