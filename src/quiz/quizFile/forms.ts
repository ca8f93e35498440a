/**
 * The question modal and the `/quiz create|edit` options, validated with the quiz file's schema
 * (validate.ts) so a rule and its wording are the same everywhere; errors name the form field
 * (worded with the field's label by `render/quizFileIssues.ts`).
 */
import { QUIZ_LIMITS as L, OPTION_LETTERS } from '../limits.js';
import { err, ok, type Result } from '../result.js';
import type { QuestionInput, QuizInput } from '../types.js';
import type { QuizFileIssue } from './issues.js';
import {
  findOptionIndex,
  PARSE_OPTIONS,
  questionCrossIssues,
  questionSchema,
  refineWith,
  settingsCrossIssues,
  settingsSchema,
  withCrossIssues,
} from './validate.js';

// The question modal and the quiz create/edit options (same schema, field-named errors)
// ---------------------------------------------------------------------------------------------

/** The question modal's fields. */
export const QUESTION_FIELDS = ['question', 'options', 'correct', 'points', 'explanation'] as const;
export type QuestionField = (typeof QUESTION_FIELDS)[number];
/** The quiz create/edit options. */
export const QUIZ_FIELDS = [
  'name',
  'description',
  'timerSeconds',
  'questionLimit',
  'shuffle',
  'opensAt',
  'closesAt',
] as const;
export type QuizField = (typeof QUIZ_FIELDS)[number];

/** What is wrong with a form field, e.g. Options `{ code: 'tooFewOptions', …, actual: 1 }`. */
export interface FieldError<F extends string = string> {
  field: F;
  issue: QuizFileIssue;
  /** The option (0-based) the issue is about, when the field lists options. */
  option?: number;
}

/** The raw text of the question modal's inputs. */
export interface QuestionModalInput {
  question: string;
  /** One option per line; blank lines are ignored. */
  options: string;
  /** The correct option's text, its letter (A–E) or its number (1–5). */
  correct: string;
  /** Empty: the default (10). */
  points?: string | null;
  explanation?: string | null;
}

/** Splits the modal's options text: one option per line, trimmed, blank lines dropped. */
export function splitOptionLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** Resolves "correct" typed in the modal: exact/case-insensitive text, then a letter, then a 1-based number. */
export function resolveCorrectOption(options: readonly string[], correct: string): number {
  const byText = findOptionIndex(options, correct);
  if (byText !== -1) return byText;
  const trimmed = correct.trim();
  const letter = OPTION_LETTERS.indexOf(trimmed.toUpperCase() as (typeof OPTION_LETTERS)[number]);
  if (trimmed.length === 1 && letter !== -1 && letter < options.length) return letter;
  if (/^\d+$/.test(trimmed)) {
    const number = Number(trimmed);
    if (number >= 1 && number <= options.length) return number - 1;
  }
  return -1;
}

/** Prefills the modal when editing: `parseQuestionModal(questionToModalInput(q))` gives `q` back. */
export function questionToModalInput(question: QuestionInput): Required<QuestionModalInput> {
  return {
    question: question.text,
    options: question.options.join('\n'),
    correct: question.options[question.correctIndex] ?? '',
    points: String(question.points),
    explanation: question.explanation ?? '',
  };
}

