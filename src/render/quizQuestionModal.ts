import {
  type APIModalInteractionResponseCallbackData,
  ComponentType,
  TextInputStyle,
} from 'discord-api-types/v10';
import { encodeCustomId } from '../components/customId.js';
import { QUESTION_MODAL_HANDLER } from '../components/handlerNames.js';
import type { Translate } from '../i18n/index.js';
import { QUIZ_LIMITS as L } from '../quiz/limits.js';
import type { QuestionModalInput } from '../quiz/quizFile.js';
import { truncate } from './quizText.js';

/** Text input custom ids = the fields of `QuestionModalInput`. */
export const QUESTION_MODAL_FIELDS = ['question', 'options', 'correct', 'points', 'explanation'] as const;

/** Discord's text-input value limit; our own limits are checked on submit with a clear message. */
const TEXT_INPUT_MAX = 4000;
const MODAL_TITLE_MAX = 45;
const LABEL_MAX = 45;

/** `number` (1-based) is shown in the title when known. */
export type QuestionModalTarget =
  | { mode: 'add'; quizId: number; quizName: string; number: number | null }
  | { mode: 'edit'; quizId: number; questionId: number; quizName: string; number: number | null };

function questionModalCustomId(target: QuestionModalTarget): string {
  return target.mode === 'add'
    ? encodeCustomId(QUESTION_MODAL_HANDLER, 'add', target.quizId)
    : encodeCustomId(QUESTION_MODAL_HANDLER, 'edit', target.quizId, target.questionId);
}

/**
 * A prefill cut to the field's own `maxLength` (Discord refuses a whole modal whose value is
 * longer than its field allows); `cut` says whether anything was dropped.
 */
function clip(value: string | null | undefined, maxLength: number): { value?: string; cut: boolean } {
  if (value === null || value === undefined || value === '') return { cut: false };
  const characters = [...value];
  if (characters.length <= maxLength) return { value, cut: false };
  return { value: characters.slice(0, maxLength).join(''), cut: true };
}

/**
 * The question modal: question, options one per line, the correct one, points, explanation.
 * `values` prefills it (editing, or reopening after a refused submit).
 */
export function renderQuestionModal(
  target: QuestionModalTarget,
  values: Partial<QuestionModalInput> | undefined,
  t: Translate,
): APIModalInteractionResponseCallbackData {
  const input = (
    customId: (typeof QUESTION_MODAL_FIELDS)[number],
    fullLabel: string,
    options: { style: TextInputStyle; required: boolean; placeholder: string; maxLength: number },
  ) => {
    const { value, cut } = clip(values?.[customId], options.maxLength);
    // A modal shows no text besides its labels: a cut value says so there.
    const label = cut
      ? truncate(
          t('authoring.modal.cutLabel', {
            field: t(`authoring.modal.field.${customId}`),
            max: options.maxLength,
          }),
          LABEL_MAX,
        )
      : truncate(fullLabel, LABEL_MAX);
    return {
      type: ComponentType.ActionRow as const,
      components: [
        {
          type: ComponentType.TextInput as const,
          custom_id: customId,
          label,
          style: options.style,
          required: options.required,
          placeholder: options.placeholder,
          max_length: options.maxLength,
          ...(value === undefined ? {} : { value }),
        },
      ],
    };
  };
  return {
    custom_id: questionModalCustomId(target),
    title: truncate(
      target.number === null
        ? t(`authoring.modal.titleUnnumbered.${target.mode}`, { quiz: target.quizName })
        : t(`authoring.modal.title.${target.mode}`, { number: target.number, quiz: target.quizName }),
      MODAL_TITLE_MAX,
    ),
    components: [
      input('question', t('authoring.modal.label.question'), {
        style: TextInputStyle.Paragraph,
        required: true,
        placeholder: t('authoring.modal.placeholder.question'),
        maxLength: TEXT_INPUT_MAX,
      }),
      input('options', t('authoring.modal.label.options', { min: L.minOptions, max: L.maxOptions }), {
        style: TextInputStyle.Paragraph,
        required: true,
        placeholder: t('authoring.modal.placeholder.options'),
        maxLength: TEXT_INPUT_MAX,
      }),
      input('correct', t('authoring.modal.label.correct'), {
        style: TextInputStyle.Short,
        required: true,
        placeholder: t('authoring.modal.placeholder.correct'),
        maxLength: 200,
      }),
      input(
        'points',
        t('authoring.modal.label.points', { min: L.minPoints, max: L.maxPoints, default: L.defaultPoints }),
        {
          style: TextInputStyle.Short,
          required: false,
          placeholder: String(L.defaultPoints),
          maxLength: 10,
        },
      ),
      input('explanation', t('authoring.modal.label.explanation'), {
        style: TextInputStyle.Paragraph,
        required: false,
        placeholder: t('authoring.modal.placeholder.explanation'),
        maxLength: TEXT_INPUT_MAX,
      }),
    ],
  };
}
