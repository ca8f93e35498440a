import {
  type APIModalInteractionResponseCallbackData,
  ComponentType,
  TextInputStyle,
} from 'discord-api-types/v10';
import { encodeCustomId } from '../components/customId.js';
import { QUESTION_MODAL_HANDLER } from '../components/handlerNames.js';
import { QUIZ_LIMITS as L } from '../quiz/limits.js';
import type { QuestionModalInput } from '../quiz/quizFile.js';
import { truncate } from './quizText.js';

/** Text input custom ids = the fields of `QuestionModalInput`. */
export const QUESTION_MODAL_FIELDS = ['question', 'options', 'correct', 'points', 'explanation'] as const;

/** Discord's text-input value limit; our own limits are checked on submit with a clear message. */
const TEXT_INPUT_MAX = 4000;
const MODAL_TITLE_MAX = 45;
const LABEL_MAX = 45;

/** Short field names, for a label that says its value was cut. */
const FIELD_NAMES: Record<(typeof QUESTION_MODAL_FIELDS)[number], string> = {
  question: 'Question',
  options: 'Options',
  correct: 'Correct answer',
  points: 'Points',
  explanation: 'Explanation',
};

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
  values?: Partial<QuestionModalInput>,
): APIModalInteractionResponseCallbackData {
  const verb = target.mode === 'add' ? 'Add' : 'Edit';
  const input = (
    customId: (typeof QUESTION_MODAL_FIELDS)[number],
    fullLabel: string,
    options: { style: TextInputStyle; required: boolean; placeholder: string; maxLength: number },
  ) => {
    const { value, cut } = clip(values?.[customId], options.maxLength);
    // A modal shows no text besides its labels: a cut value says so there.
    const label = cut
      ? truncate(`${FIELD_NAMES[customId]} (cut to ${options.maxLength} characters)`, LABEL_MAX)
      : fullLabel;
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
      `${verb} question${target.number === null ? '' : ` ${target.number}`} · ${target.quizName}`,
      MODAL_TITLE_MAX,
    ),
    components: [
      input('question', 'Question', {
        style: TextInputStyle.Paragraph,
        required: true,
        placeholder: 'Which planet is the largest?',
        maxLength: TEXT_INPUT_MAX,
      }),
      input('options', `Options, one per line (${L.minOptions} to ${L.maxOptions})`, {
        style: TextInputStyle.Paragraph,
        required: true,
        placeholder: 'Mars\nJupiter\nVenus',
        maxLength: TEXT_INPUT_MAX,
      }),
      input('correct', 'Correct answer (its text, letter or number)', {
        style: TextInputStyle.Short,
        required: true,
        placeholder: 'Jupiter (or B, or 2)',
        maxLength: 200,
      }),
      input('points', `Points (${L.minPoints} to ${L.maxPoints}, default ${L.defaultPoints})`, {
        style: TextInputStyle.Short,
        required: false,
        placeholder: String(L.defaultPoints),
        maxLength: 10,
      }),
      input('explanation', 'Explanation (optional, shown after a miss)', {
        style: TextInputStyle.Paragraph,
        required: false,
        placeholder: 'Jupiter is about 11 Earths wide.',
        maxLength: TEXT_INPUT_MAX,
      }),
    ],
  };
}