/** Validates the question modal with the file's question schema; errors name the modal field. */
export function parseQuestionModal(
  input: QuestionModalInput,
): Result<QuestionInput, FieldError<QuestionField>[]> {
  const options = splitOptionLines(input.options);
  const correctIndex = resolveCorrectOption(options, input.correct);
  const pointsText = (input.points ?? '').trim();
  const candidate = {
    question: input.question,
    options,
    answer: correctIndex === -1 ? input.correct : (options[correctIndex] ?? ''),
    points:
      pointsText === '' ? undefined : /^[+-]?\d+(\.\d+)?$/.test(pointsText) ? Number(pointsText) : pointsText,
    explanation: input.explanation ?? undefined,
  };
  const parsed = questionSchema.safeParse(candidate, PARSE_OPTIONS);
  const errors: FieldError<QuestionField>[] = [];
  if (!parsed.success) {
    for (const issue of withCrossIssues(parsed.error.issues, questionCrossIssues(candidate))) {
      const key = issue.path[0];
      const field: QuestionField = key === 'answer' ? 'correct' : (key as QuestionField);
      if (field === 'correct') continue; // reported below, with the modal's own wording
      const option = issue.path[1];
      errors.push(
        field === 'options' && typeof option === 'number'
          ? { field, issue: issue.issue, option }
          : { field, issue: issue.issue },
      );
    }
  }
  if (correctIndex === -1 && options.length >= L.minOptions) {
    const last = OPTION_LETTERS[Math.min(options.length, OPTION_LETTERS.length) - 1];
    errors.push({
      field: 'correct',
      issue: {
        code: 'correctMatchesNoOption',
        correct: input.correct.trim(),
        last: last ?? 'A',
        count: options.length,
      },
    });
  }
  if (errors.length > 0 || !parsed.success) return err(dedupe(errors));
  return ok({
    text: parsed.data.question,
    options: parsed.data.options,
    correctIndex,
    points: parsed.data.points ?? L.defaultPoints,
    explanation: parsed.data.explanation || null,
  });
}

export const FILE_KEY_TO_FIELD: Record<string, QuizField> = {
  name: 'name',
  description: 'description',
  timer_seconds: 'timerSeconds',
  question_limit: 'questionLimit',
  shuffle: 'shuffle',
  opens_at: 'opensAt',
  closes_at: 'closesAt',
};

/** `/quiz create` and `/quiz edit` options (already merged with the current values when editing). */
export interface QuizSettingsInput {
  name: string;
  description?: string | null;
  timerSeconds?: number | null;
  questionLimit?: number | null;
  shuffle?: boolean | null;
  /** ISO 8601 text (as typed) or epoch ms. */
  opensAt?: string | number | null;
  closesAt?: string | number | null;
}

/** Validates quiz settings with the file's schema; errors name the option. */
export function validateQuizInput(
  input: QuizSettingsInput,
  opts: { defaultTimerSeconds: number; questionCount?: number },
): Result<QuizInput, FieldError<QuizField>[]> {
  const toIso = (value: string | number | null | undefined): string | null | undefined => {
    if (typeof value !== 'number') return value;
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
  };
  const candidate = {
    name: input.name,
    description: input.description,
    timer_seconds: input.timerSeconds,
    question_limit: input.questionLimit,
    shuffle: input.shuffle,
    opens_at: toIso(input.opensAt),
    closes_at: toIso(input.closesAt),
  };
  const parsed = settingsSchema
    .superRefine(refineWith((value) => settingsCrossIssues(value, opts.questionCount)))
    .safeParse(candidate, PARSE_OPTIONS);
  if (!parsed.success) {
    return err(
      dedupe(
        withCrossIssues(parsed.error.issues, settingsCrossIssues(candidate, opts.questionCount)).map(
          (issue) => ({ field: FILE_KEY_TO_FIELD[String(issue.path[0])] ?? 'name', issue: issue.issue }),
        ),
      ),
    );
  }
  const v = parsed.data;
  return ok({
    name: v.name,
    description: v.description || null,
    timerSeconds: v.timer_seconds ?? opts.defaultTimerSeconds,
    questionLimit: v.question_limit ?? null,
    shuffle: v.shuffle ?? false,
    opensAt: v.opens_at ? Date.parse(v.opens_at) : null,
    closesAt: v.closes_at ? Date.parse(v.closes_at) : null,
  });
}

/** Drops repeats (the same words twice in one reply). */
export function dedupe<F extends string>(errors: FieldError<F>[]): FieldError<F>[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = JSON.stringify([e.field, e.option, e.issue]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
